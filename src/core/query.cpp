#include "opsflow/query.hpp"

#include "fingerprint.hpp"
#include "fsmonitor.hpp"
#include "index_codec.hpp"
#include "opsflow/error.hpp"
#include "opsflow/files.hpp"
#include "opsflow/parallel.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <functional>
#include <iterator>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace opsflow {

namespace fs = std::filesystem;
using index_codec::number;

namespace {

// The index is one file per record directory, `.opsflow/index/incidents/2026/11`
// for `incidents/2026/11`: directories are read, checked and decoded on every
// core, and a change rewrites only its own directory's file.
constexpr const char* index_magic = "opsflow-index";
// Bump when the facts or their serialisation change: an index of another version is rebuilt.
constexpr int index_version = 7;

// The stamp of a file or directory (creating, deleting or renaming a file changes
// its directory's).
using Stamp = FileStamp;

// A stamp no file has: the entry is read again next time.
constexpr Stamp unknown_stamp{};

// A stamp in an index file: four tab-separated numbers.
std::string stamp_text(const Stamp& s) {
    return fmt::format("{}\t{}\t{}\t{}", s.size, s.mtime_ns, s.ctime_ns, s.inode);
}

// One record file: its name in its directory, its stamp and its facts (empty
// until parsed). Views point into index text, parsed facts or listed names.
struct Entry {
    std::string_view name;
    Stamp stamp;
    std::string_view facts;
    // A record that cannot be read stays in the index with its message, so that
    // it is reported on every run and read again as soon as its file changes.
    static constexpr char unreadable = '!';
    bool readable() const { return !facts.starts_with(unreadable); }
    std::string problem() const { return index_codec::unescape(facts.substr(1)); }
};

std::string unreadable_facts(std::string_view problem) {
    return Entry::unreadable + index_codec::escape(problem);
}

// One month directory of one kind, with its record files sorted by name.
struct DirBlock {
    char kind = 0; // I, T, M
    std::string_view path;
    Stamp stamp;
    std::vector<Entry> entries;
    // The file-system monitor's clock when the directory was read (empty: read
    // without one): changes after it are the monitor's to report.
    std::string_view monitor_clock;
    bool changed = false; // differs from its index file, which must be written
};

// Whether every stamp of the block was trusted when it was written: a block with
// a racily clean entry must be stat'ed whatever the monitor says.
bool fully_stamped(const DirBlock& block) {
    return block.stamp != unknown_stamp &&
           std::none_of(block.entries.begin(), block.entries.end(),
                        [](const Entry& e) { return e.stamp == unknown_stamp; });
}

constexpr char kind_letters[] = {'I', 'M', 'T', 'P'}; // by RecordKind
char letter_of(RecordKind kind) {
    return kind_letters[static_cast<int>(kind)];
}
RecordKind kind_of_letter(char letter) {
    return letter == 'I'   ? RecordKind::incident
           : letter == 'T' ? RecordKind::ticket
                           : RecordKind::maintenance;
}

std::string fingerprint(const Store& store) {
    std::string settings;
    try {
        settings = read_text_file(store.root() / "opsflow.yaml");
    } catch (const Error&) {
    }
    // With the binary: facts in the index vouch that their record passed its schema.
    return cache_fingerprint({settings});
}

fs::path index_root(const Store& store) {
    return store.root() / ".opsflow" / "index";
}

// Names that the index can hold as they are; anything else is not a record file.
bool plain_name(std::string_view name) {
    return std::none_of(name.begin(), name.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == '/' || c == 0x7f;
    });
}

bool record_file_name(std::string_view name, RecordKind kind) {
    auto prefix = kind_info(kind).prefix;
    return name.size() > prefix.size() + 1 && name.starts_with(prefix) &&
           name[prefix.size()] == '-' && name.ends_with(".yaml") && plain_name(name);
}

// `count` tab-separated fields from the front of `line`; the rest stays in `line`.
// The last field ends at `last_end` instead of a tab.
template <std::size_t count>
bool take_fields(std::string_view& line, std::array<std::string_view, count>& fields,
                 char last_end = '\t') {
    for (std::size_t i = 0; i < count; ++i) {
        auto end = line.find(i + 1 == count ? last_end : '\t');
        if (end == std::string_view::npos) return false;
        fields[i] = line.substr(0, end);
        line.remove_prefix(end + 1);
    }
    return true;
}

Stamp stamp_from(const std::array<std::string_view, 4>& fields) {
    return {number(fields[0]), number(fields[1]), number(fields[2]), number(fields[3])};
}

