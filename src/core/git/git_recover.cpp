// What an interrupted change left in git: was it committed, and undoing what it staged.
#include "git/git_run.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/git/git.hpp"

#include <chrono>
#include <fmt/format.h>
#include <map>
#include <set>
#include <thread>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_on(const std::string& text, char separator) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find(separator, start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string literal(const std::string& path) {
    return ":(literal)" + path;
}

// Few paths are asked of git by name; many (an import's) by listing everything,
// rather than putting them all on one command line.
constexpr std::size_t paths_by_name = 64;

// HEAD's blobs at `paths` (absent paths are left out).
std::map<std::string, std::string> head_blobs(const fs::path& root,
                                              const std::vector<std::string>& paths) {
    std::vector<std::string> args = {"ls-tree", "-z", "HEAD", "--"};
    if (paths.size() <= paths_by_name)
        for (const auto& p : paths)
            args.push_back(literal(p));
    else
        args.insert(args.begin() + 1, "-r");
    auto r = run_git(root, args);
    std::map<std::string, std::string> out;
    if (r.exit_code != 0) return out; // no HEAD yet
    std::set<std::string_view> wanted(paths.begin(), paths.end());
    // `<mode> blob <name>\t<path>`
    for (const auto& line : split_on(r.out, '\0')) {
        auto tab = line.find('\t');
        auto space = line.rfind(' ', tab);
        if (tab == std::string::npos || space == std::string::npos) continue;
        if (wanted.contains(std::string_view(line).substr(tab + 1)))
            out[line.substr(tab + 1)] = line.substr(space + 1, tab - space - 1);
    }
    return out;
}

// The blobs of `paths` in git's index (absent paths are left out).
std::map<std::string, std::string> index_blobs(const Git& git,
                                               const std::vector<std::string>& paths) {
    std::vector<std::string> pathspecs;
    if (paths.size() <= paths_by_name)
        for (const auto& p : paths)
            pathspecs.push_back(literal(p));
    std::set<std::string_view> wanted(paths.begin(), paths.end());
    std::map<std::string, std::string> out;
    for (auto& entry : git.index_entries(pathspecs))
        if (wanted.contains(entry.path)) out.emplace(std::move(entry.path), std::move(entry.blob));
    return out;
}

} // namespace

bool Git::head_holds(const std::vector<IndexEntry>& files) const {
    std::vector<std::string> paths;
    for (const auto& f : files)
        paths.push_back(f.path);
    auto blobs = head_blobs(root_, paths);
    for (const auto& f : files) {
        auto it = blobs.find(f.path);
        if (it == blobs.end() || it->second != f.blob) return false;
    }
    return true;
}

std::vector<std::string> Git::release_locks_of_dead_change() const {
    std::vector<std::string> removed;
    fs::path git_dir = git_directory();
    std::error_code ec;
    auto remove = [&](const fs::path& file) {
        if (fs::remove(file, ec)) removed.push_back(file.string());
    };
    // Temporary indexes of opsflow commits (named by pid); none is in use while
    // the store is locked.
    for (const auto& entry : fs::directory_iterator(git_dir, ec))
        if (entry.path().filename().string().starts_with("opsflow-index-")) remove(entry.path());

    // A lock's age says nothing about its owner (`git commit -a` holds index.lock
    // while its editor is open): the only locks removed are those of an opsflow
    // commit whose process is gone. Its index lock carries its PID; the ref locks
    // made while it held that lock are its git children's (update-ref), since no
    // other commit can run then.
    fs::path index_lock = git_dir / "index.lock";
    if (left_by_dead_opsflow(index_lock)) {
        auto taken = fs::last_write_time(index_lock, ec);
        auto ref = run_git(root_, {"symbolic-ref", "-q", "HEAD"});
        std::vector<fs::path> ref_locks = {git_dir / "HEAD.lock"};
        if (ref.exit_code == 0)
            ref_locks.push_back(git_dir / (ref.out.substr(0, ref.out.find('\n')) + ".lock"));
        for (const auto& lock : ref_locks) {
            auto made = fs::last_write_time(lock, ec);
            if (!ec && made >= taken) remove(lock);
        }
        remove(index_lock);
    }
    // Any other index lock is a git command's: recovery waits for it a bounded time,
    // as git commands wait for each other, and otherwise leaves everything as it is.
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(4);
    while (fs::exists(index_lock, ec)) {
        if (std::chrono::steady_clock::now() > give_up)
            throw RuntimeError(tr("{} exists: another git command is running in this repository "
                                  "(a commit with its editor open?); the interrupted change is "
                                  "recovered once it ends. If no git command is running, "
                                  "remove the file",
                                  index_lock.string()));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return removed;
}

void Git::unstage_interrupted_commit(const std::vector<IndexEntry>& staged) const {
    // Index entries that hold what the change staged go back to HEAD's.
    std::vector<std::string> paths;
    for (const auto& s : staged)
        paths.push_back(s.path);
    auto in_index = index_blobs(*this, paths);
    std::vector<std::string> to_reset;
    for (const auto& s : staged)
        if (auto it = in_index.find(s.path); it != in_index.end() && it->second == s.blob)
            to_reset.push_back(s.path);
    if (to_reset.empty()) return;
    auto in_head = head_blobs(root_, to_reset);
    ProcessOptions info;
    for (const auto& path : to_reset) {
        auto it = in_head.find(path);
        // `<mode> <blob>\t<path>`; mode 0 removes the entry.
        info.input += it == in_head.end() ? fmt::format("0 {}\t{}", std::string(40, '0'), path)
                                          : fmt::format("100644 {}\t{}", it->second, path);
        info.input.push_back('\0');
    }
    check_git(run_git(root_, {"update-index", "-z", "--index-info"}, info), "update-index");
}

std::vector<std::string>
Git::finish_interrupted_commit(const std::vector<CommittedFile>& files) const {
    std::vector<std::string> paths;
    for (const auto& f : files)
        paths.push_back(f.path);
    auto in_index = index_blobs(*this, paths);
    ProcessOptions info;
    std::vector<std::string> updated;
    for (const auto& f : files) {
        auto it = in_index.find(f.path);
        std::string held = it == in_index.end() ? "" : it->second;
        if (held == f.blob || held != f.previous) continue; // taken, or staged since by hand
        info.input += fmt::format("100644 {}\t{}", f.blob, f.path);
        info.input.push_back('\0');
        updated.push_back(f.path);
    }
    if (!updated.empty())
        check_git(run_git(root_, {"update-index", "-z", "--index-info"}, info), "update-index");
    return updated;
}

} // namespace opsflow
