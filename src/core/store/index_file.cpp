#include "store/index_file.hpp"

#include "base/checksum.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "store/index_codec.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace opsflow::index_file {

using index_codec::number;

namespace {

// The index is one file per record directory, `.opsflow/index/incidents/2026/11`
// for `incidents/2026/11`: directories are read, checked and decoded on every
// core, and a change rewrites only its own directory's file.
constexpr const char* index_magic = "opsflow-index";
// Bump when the facts or their serialisation change: an index of another version is rebuilt.
// Version 9: sealed with a checksum (checksum.hpp). Version 10: problems and articles,
// and the article a ticket was answered with.
constexpr int index_version = 11;

// A stamp in an index file: four tab-separated numbers.
std::string stamp_text(const Stamp& s) {
    return fmt::format("{}\t{}\t{}\t{}", s.size, s.mtime_ns, s.ctime_ns, s.inode);
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

} // namespace

std::string header_of(const std::string& fingerprint, RecordKind kind, std::string_view path) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\t", index_magic, index_version, fingerprint,
                       kind_info(kind).index_letter, path);
}

// Lines of an index file:
//   opsflow-index, version, fingerprint, kind letter, directory, the directory's
//     stamp, the monitor's clock when it was read (or nothing)
//   F, name, the file's stamp, facts (or `!` and why the record cannot be read)
// with fields separated by tabs, and the checksum's trailer (checksum.hpp): a file
// with one damaged byte is not trusted in any part.
std::optional<DirBlock> parse_index_file(std::string_view file_text, const std::string& header,
                                         RecordKind kind, std::string_view path) {
    if (!file_text.starts_with(header)) return std::nullopt;
    auto sealed = checksum::unsealed(file_text);
    if (!sealed) return std::nullopt;
    const std::string_view text = *sealed;
    auto nl = text.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
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
            if (!take_fields(line, f) || f[0] != "F" || !record_file_name(f[1], kind) ||
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

std::optional<Stamp> listed_stamp(std::string_view file_text, RecordKind kind,
                                  std::string_view path) {
    auto sealed = checksum::unsealed(file_text);
    if (!sealed) return std::nullopt;
    std::string_view text = *sealed;
    std::array<std::string_view, 5> header;
    std::array<std::string_view, 4> stamp;
    if (!take_fields(text, header) || header[0] != index_magic ||
        header[1] != std::to_string(index_version) || header[3].size() != 1 ||
        header[3][0] != kind_info(kind).index_letter || header[4] != path ||
        !take_fields(text, stamp))
        return std::nullopt;
    try {
        Stamp listed = stamp_from(stamp);
        if (listed == unknown_stamp) return std::nullopt;
        return listed;
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

void for_each_listed_name(std::string_view text, std::string_view prefix,
                          const std::function<void(std::string_view)>& visit) {
    // Every record's line starts `F\t` and its name, after the header's line break.
    const std::string needle = "\nF\t" + std::string(prefix);
    const std::boyer_moore_horspool_searcher search(needle.begin(), needle.end());
    for (auto at = text.begin();;) {
        auto found = std::search(at, text.end(), search);
        if (found == text.end()) return;
        auto name = text.substr(static_cast<std::size_t>(found - text.begin()) + 3);
        visit(name.substr(0, name.find('\t')));
        at = found + 1;
    }
}

std::string Entry::problem() const {
    return index_codec::unescape(facts.substr(1));
}

std::string unreadable_facts(std::string_view problem) {
    return Entry::unreadable + index_codec::escape(problem);
}

bool fully_stamped(const DirBlock& block) {
    return block.stamp != unknown_stamp &&
           std::none_of(block.entries.begin(), block.entries.end(),
                        [](const Entry& e) { return e.stamp == unknown_stamp; });
}

FdCloser::~FdCloser() {
    if (fd >= 0) ::close(fd);
}

namespace {

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

} // namespace

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

DirBlock scan_directory(int root_fd, const MonthDir& month, const DirBlock* indexed,
                        std::vector<std::string>& names) {
    DirBlock now{month.kind, month.path, {}, {}, {}};
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
        const auto& entries = indexed->entries;
        for (std::size_t k = 0; k < entries.size(); ++k) {
            const auto& entry = entries[k];
            // The stat calls in between push the index text out of the cache: the
            // names a few entries on are asked for ahead.
            if (k + 8 < entries.size()) __builtin_prefetch(entries[k + 8].name.data());
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

namespace {

// Like git's racily clean entries: a file or directory changed within the
// timestamp granularity of the file system before the index is written could
// change again with the same stamp, so it is not trusted on the next run.
bool too_recent(const Stamp& stamp, std::int64_t written_ns) {
    constexpr std::int64_t granularity_ns = 2'000'000'000;
    return std::max(stamp.mtime_ns, stamp.ctime_ns) > written_ns - granularity_ns;
}

} // namespace

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
    checksum::seal(text);
    return text;
}

} // namespace opsflow::index_file
