#include "opsflow/base/files.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <pwd.h>
#include <sstream>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

std::string errno_text() {
    return std::strerror(errno);
}

// Closes a descriptor on scope exit unless released.
struct FdGuard {
    int fd;
    ~FdGuard() {
        if (fd >= 0) ::close(fd);
    }
};

void write_all(int fd, std::string_view content, const fs::path& path) {
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        ssize_t n = ::write(fd, data, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw RuntimeError(tr("cannot write {}: {}", path.string(), errno_text()));
        data += n;
        left -= static_cast<std::size_t>(n);
    }
}

} // namespace

namespace {

std::int64_t nanoseconds(const struct timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

} // namespace

FileStamp file_stamp(const struct stat& st) {
    return {st.st_size, nanoseconds(st.st_mtim), nanoseconds(st.st_ctim),
            static_cast<std::int64_t>(st.st_ino)};
}

std::string file_type_name(unsigned mode) {
    return S_ISLNK(mode)    ? "a symbolic link"
           : S_ISFIFO(mode) ? "a FIFO"
           : S_ISSOCK(mode) ? "a socket"
           : S_ISDIR(mode)  ? "a directory"
           : S_ISREG(mode)  ? "a regular file"
                            : "a device";
}

std::string read_text_file(const fs::path& path, std::size_t max_bytes, const std::string& display,
                           Links links) {
    return read_stamped_text_file(path, max_bytes, display, links).text;
}

StampedText read_stamped_text_file(const fs::path& path, std::size_t max_bytes,
                                   const std::string& display, Links links) {
    const std::string name = display.empty() ? path.string() : display;
    auto not_regular = [&](mode_t mode) {
        return InvalidDataError({Diagnostic{
            name, 0, 0, "", fmt::format("not a regular file ({})", file_type_name(mode))}});
    };
    // Non-blocking, so that a FIFO in place of a file cannot make us wait for a
    // writer; refused below like anything else that is not a regular file.
    int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (links == Links::refuse ? O_NOFOLLOW : 0);
    int fd = ::open(path.c_str(), flags);
    if (fd < 0) {
        int error = errno;
        struct stat st {};
        // ELOOP: a symbolic link under O_NOFOLLOW; ENXIO: a UNIX socket (open(2)
        // cannot open one); anything else that is there but not a regular file.
        if (error != ENOENT &&
            (links == Links::refuse ? ::lstat(path.c_str(), &st) : ::stat(path.c_str(), &st)) ==
                0 &&
            !S_ISREG(st.st_mode))
            throw not_regular(st.st_mode);
        if (error == ENOENT) throw NotFoundError(tr("{}: no such file", path.string()));
        if (error == EACCES || error == EPERM)
            throw RuntimeError(tr("cannot read {0} as user {1}: {2}", path.string(),
                                  effective_user(), std::strerror(error)));
        throw RuntimeError(tr("cannot read {}: {}", path.string(), std::strerror(error)));
    }
    FdGuard guard{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw RuntimeError(tr("cannot read {}: {}", path.string(), errno_text()));
    if (!S_ISREG(st.st_mode)) throw not_regular(st.st_mode);
    if (static_cast<std::size_t>(st.st_size) > max_bytes)
        throw InvalidDataError(
            {Diagnostic{name, 0, 0, "",
                        tr("file is {} bytes, more than the limit of {}", st.st_size, max_bytes)}});
    std::string content(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < content.size()) {
        ssize_t n = ::read(fd, content.data() + got, content.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw RuntimeError(tr("cannot read {}: {}", path.string(), errno_text()));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    content.resize(got);
    StampedText out{std::move(content), file_stamp(st)};
    struct stat after {};
    if (::fstat(fd, &after) != 0 || file_stamp(after) != *out.stamp) out.stamp.reset();
    return out;
}

AtomicFile::AtomicFile(fs::path path) : path_(std::move(path)) {
    fs::path dir = path_.parent_path().empty() ? fs::path(".") : path_.parent_path();
    temporary_ = (dir / ("." + path_.filename().string() + ".XXXXXX")).string();
    fd_ = ::mkostemp(temporary_.data(), O_CLOEXEC);
    if (fd_ < 0)
        throw RuntimeError(tr("cannot create a file in {}: {}", dir.string(), errno_text()));
    ::fchmod(fd_, 0644);
}

AtomicFile::~AtomicFile() {
    if (fd_ < 0) return;
    ::close(fd_);
    ::unlink(temporary_.c_str());
}

void AtomicFile::write(std::string_view text) {
    write_all(fd_, text, path_);
}

void AtomicFile::commit() {
    int fd = std::exchange(fd_, -1);
    bool ok = ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(temporary_.c_str(), path_.c_str()) != 0) {
        std::string why = errno_text();
        ::unlink(temporary_.c_str());
        throw RuntimeError(tr("cannot write {}: {}", path_.string(), why));
    }
}

void list_directory(const fs::path& dir,
                    const std::function<bool(std::string_view, EntryType)>& visit) {
    DIR* listing = ::opendir(dir.c_str());
    if (!listing) return;
    struct Closer {
        DIR* d;
        ~Closer() { ::closedir(d); }
    } closer{listing};
    while (const dirent* entry = ::readdir(listing)) {
        std::string_view name(entry->d_name);
        if (name == "." || name == "..") continue;
        unsigned char type = entry->d_type;
        if (type == DT_UNKNOWN) { // some file systems do not say
            struct stat st {};
            if (::fstatat(::dirfd(listing), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : DT_LNK;
        }
        auto kind = type == DT_REG   ? EntryType::file
                    : type == DT_DIR ? EntryType::directory
                                     : EntryType::other;
        if (!visit(name, kind)) return;
    }
}

void write_new_file(const fs::path& path, std::string_view content, Durability durability) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST) throw RuntimeError(tr("{} exists already", path.string()));
        throw RuntimeError(tr("cannot create {}: {}", path.string(), errno_text()));
    }
    FdGuard guard{fd};
    try {
        write_all(fd, content, path);
        if (durability == Durability::durable && ::fsync(fd) != 0)
            throw RuntimeError(tr("cannot sync {}: {}", path.string(), errno_text()));
    } catch (...) {
        ::unlink(path.c_str());
        throw;
    }
    if (durability == Durability::cache) return;
    fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

void write_file_atomic(const fs::path& path, const std::string& content, Durability durability) {
    fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    std::string tmpl = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
    int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0)
        throw RuntimeError(tr("cannot create a file in {}: {}", dir.string(), errno_text()));
    FdGuard guard{fd};
    try {
        struct stat st {};
        mode_t mode = 0644;
        if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
        ::fchmod(fd, mode);
        write_all(fd, content, path);
        if (durability == Durability::durable && ::fsync(fd) != 0)
            throw RuntimeError(tr("cannot sync {}: {}", tmpl, errno_text()));
        guard.fd = -1;
        if (::close(fd) != 0) throw RuntimeError(tr("cannot write {}: {}", tmpl, errno_text()));
        if (::rename(tmpl.c_str(), path.c_str()) != 0)
            throw RuntimeError(tr("cannot replace {}: {}", path.string(), errno_text()));
    } catch (...) {
        ::unlink(tmpl.c_str());
        throw;
    }
    if (durability == Durability::cache) return;
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

namespace {

int open_lock_file(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        std::string error = errno_text();
        throw RuntimeError(
            tr("cannot open lock {0} as user {1}: {2}", path.string(), effective_user(), error));
    }
    return fd;
}

} // namespace

std::string effective_user() {
    uid_t uid = ::geteuid();
    std::vector<char> buffer(16384);
    struct passwd entry {};
    struct passwd* found = nullptr;
    if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found)
        return found->pw_name;
    return std::to_string(uid);
}

std::string lock_holder(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "";
    // /proc/locks: `1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF`; `->` lines wait.
    std::string file = fmt::format("{:02x}:{:02x}:{}", major(st.st_dev), minor(st.st_dev),
                                   static_cast<unsigned long long>(st.st_ino));
    std::ifstream locks("/proc/locks");
    std::string line;
    while (std::getline(locks, line)) {
        std::istringstream in(line);
        std::string number, type, mode, access, pid, where;
        in >> number >> type;
        if (type == "->" || type != "FLOCK") continue;
        in >> mode >> access >> pid >> where;
        if (where != file) continue;
        std::ifstream comm("/proc/" + pid + "/comm");
        std::string name;
        std::getline(comm, name);
        return name.empty() ? tr("process {}", pid) : tr("process {} ({})", pid, name);
    }
    return "";
}

FileLock::FileLock(const fs::path& path) {
    fd_ = open_lock_file(path);
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        ::close(fd_);
        throw RuntimeError(tr("cannot lock {}: {}", path.string(), errno_text()));
    }
}