// The first line of a directory's index file, before the directory's stamp.
std::string header_of(const std::string& fingerprint, char kind, std::string_view path) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\t", index_magic, index_version, fingerprint, kind, path);
}

// The directory's block as its index file holds it; nullopt when the text is
// not a whole index file of this version, settings and directory. Lines:
//   opsflow-index, version, fingerprint, kind letter, directory, the directory's
//     stamp, the monitor's clock when it was read (or nothing)
//   F, name, the file's stamp, facts (or `!` and why the record cannot be read)
// with fields separated by tabs.
std::optional<DirBlock> parse_index_file(std::string_view text, const std::string& header,
                                         char kind, std::string_view path) {
    auto nl = text.find('\n');
    if (nl == std::string_view::npos || !text.starts_with(header)) return std::nullopt;
    DirBlock block{kind, path, {}, {}, {}};
    try {
        std::string_view stamp = text.substr(header.size(), nl - header.size());
        std::array<std::string_view, 4> s;
        if (!take_fields(stamp, s)) return std::nullopt;
        block.stamp = stamp_from(s);
        block.monitor_clock = stamp;
        block.entries.reserve(text.size() / 200);
        for (std::size_t pos = nl + 1; pos < text.size();) {
            auto end = text.find('\n', pos);
            if (end == std::string_view::npos) return std::nullopt; // cut short
            std::string_view line = text.substr(pos, end - pos);
            pos = end + 1;
            std::array<std::string_view, 2> f;
            std::array<std::string_view, 4> stamp_fields;
            if (!take_fields(line, f) || f[0] != "F" ||
                !record_file_name(f[1], kind_of_letter(kind)) ||
                (!block.entries.empty() && block.entries.back().name >= f[1]) ||
                !take_fields(line, stamp_fields))
                return std::nullopt;
            block.entries.push_back({f[1], stamp_from(stamp_fields), line});
        }
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
    return block;
}

struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};
struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};
using Dir = std::unique_ptr<DIR, DirCloser>;

