// Where `check` reads from: the work tree, the staged versions in git's index
// (for the pre-commit hook), or a commit's tree (for a central repository's hook).
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/id.hpp"
#include "opsflow/check/check.hpp"
#include "opsflow/git/git.hpp"

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> record_directories() {
    std::vector<std::string> dirs;
    for (const auto& kind : all_kinds())
        dirs.emplace_back(kind.directory);
    return dirs;
}

} // namespace

namespace {

// Every .yaml entry below `dir` (relative path `prefix`), at any depth, that is
// not a directory: symbolic links, FIFOs and the like are there to be reported
// (reading them refuses them without following or waiting).
// They come in path order: each directory's entries are sorted, a subdirectory by
// its name and a slash (as the paths below it compare), and taken in that order;
// sorting a hundred names at a time costs less than sorting 100,000 paths.
void collect_yaml_files(const fs::path& dir, const std::string& prefix,
                        std::vector<std::string>& out) {
    std::vector<std::string> entries; // a subdirectory's ends with '/'
    list_directory(dir, [&](std::string_view name, EntryType type) {
        if (type == EntryType::directory)
            entries.push_back(std::string(name) + "/");
        else if (name.ends_with(".yaml"))
            entries.emplace_back(name);
        return true;
    });
    std::sort(entries.begin(), entries.end());
    for (auto& entry : entries) {
        if (entry.ends_with('/')) {
            entry.pop_back();
            collect_yaml_files(dir / entry, prefix + "/" + entry, out);
        } else {
            out.push_back(prefix + "/" + entry);
        }
    }
}

} // namespace

std::vector<std::string> WorkTreeSnapshot::record_paths() const {
    std::vector<std::string> paths;
    auto directories = record_directories();
    std::sort(directories.begin(), directories.end()); // none is a prefix of another
    for (const auto& dir : directories)
        collect_yaml_files(root_ / dir, dir, paths);
    return paths;
}

std::optional<std::string> WorkTreeSnapshot::read(const std::string& relative) const {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(root_ / relative, ec))) return std::nullopt;
    return read_text_file(root_ / relative, max_file_bytes, relative, Links::refuse);
}

