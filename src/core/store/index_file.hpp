#pragma once
// The query index on disk (src/core/store/query.cpp reads and writes it): one file per
// record directory, `.opsflow/index/incidents/2026/11` for `incidents/2026/11`,
// holding the stamp and the facts of each record file; and the scan of the
// directories that tells which entries still hold.
#include "opsflow/base/files.hpp"
#include "opsflow/base/id.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow::index_file {

// The stamp of a file or directory (creating, deleting or renaming a file changes
// its directory's).
using Stamp = FileStamp;

// A stamp no file has: the entry is read again next time.
constexpr Stamp unknown_stamp{};

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
    std::string problem() const;
};

std::string unreadable_facts(std::string_view problem);

// One month directory of one kind, with its record files sorted by name.
struct DirBlock {
    RecordKind kind = RecordKind::incident;
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
bool fully_stamped(const DirBlock& block);

// The first line of a directory's index file, before the directory's stamp.
std::string header_of(const std::string& fingerprint, RecordKind kind, std::string_view path);

// The directory's block as its index file holds it; nullopt when the text is not a
// whole index file of this version, settings and directory, or its checksum does not
// match (one damaged byte anywhere: the directory is read again and its file rewritten).
std::optional<DirBlock> parse_index_file(std::string_view file_text, const std::string& header,
                                         RecordKind kind, std::string_view path);

// The stamp of the directory an index file's text lists, whatever settings it was
// written under (the names it holds do not depend on them): when the directory still
// has that stamp, no file was added, removed or renamed in it since. Nullopt when the
// text is not an index file of this version for `kind` and `path`, its checksum does
// not match, or the stamp was too recent to be trusted.
std::optional<Stamp> listed_stamp(std::string_view file_text, RecordKind kind,
                                  std::string_view path);

// Calls `visit` with each file name in an index file's text that starts with `prefix`
// (a text listed_stamp accepted: its checksum is not checked again).
void for_each_listed_name(std::string_view text, std::string_view prefix,
                          const std::function<void(std::string_view)>& visit);

// The text of a directory's index file, sealed with its checksum; stamps too recent
// to be trusted (racily clean) are written as unknown.
std::string index_file_text(const std::string& header, const DirBlock& block,
                            std::string_view monitor_clock);

// An open file descriptor, closed at the end of its scope (-1: none).
struct FdCloser {
    int fd;
    ~FdCloser();
};

struct MonthDir {
    RecordKind kind;
    std::string path;
};

// Every month directory of the given kinds below the store (`root_fd`), sorted by path.
std::vector<MonthDir> month_directories(int root_fd, const std::vector<RecordKind>& kinds);

// The record files of one directory now. When the directory's stamp is the one in
// the index, its names are too, and only its indexed files are stat'ed (like git's
// untracked cache); otherwise it is listed again. Files whose stamp changed come
// back with empty facts, to be parsed. `names` holds the names read from the
// directory, so that the views stay valid.
DirBlock scan_directory(int root_fd, const MonthDir& month, const DirBlock* indexed,
                        std::vector<std::string>& names);

} // namespace opsflow::index_file