std::vector<std::string> subdirectories(int root_fd, const std::string& dir) {
    std::vector<std::string> names;
    int fd = ::openat(root_fd, dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return names;
    Dir d(::fdopendir(fd));
    if (!d) {
        ::close(fd);
        return names;
    }
    while (dirent* e = ::readdir(d.get()))
        if (e->d_name[0] != '.' && plain_name(e->d_name) &&
            (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN))
            names.emplace_back(e->d_name);
    return names;
}

struct MonthDir {
    RecordKind kind;
    std::string path;
};

// Every month directory of the given kinds, sorted by path.
std::vector<MonthDir> month_directories(int root_fd, const std::vector<RecordKind>& kinds) {
    std::vector<MonthDir> months;
    for (auto kind : kinds) {
        std::string base(kind_info(kind).directory);
        for (const auto& year : subdirectories(root_fd, base))
            for (const auto& month : subdirectories(root_fd, base + "/" + year))
                months.push_back({kind, base + "/" + year + "/" + month});
    }
    std::sort(months.begin(), months.end(),
              [](const MonthDir& a, const MonthDir& b) { return a.path < b.path; });
    return months;
}

// The record files of one directory now. When the directory's stamp is the one
// in the index, its names are too, and only its indexed files are stat'ed (like
// git's untracked cache); otherwise it is listed again. Files whose stamp changed
// come back with empty facts, to be parsed. `names` holds the names read from the
// directory, so that the views stay valid.
DirBlock scan_directory(int root_fd, const MonthDir& month, const DirBlock* indexed,
                        std::vector<std::string>& names) {
    DirBlock now{letter_of(month.kind), month.path, {}, {}, {}};
    int fd = ::openat(root_fd, month.path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return now;
    FdCloser closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) return now;
    now.stamp = file_stamp(st);
    auto stat_file = [&](const char* name, std::string_view view, const Entry* known) {
        struct stat fst {};
        if (::fstatat(fd, name, &fst, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(fst.st_mode)) return;
        Stamp stamp = file_stamp(fst);
        now.entries.push_back(
            {view, stamp, known && known->stamp == stamp ? known->facts : std::string_view{}});
    };
    if (indexed && indexed->stamp == now.stamp) {
        now.entries.reserve(indexed->entries.size());
        char name[NAME_MAX + 1];
        for (const auto& entry : indexed->entries) {
            if (entry.name.size() > NAME_MAX) continue;
            entry.name.copy(name, entry.name.size());
            name[entry.name.size()] = '\0';
            stat_file(name, entry.name, &entry);
        }
        return now;
    }
    closer.fd = -1;
    Dir dir(::fdopendir(fd));
    if (!dir) {
        ::close(fd);
        return now;
    }
    while (dirent* e = ::readdir(dir.get()))
        if (record_file_name(e->d_name, month.kind)) names.emplace_back(e->d_name);
    std::sort(names.begin(), names.end());
    now.entries.reserve(names.size());
    for (const auto& name : names) {
        const Entry* known = nullptr;
        if (indexed) {
            auto it =
                std::lower_bound(indexed->entries.begin(), indexed->entries.end(), name,
                                 [](const Entry& e, const std::string& n) { return e.name < n; });
            if (it != indexed->entries.end() && it->name == name) known = &*it;
        }
        stat_file(name.c_str(), name, known);
    }
    return now;
}

// Like git's racily clean entries: a file or directory changed within the
// timestamp granularity of the file system before the index is written could
// change again with the same stamp, so it is not trusted on the next run.
bool too_recent(const Stamp& stamp, std::int64_t written_ns) {
    constexpr std::int64_t granularity_ns = 2'000'000'000;
    return std::max(stamp.mtime_ns, stamp.ctime_ns) > written_ns - granularity_ns;
}

std::string index_file_text(const std::string& header, const DirBlock& block,
                            std::string_view monitor_clock) {
    auto written_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    auto trusted = [&](const Stamp& s) { return too_recent(s, written_ns) ? unknown_stamp : s; };
    std::string text =
        fmt::format("{}{}\t{}\n", header, stamp_text(trusted(block.stamp)), monitor_clock);
    for (const auto& e : block.entries) {
        text += fmt::format("F\t{}\t{}\t{}\n", e.name, stamp_text(trusted(e.stamp)), e.facts);
    }
    return text;
}

std::string facts_of(const Store& store, RecordKind kind, const fs::path& file) {
    Record r = store.load(kind, file);
    if (kind == RecordKind::incident)
        return index_codec::serialize(incident_facts(r, store.settings()));
    if (kind == RecordKind::ticket) return index_codec::serialize(ticket_facts(r));
    return index_codec::serialize(maintenance_facts(r));
}

// Reads the records whose facts are not known, on every core when there are
// many (the first run, or after a large pull).
void parse_changed(const Store& store, std::vector<DirBlock>& blocks, StoreFacts& out) {
    struct Work {
        Entry* entry;
        RecordKind kind;
        fs::path file;
        std::string facts;
    };
    std::vector<Work> work;
    for (auto& block : blocks)
        for (auto& entry : block.entries)
            if (entry.facts.empty()) {
                block.changed = true;
                work.push_back({&entry,
                                kind_of_letter(block.kind),
                                store.root() / block.path / entry.name,
                                {}});
            }
    unsigned threads = worker_count(work.size(), 200);
    std::size_t chunk = (work.size() + threads - 1) / threads;
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t k = t * chunk; k < std::min(work.size(), (t + 1) * chunk); ++k) {
            try {
                work[k].facts = facts_of(store, work[k].kind, work[k].file);
            } catch (const Error& e) {
                work[k].facts = unreadable_facts(e.what());
            }
        }
    });
    for (auto& w : work)
        w.entry->facts = out.keep(std::move(w.facts));
}

// Resizes `v` to `n` elements. Tens of megabytes of facts would otherwise
// take one page fault per 4 KiB on one core as they are first written: the
// pages are populated up front, on every core (a hint: kernels before 5.14
// ignore it).
template <class T> void sized_for_writing(std::vector<T>& v, std::size_t n) {
    v.reserve(n);
#ifdef MADV_POPULATE_WRITE
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    auto begin = (reinterpret_cast<std::uintptr_t>(v.data()) + page - 1) & ~(page - 1);
    auto end = (reinterpret_cast<std::uintptr_t>(v.data() + n)) & ~(page - 1);
    if (end > begin + (std::uintptr_t{4} << 20)) {
        unsigned threads = worker_count(n, 0);
        auto share = ((end - begin) / threads + page - 1) & ~(page - 1);
        run_on_threads(threads, [&](unsigned t) {
            auto from = begin + t * share;
            if (from < end)
                ::madvise(reinterpret_cast<void*>(from), std::min(share, end - from),
                          MADV_POPULATE_WRITE);
        });
    }
#endif
    v.resize(n);
}

