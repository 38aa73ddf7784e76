#include "opsflow/query.hpp"

#include "opsflow/error.hpp"
#include "opsflow/files.hpp"
#include "opsflow/parallel.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

constexpr const char* index_magic = "opsflow-index";
// Bump when the facts or their serialisation change: an index of another version is rebuilt.
constexpr int index_version = 4;

// Fields are tab-separated; text is escaped so that it never holds a tab or line break.
std::string esc(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else
            out += c;
    }
    return out;
}

std::string unesc(std::string_view s) {
    if (s.find('\\') == std::string_view::npos) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        char n = s[++i];
        out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    }
    return out;
}

// A text field of the index as a view: into the index itself unless it had to be unescaped.
std::string_view text_of(std::string_view field, StoreFacts& out) {
    return field.find('\\') == std::string_view::npos ? field : out.keep(unesc(field));
}

std::string tm(const std::optional<Timestamp>& t) {
    return t ? std::to_string(t->time_since_epoch().count()) : "-";
}
std::string tm(Timestamp t) {
    return std::to_string(t.time_since_epoch().count());
}

std::int64_t number(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size())
        throw std::invalid_argument("not a number in the index");
    return v;
}

std::optional<Timestamp> opt_time(std::string_view s) {
    if (s == "-") return std::nullopt;
    return Timestamp{std::chrono::seconds(number(s))};
}
Timestamp req_time(std::string_view s) {
    return opt_time(s).value();
}

std::string survey_fields(const SurveyFacts& s) {
    return fmt::format("{}\t{}\t{}", tm(s.sent), s.score ? std::to_string(*s.score) : "-",
                       tm(s.answered));
}

// The tab-separated fields of one record's facts in the index.
class Fields {
  public:
    explicit Fields(std::string_view line) {
        for (;;) {
            if (size_ == fields_.size())
                throw std::invalid_argument("too many fields in the index");
            auto tab = line.find('\t');
            fields_[size_++] = line.substr(0, tab);
            if (tab == std::string_view::npos) break;
            line.remove_prefix(tab + 1);
        }
    }
    std::string_view at(std::size_t i) const {
        if (i >= size_) throw std::invalid_argument("too few fields in the index");
        return fields_[i];
    }

  private:
    std::array<std::string_view, 32> fields_;
    std::size_t size_ = 0;
};

SurveyFacts read_survey(const Fields& f, std::size_t at) {
    return {opt_time(f.at(at)),
            f.at(at + 1) == "-" ? std::nullopt : std::optional<int>(number(f.at(at + 1))),
            opt_time(f.at(at + 2))};
}

std::string serialize(const IncidentFacts& i) {
    std::string holds;
    for (const auto& h : i.holds)
        holds += fmt::format("{}{}:{}", holds.empty() ? "" : ",", tm(h.begin),
                             h.end == Timestamp::max() ? "-" : tm(h.end));
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}"
                       "\t{}\t{}\t{}",
                       esc(i.id), esc(i.title), esc(i.status), esc(i.priority), esc(i.service),
                       esc(i.category), esc(i.channel), esc(i.assignee), esc(i.impact),
                       esc(i.urgency), esc(i.reporter), tm(i.reported), tm(i.first_assign),
                       tm(i.first_diagnose), tm(i.resolution), tm(i.verified), tm(i.respond_by),
                       tm(i.resolve_by), i.verifications, i.failed_verifications,
                       holds.empty() ? "-" : holds, survey_fields(i.survey)) +
           fmt::format("\t{}\t{}", i.warned_respond ? 1 : 0, i.warned_resolve ? 1 : 0);
}