std::optional<FileLock> FileLock::try_lock(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return std::nullopt;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        ::close(fd);
        return std::nullopt;
    }
    std::optional<FileLock> lock;
    lock.emplace(FileLock(fd));
    return lock;
}

std::optional<FileLock> FileLock::lock_within(const fs::path& path,
                                              std::chrono::milliseconds wait) {
    int fd = open_lock_file(path);
    auto deadline = std::chrono::steady_clock::now() + wait;
    auto pause = std::chrono::milliseconds(50);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) {
            std::string error = errno_text();
            ::close(fd);
            throw RuntimeError(tr("cannot lock {}: {}", path.string(), error));
        }
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            ::close(fd);
            return std::nullopt;
        }
        std::this_thread::sleep_for(
            std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
        pause = std::min(pause * 2, std::chrono::milliseconds(200));
    }
    std::optional<FileLock> lock;
    lock.emplace(FileLock(fd));
    return lock;
}

FileLock::~FileLock() {
    if (fd_ >= 0) ::close(fd_); // closing releases the flock
}

// A missing file is empty text (every caller is a cache that may not be written yet:
// ENOENT, or ENOTDIR when a directory on the way is a file). Anything else fails
// loudly: anything but a regular file (a symbolic link is not followed, a FIFO not
// waited on) or a file over 1 GiB throws InvalidDataError; a file that cannot be
// opened, examined or mapped throws RuntimeError. An empty file is empty text.
MappedText::MappedText(const fs::path& file, IfMissing if_missing) {
    constexpr std::uint64_t max_bytes = std::uint64_t{1} << 30;
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        int error = errno;
        if (error == ENOENT || error == ENOTDIR) {
            if (if_missing == IfMissing::empty) return;
            throw NotFoundError(tr("cannot read {}: {}", file.string(), std::strerror(error)));
        }
        struct stat st {};
        if (error == ELOOP && ::lstat(file.c_str(), &st) == 0)
            throw InvalidDataError(
                {Diagnostic{file.string(), 0, 0, "",
                            tr("not a regular file ({})", file_type_name(st.st_mode))}});
        throw RuntimeError(tr("cannot read {}: {}", file.string(), std::strerror(error)));
    }
    FdGuard guard{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw RuntimeError(tr("cannot read {}: {}", file.string(), errno_text()));
    if (!S_ISREG(st.st_mode))
        throw InvalidDataError({Diagnostic{
            file.string(), 0, 0, "", tr("not a regular file ({})", file_type_name(st.st_mode))}});
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
        throw InvalidDataError(
            {Diagnostic{file.string(), 0, 0, "",
                        tr("file is {} bytes, more than the limit of {}", st.st_size, max_bytes)}});
    if (st.st_size == 0) return; // nothing to map (mmap refuses a length of 0)
    // Every page is read: mapped in one call rather than one fault at a time.
    void* data = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ,
                        MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (data == MAP_FAILED)
        throw RuntimeError(tr("cannot read {}: {}", file.string(), errno_text()));
    data_ = data;
    size_ = static_cast<std::size_t>(st.st_size);
}

MappedText::~MappedText() {
    if (data_) ::munmap(data_, size_);
}

} // namespace opsflow