// Decodes the facts of every block into `out`, in block order, on every core,
// and reports the records that cannot be read. Facts that do not decode are
// read again from their record, never trusted.
void decode_blocks(const Store& store, std::vector<DirBlock>& blocks, StoreFacts& out) {
    auto slot = [](char kind) { return kind == 'I' ? 0 : kind == 'T' ? 1 : 2; };
    std::array<std::size_t, 3> count{};
    std::vector<std::size_t> first(blocks.size());
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        first[b] = count[slot(blocks[b].kind)];
        count[slot(blocks[b].kind)] += std::count_if(
            blocks[b].entries.begin(), blocks[b].entries.end(), std::mem_fn(&Entry::readable));
    }
    sized_for_writing(out.incidents, count[0]);
    sized_for_writing(out.tickets, count[1]);
    sized_for_writing(out.maintenance, count[2]);

    // Each record's directory, kept with the facts: a command that reads some of the
    // records afterwards finds their files without listing the store again.
    std::vector<std::string_view> directories(blocks.size());
    for (std::size_t b = 0; b < blocks.size(); ++b)
        directories[b] = out.keep(std::string(blocks[b].path));

    unsigned threads = worker_count(count[0] + count[1] + count[2], 5000);
    std::atomic<bool> lost = false;
    std::vector<StoreFacts> scratch(threads); // what each thread must keep
    std::vector<std::vector<std::string>> problems(blocks.size());
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t b = t; b < blocks.size(); b += threads) {
            auto& block = blocks[b];
            std::size_t k = 0; // the place of the next readable record in its kind's facts
            for (auto& entry : block.entries) {
                if (!entry.readable()) {
                    problems[b].push_back(entry.problem());
                    continue;
                }
                auto decode = [&] {
                    using namespace index_codec;
                    IndexedFile file{directories[b], entry.stamp};
                    if (block.kind == 'I') {
                        out.incidents[first[b] + k] = read_incident(entry.facts, scratch[t]);
                        out.incidents[first[b] + k].file = file;
                    } else if (block.kind == 'T') {
                        out.tickets[first[b] + k] = read_ticket(entry.facts, scratch[t]);
                        out.tickets[first[b] + k].file = file;
                    } else {
                        out.maintenance[first[b] + k] = read_maintenance(entry.facts, scratch[t]);
                        out.maintenance[first[b] + k].file = file;
                    }
                };
                try {
                    decode();
                } catch (const std::exception&) {
                    block.changed = true;
                    try {
                        entry.facts =
                            scratch[t].keep(facts_of(store, kind_of_letter(block.kind),
                                                     store.root() / block.path / entry.name));
                        decode();
                    } catch (const Error& e) {
                        entry.facts = scratch[t].keep(unreadable_facts(e.what()));
                        problems[b].push_back(e.what());
                        lost = true;
                    }
                }
                ++k;
            }
        }
    });
    for (auto& s : scratch)
        std::move(s.text.begin(), s.text.end(), std::back_inserter(out.text));
    for (auto& p : problems)
        std::move(p.begin(), p.end(), std::back_inserter(out.problems));
    if (lost) { // a record read again that failed left an empty place
        std::erase_if(out.incidents, [](const auto& f) { return f.id.empty(); });
        std::erase_if(out.tickets, [](const auto& f) { return f.id.empty(); });
        std::erase_if(out.maintenance, [](const auto& f) { return f.id.empty(); });
    }
}

// What one directory's index file held, and the names listed from the directory.
struct DirIndex {
    std::shared_ptr<const std::string> text;
    std::optional<DirBlock> block;
    std::vector<std::string> listed_names;
};

std::shared_ptr<const std::string> read_index_file(const fs::path& file) {
    try {
        return std::make_shared<const std::string>(read_text_file(file, std::size_t{1} << 30));
    } catch (const Error&) {
        return std::make_shared<const std::string>(); // not indexed yet
    }
}

// The oldest monitor clock the index files were read at, of the instance the
// first of them names: what changed since then covers every directory read at a
// clock of that instance (the others are read again anyway).
std::optional<MonitorClock> oldest_clock(const std::vector<DirIndex>& indexed) {
    std::optional<MonitorClock> oldest;
    for (const auto& index : indexed) {
        if (!index.block) continue;
        auto clock = MonitorClock::parse(index.block->monitor_clock);
        if (!clock) continue;
        if (!oldest)
            oldest = clock;
        else if (clock->instance == oldest->instance && clock->tick < oldest->tick)
            oldest = clock;
    }
    return oldest;
}

} // namespace