IncidentFacts read_incident(const Fields& f, StoreFacts& out) {
    auto text = [&](std::string_view s) { return text_of(s, out); };
    IncidentFacts i;
    i.id = text(f.at(0)), i.title = text(f.at(1)), i.status = text(f.at(2)),
    i.priority = text(f.at(3));
    i.service = text(f.at(4)), i.category = text(f.at(5)), i.channel = text(f.at(6)),
    i.assignee = text(f.at(7));
    i.impact = text(f.at(8)), i.urgency = text(f.at(9)), i.reporter = text(f.at(10));
    i.reported = req_time(f.at(11));
    i.first_assign = opt_time(f.at(12)), i.first_diagnose = opt_time(f.at(13)),
    i.resolution = opt_time(f.at(14));
    i.verified = opt_time(f.at(15)), i.respond_by = opt_time(f.at(16)),
    i.resolve_by = opt_time(f.at(17));
    i.verifications = number(f.at(18)), i.failed_verifications = number(f.at(19));
    if (f.at(20) != "-") {
        std::istringstream holds{std::string(f.at(20))};
        for (std::string h; std::getline(holds, h, ',');) {
            auto colon = h.find(':');
            auto end = h.substr(colon + 1);
            i.holds.push_back(
                {req_time(h.substr(0, colon)), end == "-" ? Timestamp::max() : req_time(end)});
        }
    }
    i.survey = read_survey(f, 21);
    i.warned_respond = f.at(24) == "1", i.warned_resolve = f.at(25) == "1";
    return i;
}

std::string serialize(const TicketFacts& t) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", esc(t.id), esc(t.status), esc(t.service),
                       esc(t.category), tm(t.received), tm(t.answered), t.escalated ? 1 : 0,
                       survey_fields(t.survey));
}

TicketFacts read_ticket(const Fields& f, StoreFacts& out) {
    auto text = [&](std::string_view s) { return text_of(s, out); };
    TicketFacts t;
    t.id = text(f.at(0)), t.status = text(f.at(1)), t.service = text(f.at(2)),
    t.category = text(f.at(3));
    t.received = req_time(f.at(4)), t.answered = opt_time(f.at(5)), t.escalated = f.at(6) == "1";
    t.survey = read_survey(f, 7);
    return t;
}

std::string serialize(const MaintenanceFacts& m) {
    std::string services;
    for (const auto& s : m.services)
        services += (services.empty() ? "" : ",") + esc(s);
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", esc(m.id), esc(m.title),
                       esc(m.status), esc(m.result), services, tm(m.start), tm(m.end),
                       tm(m.actual_end), tm(m.first_announce), m.late_notice ? 1 : 0);
}