std::string WorkTreeSnapshot::identity(const std::string& relative) const {
    // Records come in path order, so each thread keeps its current directory open
    // and asks for the file by name: the kernel then resolves one name, not five.
    struct OpenDirectory {
        std::string root, relative; // what `fd` is open on
        int fd = -1;
        ~OpenDirectory() {
            if (fd >= 0) ::close(fd);
        }
    };
    thread_local OpenDirectory current;
    auto slash = relative.rfind('/');
    std::string_view dir(relative.data(), slash == std::string::npos ? 0 : slash);
    if (dir != current.relative || root_.native() != current.root) {
        if (current.fd >= 0) ::close(current.fd);
        current.root = root_.native();
        current.relative = dir;
        std::string path = current.root + "/" + current.relative;
        current.fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    // The name is the path's end: already ended by a NUL.
    const char* name = relative.c_str() + (slash == std::string::npos ? 0 : slash + 1);
    struct stat st {};
    if (current.fd < 0 || ::fstatat(current.fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode))
        return "";
    // A file changed less than 2 s ago may change again within the same time stamp
    // (git's "racily clean" entries): check it again next time.
    auto now = std::chrono::system_clock::now().time_since_epoch();
    if (std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::seconds(2) > now) return "";
    return fmt::format("s{}.{}.{}.{}.{}.{}", st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                       st.st_ctim.tv_sec, st.st_ctim.tv_nsec, st.st_ino);
}

std::optional<fs::path> WorkTreeSnapshot::cache_file() const {
    return root_ / ".opsflow" / "check-cache";
}

std::string GitSnapshot::identity(const std::string& relative) const {
    auto it = blob_of_path_.find(relative);
    return it == blob_of_path_.end() ? "" : "b" + it->second;
}

std::optional<fs::path> StagedSnapshot::cache_file() const {
    return root_ / ".opsflow" / "check-cache";
}

std::vector<std::string> Snapshot::paths_named(const std::set<std::string>& ids) const {
    auto paths = record_paths();
    std::erase_if(paths, [&](const std::string& path) {
        return !ids.contains(fs::path(path).stem().string());
    });
    return paths;
}

namespace {

// The git pathspecs of the record files named `<ID>.yaml` for one of `ids`.
std::vector<std::string> named_pathspecs(const std::set<std::string>& ids) {
    std::vector<std::string> pathspecs;
    for (const auto& id : ids)
        for (const auto& dir : record_directories())
            pathspecs.push_back(fmt::format(":(glob){}/**/{}.yaml", dir, id));
    return pathspecs;
}

} // namespace

void GitSnapshot::learn_blobs(std::vector<std::string> pathspecs) const {
    // The IDs expected by paths_named are looked up in the same process.
    auto named = named_pathspecs(expected_ids_);
    pathspecs.insert(pathspecs.end(), named.begin(), named.end());
    for (auto& entry : entries(pathspecs)) {
        if (expected_ids_.contains(fs::path(entry.path).stem().string()))
            named_paths_.push_back(entry.path);
        blob_of_path_[std::move(entry.path)] = std::move(entry.blob);
    }
    named_ids_.insert(expected_ids_.begin(), expected_ids_.end());
    expected_ids_.clear();
}

void GitSnapshot::expect_named(const std::set<std::string>& ids) const {
    for (const auto& id : ids)
        if (!named_ids_.contains(id)) expected_ids_.insert(id);
}

std::vector<std::string> GitSnapshot::record_paths() const {
    if (!all_records_) {
        std::vector<std::string> pathspecs;
        for (const auto& dir : record_directories())
            pathspecs.push_back(":(literal)" + dir);
        all_records_.emplace();
        for (auto& entry : entries(pathspecs))
            if (entry.path.ends_with(".yaml")) {
                all_records_->push_back(entry.path);
                blob_of_path_[std::move(entry.path)] = std::move(entry.blob);
            }
    }
    return *all_records_; // git lists them sorted
}

std::vector<std::string> GitSnapshot::paths_named(const std::set<std::string>& ids) const {
    // git matches a few patterns against its index faster than we can list it all.
    constexpr std::size_t few = 8;
    if (ids.size() > few || all_records_) return Snapshot::paths_named(ids);
    std::set<std::string> unknown;
    for (const auto& id : ids)
        if (!named_ids_.contains(id)) unknown.insert(id);
    if (!unknown.empty()) {
        expected_ids_ = std::move(unknown);
        learn_blobs({});
    }
    std::vector<std::string> paths;
    for (const auto& path : named_paths_)
        if (ids.contains(fs::path(path).stem().string())) paths.push_back(path);
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    return paths;
}

void GitSnapshot::prefetch(const std::vector<std::string>& relative_paths) const {
    // One batch at a time is held: what was read before is dropped, unless this
    // batch asks for it again (a record read for its links, then checked).
    std::map<std::string, std::optional<std::string>> kept;
    for (const auto& path : relative_paths)
        if (auto it = fetched_.find(path); it != fetched_.end()) kept.insert(std::move(*it));
    fetched_ = std::move(kept);
    std::vector<std::string> wanted;
    for (const auto& path : relative_paths)
        if (!fetched_.contains(path)) wanted.push_back(path);
    if (wanted.empty()) return;
    std::vector<std::string> unknown;
    for (const auto& path : wanted)
        if (!blob_of_path_.contains(path)) unknown.push_back(":(literal)" + path);
    if (unknown.size() > 64)
        record_paths();
    else if (!unknown.empty())
        learn_blobs(unknown);
    std::vector<std::string> names;
    for (const auto& path : wanted)
        if (auto it = blob_of_path_.find(path);
            it != blob_of_path_.end() && !(shared_ && shared_->contains(it->second)))
            names.push_back(it->second);
    auto contents = Git(root_).blobs(names);
    for (const auto& path : wanted) {
        auto it = blob_of_path_.find(path);
        if (it != blob_of_path_.end() && shared_)
            if (auto known = shared_->find(it->second); known != shared_->end()) {
                fetched_[path] = known->second;
                continue;
            }
        auto content = it == blob_of_path_.end() ? contents.end() : contents.find(it->second);
        fetched_[path] = content == contents.end() ? std::nullopt : std::optional(content->second);
        // The settings files: read again by every commit of a push that keeps them.
        if (shared_ && content != contents.end() && path.find('/') == std::string::npos)
            shared_->emplace(content->first, content->second);
    }
}

std::optional<std::string> GitSnapshot::read(const std::string& relative) const {
    if (!fetched_.contains(relative)) prefetch({relative});
    const auto& text = fetched_.at(relative);
    if (text && text->size() > max_file_bytes)
        throw InvalidDataError({Diagnostic{relative, 0, 0, "", tr("file is larger than 1 MiB")}});
    return text;
}

std::vector<std::string> GitSnapshot::learn(std::vector<Git::IndexEntry> files) const {
    std::vector<std::string> paths;
    for (auto& entry : files) {
        paths.push_back(entry.path);
        blob_of_path_[std::move(entry.path)] = std::move(entry.blob);
    }
    return paths;
}

std::vector<Git::IndexEntry>
StagedSnapshot::entries(const std::vector<std::string>& pathspecs) const {
    return Git(root_).index_entries(pathspecs);
}

std::vector<std::string> StagedSnapshot::changed() const {
    return learn(Git(root_).staged_changes());
}

CommitSnapshot::CommitSnapshot(fs::path repository, std::string commit,
                               std::vector<Git::IndexEntry> changes, std::optional<fs::path> cache,
                               BlobContents* shared)
    : GitSnapshot(std::move(repository), shared), commit_(std::move(commit)),
      changed_(learn(std::move(changes))), cache_(std::move(cache)) {}

std::vector<Git::IndexEntry>
CommitSnapshot::entries(const std::vector<std::string>& pathspecs) const {
    return Git(root_).tree_entries(commit_, pathspecs);
}

} // namespace opsflow