StoreFacts load_facts(const Store& store, const std::vector<RecordKind>& kinds) {
    StoreFacts out;
    int root_fd = ::open(store.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        throw RuntimeError(fmt::format("{}: cannot open the store: {}", store.root().string(),
                                       std::strerror(errno)));
    FdCloser root_closer{root_fd};
    const std::vector<MonthDir> months = month_directories(root_fd, kinds);
    const std::string settings = fingerprint(store);
    const fs::path index_dir = index_root(store);

    // Read each directory's index file, on every core.
    std::vector<DirIndex> indexed(months.size());
    unsigned threads =
        std::min(worker_count(months.size(), 1), static_cast<unsigned>(months.size() / 4 + 1));
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t m = t; m < months.size(); m += threads) {
            const auto& month = months[m];
            auto& index = indexed[m];
            index.text = read_index_file(index_dir / month.path);
            index.block = parse_index_file(*index.text,
                                           header_of(settings, letter_of(month.kind), month.path),
                                           letter_of(month.kind), month.path);
        }
    });

    // Ask the monitor, if there is one, which directories changed since they were read.
    const auto monitor = FsMonitor::configured(store);
    std::optional<MonitorChanges> changes;
    if (monitor) {
        std::vector<std::string> kind_directories;
        for (auto kind : kinds)
            kind_directories.emplace_back(kind_info(kind).directory);
        changes = monitor->changes(kind_directories, oldest_clock(indexed));
    }
    const std::string monitor_clock = changes ? changes->now.text() : std::string();

    // Stat the records of every directory the monitor does not vouch for, on
    // every core: like git's preloaded index, the stat calls dominate a warm run.
    std::vector<DirBlock> blocks(months.size());
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t m = t; m < months.size(); m += threads) {
            auto& index = indexed[m];
            auto& block = blocks[m];
            bool unchanged =
                changes && index.block && fully_stamped(*index.block) &&
                !changes->changed_since(
                    months[m].path,
                    MonitorClock::parse(index.block->monitor_clock).value_or(MonitorClock{}));
            if (unchanged) {
                block = *index.block;
                continue;
            }
            block = scan_directory(root_fd, months[m], index.block ? &*index.block : nullptr,
                                   index.listed_names);
            // A directory the monitor named is written again with its new clock,
            // even if nothing in it differs, so that it is not named again.
            block.changed = changes || !index.block || index.block->stamp != block.stamp ||
                            index.block->entries.size() != block.entries.size();
        }
    });
    for (const auto& index : indexed)
        out.text.push_back(index.text);

    // Directories and files in path order: evidence lists do not depend on the
    // directory order or the threads.
    parse_changed(store, blocks, out);
    decode_blocks(store, blocks, out);

    // Write back the files of the directories that changed, best effort (a
    // read-only store works too). An index file of a directory that is gone is
    // never read again.
    if (std::none_of(blocks.begin(), blocks.end(), [](const DirBlock& b) { return b.changed; }))
        return out;
    // Version 4 was one file at this path; nothing under it could be read, so every
    // directory changed and is written now.
    std::error_code ignored;
    if (fs::is_regular_file(index_dir, ignored)) fs::remove(index_dir, ignored);
    for (std::size_t m = 0; m < blocks.size(); ++m) {
        if (!blocks[m].changed) continue;
        try {
            fs::path file = index_dir / months[m].path;
            fs::create_directories(file.parent_path());
            write_file_atomic(file,
                              index_file_text(header_of(settings, blocks[m].kind, blocks[m].path),
                                              blocks[m], monitor_clock),
                              Durability::cache);
        } catch (const std::exception&) {
        }
    }
    return out;
}

std::vector<Store::RecordFile> indexed_record_files(const Store& store, RecordKind kind) {
    std::unordered_map<std::string, FileStamp> passed;
    if (kind != RecordKind::improvement) {
        StoreFacts facts = load_facts(store, {kind});
        auto add = [&](const auto& all) {
            passed.reserve(all.size());
            for (const auto& f : all)
                passed.emplace((store.root() / f.file.directory / f.id).native() + ".yaml",
                               f.file.stamp);
        };
        add(facts.incidents);
        add(facts.tickets);
        add(facts.maintenance);
    }
    std::vector<Store::RecordFile> files;
    for (auto& path : store.record_files(kind)) {
        auto it = passed.find(path.native());
        files.push_back({std::move(path), it == passed.end() ? std::optional<FileStamp>()
                                                             : std::optional(it->second)});
    }
    return files;
}

} // namespace opsflow