MaintenanceFacts read_maintenance(const Fields& f, StoreFacts& out) {
    auto text = [&](std::string_view s) { return text_of(s, out); };
    MaintenanceFacts m;
    m.id = text(f.at(0)), m.title = text(f.at(1)), m.status = text(f.at(2)),
    m.result = text(f.at(3));
    for (std::string_view rest = f.at(4); !rest.empty();) {
        auto comma = rest.find(',');
        m.services.push_back(text(rest.substr(0, comma)));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    m.start = req_time(f.at(5)), m.end = req_time(f.at(6)), m.actual_end = opt_time(f.at(7));
    m.first_announce = opt_time(f.at(8)), m.late_notice = f.at(9) == "1";
    return m;
}

// The stamp of a file or directory, like git's index keeps it: any write to a
// file changes its size or mtime, and creating, deleting or renaming a file
// changes its directory's mtime.
struct Stamp {
    std::int64_t size = -1, mtime_ns = -1, inode = -1;
    bool operator==(const Stamp&) const = default;
};

Stamp stamp_of(const struct stat& st) {
    return {st.st_size,
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
            static_cast<std::int64_t>(st.st_ino)};
}

// One record file of the index: its name in its directory, its stamp and its
// facts (empty until parsed). Views point into the index text or parsed facts.
struct Entry {
    std::string_view name;
    Stamp stamp;
    std::string_view facts;
};

// One month directory of one kind, with its record files sorted by name.
struct DirBlock {
    char kind = 0; // I, T, M
    std::string_view path;
    Stamp stamp;
    std::vector<Entry> entries;
};

constexpr char kind_letters[] = {'I', 'M', 'T', 'P'}; // by RecordKind
char letter_of(RecordKind kind) {
    return kind_letters[static_cast<int>(kind)];
}

std::string fingerprint(const Store& store) {
    std::string settings;
    try {
        settings = read_text_file(store.root() / "opsflow.yaml");
    } catch (const Error&) {
    }
    return fmt::format("{:016x}", std::hash<std::string>{}(settings));
}

fs::path index_path(const Store& store) {
    return store.root() / ".opsflow" / "index";
}

std::string header_line(const Store& store) {
    return fmt::format("{}\t{}\t{}", index_magic, index_version, fingerprint(store));
}

// `count` tab-separated fields from the front of `line`; the rest stays in `line`.
template <std::size_t count>
bool take_fields(std::string_view& line, std::array<std::string_view, count>& fields) {
    for (auto& field : fields) {
        auto tab = line.find('\t');
        if (tab == std::string_view::npos) return false;
        field = line.substr(0, tab);
        line.remove_prefix(tab + 1);
    }
    return true;
}

Stamp stamp_from(std::string_view size, std::string_view mtime, std::string_view inode) {
    return {number(size), number(mtime), number(inode)};
}

// The directory blocks of the index text, in the order written (sorted by path);
// empty when the text is not a whole index of this version and these settings.
//   D <tab> kind <tab> path <tab> size <tab> mtime <tab> inode
//   F <tab> name <tab> size <tab> mtime <tab> inode <tab> facts
std::vector<DirBlock> parse_index(std::string_view text, const std::string& header) {
    std::vector<DirBlock> blocks;
    auto nl = text.find('\n');
    if (nl == std::string_view::npos || text.substr(0, nl) != header) return {};
    try {
        for (std::size_t pos = nl + 1; pos < text.size();) {
            auto end = text.find('\n', pos);
            if (end == std::string_view::npos) return {}; // cut short: rebuild everything
            std::string_view line = text.substr(pos, end - pos);
            pos = end + 1;
            if (line.starts_with("D\t")) {
                line.remove_prefix(2);
                std::array<std::string_view, 4> f;
                if (!take_fields(line, f) || f[0].size() != 1) return {};
                blocks.push_back({f[0][0], f[1], stamp_from(f[2], f[3], line), {}});
                blocks.back().entries.reserve(2048);
            } else if (line.starts_with("F\t") && !blocks.empty()) {
                line.remove_prefix(2);
                std::array<std::string_view, 4> f;
                if (!take_fields(line, f)) return {};
                blocks.back().entries.push_back({f[0], stamp_from(f[1], f[2], f[3]), line});
            } else {
                return {};
            }
        }
    } catch (const std::exception&) {
        return {};
    }
    for (auto& block : blocks)
        block.entries.shrink_to_fit();
    return blocks;
}

std::string read_index_text(const Store& store) {
    try {
        return read_text_file(index_path(store), std::size_t{1} << 31);
    } catch (const Error&) {
        return {}; // no index yet: everything is read from the records
    }
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

// Names that the index can hold as they are; anything else is not a record file.
bool plain_name(std::string_view name) {
    return std::none_of(name.begin(), name.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == 0x7f;
    });
}

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
    DirBlock now{letter_of(month.kind), month.path, {}, {}};
    int fd = ::openat(root_fd, month.path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return now;
    FdCloser closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) return now;
    now.stamp = stamp_of(st);
    auto stat_file = [&](const char* name, std::string_view view, const Entry* known) {
        struct stat fst {};
        if (::fstatat(fd, name, &fst, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(fst.st_mode)) return;
        Stamp stamp = stamp_of(fst);
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
    std::string prefix = std::string(kind_info(month.kind).prefix) + "-";
    while (dirent* e = ::readdir(dir.get())) {
        std::string_view name = e->d_name;
        if (name.starts_with(prefix) && name.ends_with(".yaml") && plain_name(name))
            names.emplace_back(name);
    }
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

// A stamp no file has: the entry is read again next time.
constexpr Stamp unknown_stamp{};

// Like git's racily clean entries: a file or directory changed within the
// timestamp granularity of the file system before the index is written could
// change again with the same stamp, so it is not trusted on the next run.
bool too_recent(const Stamp& stamp, std::int64_t written_ns) {
    constexpr std::int64_t granularity_ns = 2'000'000'000;
    return stamp.mtime_ns > written_ns - granularity_ns;
}

std::string index_text_of(const std::string& header, const std::vector<const DirBlock*>& blocks) {
    auto written_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    auto trusted = [&](const Stamp& s) { return too_recent(s, written_ns) ? unknown_stamp : s; };
    std::string text = header + "\n";
    for (const DirBlock* block : blocks) {
        Stamp dir = trusted(block->stamp);
        text += fmt::format("D\t{}\t{}\t{}\t{}\t{}\n", block->kind, block->path, dir.size,
                            dir.mtime_ns, dir.inode);
        for (const auto& e : block->entries) {
            if (e.facts.empty()) continue;
            Stamp file = trusted(e.stamp);
            text += fmt::format("F\t{}\t{}\t{}\t{}\t{}\n", e.name, file.size, file.mtime_ns,
                                file.inode, e.facts);
        }
    }
    return text;
}

std::string facts_of(const Store& store, RecordKind kind, const fs::path& file) {
    Record r = store.load(kind, file);
    if (kind == RecordKind::incident) return serialize(incident_facts(r, store.settings()));
    if (kind == RecordKind::ticket) return serialize(ticket_facts(r));
    return serialize(maintenance_facts(r));
}

RecordKind kind_of_letter(char letter) {
    return letter == 'I'   ? RecordKind::incident
           : letter == 'T' ? RecordKind::ticket
                           : RecordKind::maintenance;
}

// Reads the records whose facts are not known, on every core when there are
// many (the first run, or after a large pull). Returns whether there were any.
bool parse_changed(const Store& store, std::vector<DirBlock>& blocks, StoreFacts& out) {
    struct Work {
        Entry* entry;
        RecordKind kind;
        fs::path file;
        std::string facts, problem;
    };
    std::vector<Work> work;
    for (auto& block : blocks)
        for (auto& entry : block.entries)
            if (entry.facts.empty())
                work.push_back({&entry,
                                kind_of_letter(block.kind),
                                store.root() / block.path / entry.name,
                                {},
                                {}});
    unsigned threads = worker_count(work.size(), 200);
    std::size_t chunk = (work.size() + threads - 1) / threads;
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t k = t * chunk; k < std::min(work.size(), (t + 1) * chunk); ++k) {
            try {
                work[k].facts = facts_of(store, work[k].kind, work[k].file);
            } catch (const Error& e) {
                work[k].problem = e.what();
            }
        }
    });
    for (auto& w : work) {
        if (!w.facts.empty()) w.entry->facts = out.keep(std::move(w.facts));
        if (!w.problem.empty()) out.problems.push_back(std::move(w.problem));
    }
    for (auto& block : blocks)
        std::erase_if(block.entries, [](const Entry& e) { return e.facts.empty(); });
    return !work.empty();
}

