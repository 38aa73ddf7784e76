#pragma once
// File I/O with the guarantees records need: bounded reads, atomic replaces,
// and an exclusive lock on a file that is never renamed (PITFALLS.md).
#include "opsflow/base/yaml.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

struct stat;

namespace opsflow {

// Whether a read follows a symbolic link, or refuses it (records: only regular
// files are records, and a link could point out of the store).
enum class Links { follow, refuse };

// Reads a whole file; refuses files larger than `max_bytes` and anything but a
// regular file (a FIFO, a socket; without waiting) with InvalidDataError.
// `display` names the file in messages (default: the path).
std::string read_text_file(const std::filesystem::path& path,
                           std::size_t max_bytes = max_file_bytes, const std::string& display = {},
                           Links links = Links::follow);
// What a file is ("a symbolic link", "a FIFO"...), from its st_mode.
std::string file_type_name(unsigned mode);

// The stamp of a file, as git's index keeps it: any write to a file changes its
// ctime (which, unlike mtime, no tool can set back), and a new file has a new inode.
struct FileStamp {
    std::int64_t size = -1, mtime_ns = -1, ctime_ns = -1, inode = -1;
    bool operator==(const FileStamp&) const = default;
};
FileStamp file_stamp(const struct stat& st);

// A file's text and its stamp, the same before and after it was read (nullopt
// when the file changed while it was read).
struct StampedText {
    std::string text;
    std::optional<FileStamp> stamp;
};
StampedText read_stamped_text_file(const std::filesystem::path& path, std::size_t max_bytes,
                                   const std::string& display, Links links = Links::follow);

// Whether a write must survive a crash (records, settings) or may be lost with
// it (caches that are checked when read and rebuilt).
enum class Durability { durable, cache };

// Replaces `path` atomically: temporary file in the same directory, rename.
// A durable write also syncs the file before the rename and the directory after
// it. Keeps the mode of an existing file.
void write_file_atomic(const std::filesystem::path& path, const std::string& content,
                       Durability durability = Durability::durable);

// Holds an exclusive flock on `path` (created if missing) for its lifetime.
// A file written piece by piece that appears, whole, only on commit() (temporary
// file in the same directory, then rename); without commit() it never appears.
class AtomicFile {
  public:
    explicit AtomicFile(std::filesystem::path path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    void write(std::string_view text);
    void commit();

  private:
    std::filesystem::path path_;
    std::string temporary_;
    int fd_ = -1;
};

enum class EntryType { file, directory, other }; // other: a symbolic link, a device...

// A file's text, mapped rather than read: no copy, and no memory of our own to
// fill. For files opsflow only ever replaces whole (renamed over), never changes
// in place, so that the text cannot change under the views into it: the query
// index, the check cache. A missing file is what the caller says it is: a cache not
// written yet reads as empty, anything else that must be there throws NotFoundError.
// Any other failure throws (not a regular file, too large, unreadable).
enum class IfMissing { empty, fail };
class MappedText {
  public:
    MappedText(const std::filesystem::path& file, IfMissing if_missing);
    ~MappedText();
    MappedText(const MappedText&) = delete;
    MappedText& operator=(const MappedText&) = delete;
    std::string_view text() const { return {static_cast<const char*>(data_), size_}; }

  private:
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

// Calls `visit` with the name and type of each entry of `dir` (not `.` and `..`),
// in directory order, until it returns false; a directory that cannot be read has
// no entries. Cheaper than std::filesystem's iterators: no path object per entry,
// and no stat where readdir already tells the type.
void list_directory(const std::filesystem::path& dir,
                    const std::function<bool(std::string_view name, EntryType type)>& visit);

// Creates `path` with `content`; throws RuntimeError if it exists already. (No
// temporary file: there is nothing to protect, and whoever undoes it removes it.)
void write_new_file(const std::filesystem::path& path, std::string_view content,
                    Durability durability = Durability::durable);

// One file a change writes: its new text and what it held before (none: a new file,
// which must not exist yet). Paths are relative to the store root.
struct FileWrite {
    std::string relative;
    std::string text;
    std::optional<std::string> previous;
};

class FileLock {
  public:
    // Waits as long as it takes.
    explicit FileLock(const std::filesystem::path& path);
    // The lock if nobody holds it now, without waiting.
    static std::optional<FileLock> try_lock(const std::filesystem::path& path);
    // The lock if it comes free within `wait` (tried every 50-200 ms); none if it
    // does not. Throws RuntimeError if the file cannot be opened.
    static std::optional<FileLock> lock_within(const std::filesystem::path& path,
                                               std::chrono::milliseconds wait);
    FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
    explicit FileLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// Who holds an flock on `path` now, from /proc/locks: `process 1234 (flock)`;
// empty when that cannot be told.
std::string lock_holder(const std::filesystem::path& path);

// The name of the user this process runs as (`nobody`), or its number.
std::string effective_user();

} // namespace opsflow