// Decodes the facts of every block into `out`, in block order, on every core.
// Facts that do not decode are read again from their record, never trusted.
// Returns whether any had to be.
bool decode_blocks(const Store& store, std::vector<DirBlock>& blocks, StoreFacts& out) {
    auto slot = [](char kind) { return kind == 'I' ? 0 : kind == 'T' ? 1 : 2; };
    std::array<std::size_t, 3> count{};
    std::vector<std::size_t> first(blocks.size());
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        first[b] = count[slot(blocks[b].kind)];
        count[slot(blocks[b].kind)] += blocks[b].entries.size();
    }
    out.incidents.resize(count[0]);
    out.tickets.resize(count[1]);
    out.maintenance.resize(count[2]);

    unsigned threads = worker_count(count[0] + count[1] + count[2], 5000);
    std::vector<StoreFacts> scratch(threads); // what each thread must keep, and its problems
    std::vector<char> damaged(threads, 0);
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t b = t; b < blocks.size(); b += threads) {
            auto& block = blocks[b];
            for (std::size_t k = 0; k < block.entries.size(); ++k) {
                auto& entry = block.entries[k];
                auto decode = [&] {
                    Fields f(entry.facts);
                    if (block.kind == 'I')
                        out.incidents[first[b] + k] = read_incident(f, scratch[t]);
                    else if (block.kind == 'T')
                        out.tickets[first[b] + k] = read_ticket(f, scratch[t]);
                    else
                        out.maintenance[first[b] + k] = read_maintenance(f, scratch[t]);
                };
                try {
                    decode();
                } catch (const std::exception&) {
                    damaged[t] = 1;
                    try {
                        entry.facts =
                            scratch[t].keep(facts_of(store, kind_of_letter(block.kind),
                                                     store.root() / block.path / entry.name));
                        decode();
                    } catch (const Error& e) {
                        entry.facts = {};
                        scratch[t].problems.push_back(e.what());
                    }
                }
            }
        }
    });
    bool lost = false;
    for (auto& s : scratch) {
        std::move(s.text.begin(), s.text.end(), std::back_inserter(out.text));
        lost = lost || !s.problems.empty();
        std::move(s.problems.begin(), s.problems.end(), std::back_inserter(out.problems));
    }
    if (lost) { // a record read again that failed left an empty place
        std::erase_if(out.incidents, [](const auto& f) { return f.id.empty(); });
        std::erase_if(out.tickets, [](const auto& f) { return f.id.empty(); });
        std::erase_if(out.maintenance, [](const auto& f) { return f.id.empty(); });
    }
    return std::find(damaged.begin(), damaged.end(), 1) != damaged.end();
}

} // namespace

StoreFacts load_facts(const Store& store, const std::vector<RecordKind>& kinds) {
    StoreFacts out;
    const std::string header = header_line(store);
    out.text.push_back(std::make_shared<const std::string>(read_index_text(store)));
    const std::vector<DirBlock> previous = parse_index(*out.text.back(), header);
    auto asked = [&](char letter) {
        return std::any_of(kinds.begin(), kinds.end(),
                           [&](RecordKind k) { return letter_of(k) == letter; });
    };

    int root_fd = ::open(store.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        throw RuntimeError(fmt::format("{}: cannot open the store: {}", store.root().string(),
                                       std::strerror(errno)));
    FdCloser root_closer{root_fd};
    const std::vector<MonthDir> months = month_directories(root_fd, kinds);

    // Stat every directory's files, on every core: like git's preloaded index,
    // these calls dominate a warm run.
    std::vector<DirBlock> blocks(months.size());
    std::vector<std::vector<std::string>> listed_names(months.size());
    auto indexed_block = [&](const MonthDir& m) -> const DirBlock* {
        auto it = std::lower_bound(
            previous.begin(), previous.end(), m.path,
            [](const DirBlock& b, const std::string& path) { return b.path < path; });
        return it != previous.end() && it->path == m.path && it->kind == letter_of(m.kind)
                   ? &*it
                   : nullptr;
    };
    unsigned threads =
        std::min(worker_count(months.size(), 1), static_cast<unsigned>(months.size() / 4 + 1));
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t m = t; m < months.size(); m += threads)
            blocks[m] =
                scan_directory(root_fd, months[m], indexed_block(months[m]), listed_names[m]);
    });

    // Directories and files in path order: evidence lists do not depend on the
    // directory order or the threads.
    bool changed = parse_changed(store, blocks, out);
    changed = decode_blocks(store, blocks, out) || changed;

    // Write the index back when anything changed, best effort (a read-only store
    // works too). Directories of the kinds not asked for stay as they were.
    std::size_t previous_asked = std::count_if(previous.begin(), previous.end(),
                                               [&](const DirBlock& b) { return asked(b.kind); });
    changed = changed || previous_asked != blocks.size();
    for (const auto& block : blocks) {
        const DirBlock* old = indexed_block({kind_of_letter(block.kind), std::string(block.path)});
        changed = changed || !old || old->stamp != block.stamp ||
                  old->entries.size() != block.entries.size();
    }
    if (!changed) return out;
    std::vector<const DirBlock*> written;
    for (const auto& block : blocks)
        written.push_back(&block);
    for (const auto& block : previous)
        if (!asked(block.kind)) written.push_back(&block);
    std::sort(written.begin(), written.end(),
              [](const DirBlock* a, const DirBlock* b) { return a->path < b->path; });
    try {
        fs::create_directories(index_path(store).parent_path());
        write_file_atomic(index_path(store), index_text_of(header, written));
    } catch (const std::exception&) {
    }
    return out;
}

} // namespace opsflow
