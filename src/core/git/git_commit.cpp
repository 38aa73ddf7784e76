// Git::commit: one commit of exactly the paths a change wrote, made with git's
// plumbing so that its cost follows the change, not the size of the store, while
// the repository's commit hooks still run as `git commit` would run them.
#include "git/git_run.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/signal_cleanup.hpp"
#include "opsflow/git/git.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

std::string nul_joined(const std::vector<std::string>& paths) {
    std::string out;
    for (const auto& p : paths)
        out += p + '\0';
    return out;
}

bool executable(const fs::path& file) {
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(file.c_str(), X_OK) == 0;
}

// Where things are: asked of git once per commit.
struct Repository {
    fs::path git_dir;
    fs::path hooks;
    fs::path top;
    std::string head; // empty on an unborn branch
};

Repository repository_of(const fs::path& root) {
    std::vector<std::string> args = {"rev-parse", "--absolute-git-dir", "--git-path", "hooks",
                                     "--show-toplevel"};
    auto r = run_git(root, [&] {
        auto with_head = args;
        with_head.push_back("HEAD");
        return with_head;
    }());
    bool unborn = r.exit_code != 0;
    if (unborn) r = run_git(root, args);
    check_git(r, "rev-parse");
    std::vector<std::string> lines;
    for (std::size_t start = 0; start < r.out.size();) {
        auto nl = r.out.find('\n', start);
        if (nl == std::string::npos) nl = r.out.size();
        lines.push_back(r.out.substr(start, nl - start));
        start = nl + 1;
    }
    if (lines.size() < (unborn ? 3u : 4u)) throw RuntimeError(tr("git rev-parse said too little"));
    Repository repo{lines[0], lines[1], lines[2], unborn ? "" : lines[3]};
    if (repo.hooks.is_relative()) repo.hooks = root / repo.hooks;
    return repo;
}

// Runs `name` from the hooks directory if it is there and executable, as git does:
// from the top of the work tree, with the index being committed in GIT_INDEX_FILE.
// Returns its exit code and what it said.
std::pair<int, std::string> run_hook(const Repository& repo, const std::string& name,
                                     const fs::path& index, std::vector<std::string> args = {}) {
    fs::path hook = repo.hooks / name;
    if (!executable(hook)) return {0, ""};
    ProcessOptions options;
    options.cwd = repo.top.string();
    options.env["GIT_INDEX_FILE"] = index.string();
    options.env["GIT_EDITOR"] = ":";
    args.insert(args.begin(), hook.string());
    auto r = run_process(args, options);
    // Diagnostics (stdout) before the summary that points at them (stderr).
    return {r.exit_code, r.out + r.err};
}

// git's index lock (`index.lock`), taken as `git commit` takes it, so that no git
// command writes git's own index while a commit is being made in a copy of it.
// Taken by someone else, it is waited for a bounded time, as run_git waits.
class IndexLock {
  public:
    explicit IndexLock(fs::path file) : file_(std::move(file)) {
        // The lock is made whole, with its mark, by linking a file that already
        // holds it: a lock is never seen without its owner.
        fs::path marked = file_.parent_path() / fmt::format("opsflow-index-{}-lock", ::getpid());
        write_mark(marked);
        auto delay = std::chrono::milliseconds(5);
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(4);
        for (;;) {
            int made = ::link(marked.c_str(), file_.c_str());
            int error = errno;
            if (made == 0) {
                ::unlink(marked.c_str());
                removed_on_signal_.emplace(file_);
                return;
            }
            if (error != EEXIST || std::chrono::steady_clock::now() + delay > give_up) {
                ::unlink(marked.c_str());
                throw RuntimeError(tr("git commit failed: cannot create {}: {}; if no git "
                                      "command is running in this repository, remove it",
                                      file_.string(), std::strerror(error)));
            }
            std::this_thread::sleep_for(delay);
            delay = std::min(delay * 2, std::chrono::milliseconds(250));
        }
    }
    ~IndexLock() { ::unlink(file_.c_str()); }
    IndexLock(const IndexLock&) = delete;
    IndexLock& operator=(const IndexLock&) = delete;

  private:
    static void write_mark(const fs::path& marked) {
        int fd = ::open(marked.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        auto mark = index_lock_mark();
        bool written =
            fd >= 0 && ::write(fd, mark.data(), mark.size()) == static_cast<ssize_t>(mark.size());
        if (fd >= 0) ::close(fd);
        if (!written)
            throw RuntimeError(tr("git commit failed: cannot write {}: {}", marked.string(),
                                  std::strerror(errno)));
    }

    fs::path file_;
    std::optional<RemovedOnSignal> removed_on_signal_;
};

// The index a commit is built in: a temporary one, under git's index lock, so that
// git's own index changes only once the commit stands, and then at once. It starts
// as git's own index: a hard link, so no copy, and the same modification time,
// which git's racy-clean check compares file times with (git replaces an index by
// renaming a new file over it, never in place). Staging our paths then costs what
// `git add` costs. When git's index also holds other staged changes, it starts
// from HEAD instead, so that those stay out of the commit and stay staged (as
// `git commit --only PATHS` does).
class CommitIndex {
  public:
    CommitIndex(const fs::path& root, const Repository& repo)
        : root_(root), repo_(repo), lock_(repo.git_dir / "index.lock"), file_(temporary_file("")),
          removed_on_signal_(file_), merged_removed_on_signal_(temporary_file("-own")) {
        remove_file(file_);
        if (repo.head.empty() || ::link(own_index().c_str(), file_.c_str()) != 0)
            start_from_head();
        else
            from_own_index_ = true;
    }
    ~CommitIndex() {
        // With the locks a git child killed by a signal left on them: ours, by name.
        for (const char* suffix : {"", ".lock", "-own", "-own.lock"})
            remove_file(temporary_file(suffix));
    }
    CommitIndex(const CommitIndex&) = delete;
    CommitIndex& operator=(const CommitIndex&) = delete;

    const fs::path& file() const { return file_; }
    // Whether it started as git's own index (which may hold other staged changes).
    bool from_own_index() const { return from_own_index_; }
    ProcessOptions env(std::string input = "") const { return env_for(file_, std::move(input)); }
    // Starts again from HEAD's tree (empty on an unborn branch).
    void start_from_head() {
        remove_file(file_);
        from_own_index_ = false;
        if (!repo_.head.empty())
            check_git(run_git(root_, {"read-tree", repo_.head}, env()), "read-tree");
    }
    // Stages the paths as they are in the work tree (deleted ones are removed).
    void stage(const std::vector<std::string>& paths) const {
        check_git(run_git(root_, {"update-index", "--add", "--remove", "-z", "--stdin"},
                          env(nul_joined(paths))),
                  "update-index");
    }
    // Which version of the file this is: git writes a new one (a new inode) each
    // time, as after a hook's `git add`.
    std::optional<FileStamp> version() const {
        struct stat st {};
        if (::stat(file_.c_str(), &st) != 0) return std::nullopt;
        return file_stamp(st);
    }
    // After the commit: git's own index takes our paths as committed. Started from
    // it (or with none there), this index is it plus our paths; otherwise our paths
    // are staged in another link to it. Either replaces it, as git would.
    void install(const std::vector<std::string>& paths) const {
        fs::path own = own_index();
        if (from_own_index_ || !fs::exists(own)) {
            ::rename(file_.c_str(), own.c_str());
            return;
        }
        fs::path merged = temporary_file("-own");
        remove_file(merged);
        if (::link(own.c_str(), merged.c_str()) != 0) return;
        // The commit stands whatever happens here: `git status` shows the paths
        // modified at worst.
        if (run_git(root_, {"update-index", "--add", "--remove", "-z", "--stdin"},
                    env_for(merged, nul_joined(paths)))
                .exit_code == 0)
            ::rename(merged.c_str(), own.c_str());
    }

  private:
    fs::path own_index() const { return repo_.git_dir / "index"; }
    fs::path temporary_file(std::string_view suffix) const {
        return repo_.git_dir / fmt::format("opsflow-index-{}{}", ::getpid(), suffix);
    }
    static ProcessOptions env_for(const fs::path& index, std::string input) {
        ProcessOptions options;
        options.env["GIT_INDEX_FILE"] = index.string();
        options.input = std::move(input);
        return options;
    }
    static void remove_file(const fs::path& file) {
        std::error_code ec;
        fs::remove(file, ec);
    }
    fs::path root_;
    const Repository& repo_;
    IndexLock lock_;
    fs::path file_;
    RemovedOnSignal removed_on_signal_, merged_removed_on_signal_;
    bool from_own_index_ = false;
};

// A commit object for `tree`, as the operator or, when this machine has no git
// identity at all, as opsflow rather than failing.
enum class Signing { none, gpg };

std::string commit_tree(const fs::path& root, const std::string& tree, const std::string& head,
                        const CommitRequest& request, const std::string& message, Signing signing) {
    std::vector<std::string> args = {"commit-tree", tree};
    if (!head.empty()) args.insert(args.end(), {"-p", head});
    // commit-tree ignores commit.gpgSign, which `git commit` honours: asked for
    // here, so that a signed history stays signed (or the change fails with gpg's
    // message), never silently unsigned.
    if (signing == Signing::gpg) args.push_back("-S");
    ProcessOptions options;
    options.input = message;
    if (!request.author_name.empty()) {
        options.env["GIT_AUTHOR_NAME"] = request.author_name;
        options.env["GIT_AUTHOR_EMAIL"] = request.author_email;
    }
    auto r = run_git(root, args, options);
    if (r.exit_code != 0 && (r.err.find("tell me who you are") != std::string::npos ||
                             r.err.find("empty ident") != std::string::npos)) {
        for (const char* who : {"AUTHOR", "COMMITTER"}) {
            auto& name = options.env[fmt::format("GIT_{}_NAME", who)];
            auto& email = options.env[fmt::format("GIT_{}_EMAIL", who)];
            if (name.empty()) name = "opsflow";
            if (email.empty()) email = "opsflow@localhost";
        }
        r = run_git(root, args, options);
    }
    check_git(r, "commit-tree");
    return trimmed(r.out);
}

// The paths (relative to the store root) that `tree` changes against `head`'s.
std::set<std::string> changed_by(const fs::path& root, const fs::path& git_dir,
                                 const std::string& head, const std::string& tree) {
    std::vector<std::string> args = {
        "diff-tree", "-r", "-z", "--name-only", "--no-renames", "--relative", "--no-commit-id"};
    if (head.empty())
        args.insert(args.end(), {"--root", tree});
    else
        args.insert(args.end(), {head, tree});
    // Two trees need no index, but git 2.39's diff-tree reads one all the same
    // (70 ms for 100,000 entries): it is pointed at one that is not there.
    ProcessOptions no_index;
    no_index.env["GIT_INDEX_FILE"] = (git_dir / "opsflow-no-index").string();
    auto r = run_git(root, args, no_index);
    check_git(r, "diff-tree");
    std::set<std::string> out;
    for (std::size_t start = 0; start < r.out.size();) {
        auto end = r.out.find('\0', start);
        if (end == std::string::npos) end = r.out.size();
        if (end > start) out.insert(r.out.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// Writes the contents of many files into one pack with `git fast-import`, so that
// staging them finds their blobs there instead of writing a loose object (a file
// of its own under .git/objects) for each. Files are read a megabyte at a time.
// Best effort: whatever it did not write, update-index writes as usual.
void pack_blobs(const fs::path& root, const std::vector<std::string>& paths) {
    std::size_t next = 0;
    ProcessOptions options;
    options.input_source = [&] {
        std::string chunk;
        while (next < paths.size() && chunk.size() < (std::size_t{1} << 20)) {
            std::string content;
            try {
                content = read_text_file(root / paths[next++], std::size_t{1} << 30);
            } catch (const Error&) {
                continue; // a removed file: nothing to store
            }
            chunk += fmt::format("blob\ndata {}\n", content.size());
            chunk += content;
            chunk += '\n';
        }
        return chunk;
    };
    run_git(root, {"fast-import", "--quiet"}, options);
}

// Where HEAD points now (a killed update-ref may have moved it before it died).
std::string head_of(const fs::path& root) {
    auto r = run_git(root, {"rev-parse", "-q", "--verify", "HEAD"});
    return r.exit_code == 0 ? trimmed(r.out) : "";
}

void remove_ref_locks(const fs::path& root, const fs::path& git_dir) {
    std::error_code ec;
    fs::remove(git_dir / "HEAD.lock", ec);
    auto ref = run_git(root, {"symbolic-ref", "-q", "HEAD"});
    if (ref.exit_code == 0) fs::remove(git_dir / (trimmed(ref.out) + ".lock"), ec);
}

// From this many files on, a commit stores their blobs in one pack first.
constexpr std::size_t many_files = 1000;

} // namespace

namespace {

bool config_true(const std::string& value) {
    return value == "true" || value == "yes" || value == "on" || value == "1";
}

} // namespace

void Git::commit(const CommitRequest& request) const {
    auto signing = [&] {
        return config_true(config_value("commit.gpgsign")) ? Signing::gpg : Signing::none;
    };
    Repository repo = repository_of(root_);
    // Held until git's own index is replaced, before the post-commit hook runs.
    std::optional<CommitIndex> commit_index;
    commit_index.emplace(root_, repo);
    CommitIndex& index = *commit_index;
    auto refuse = [&](const std::string& why) {
        throw RuntimeError(tr("git commit failed:\n{}", trimmed(why).substr(0, 4000)));
    };
    auto write_tree = [&] {
        auto tree = run_git(root_, {"write-tree"}, index.env());
        if (tree.exit_code != 0) refuse(tree.err);
        return trimmed(tree.out);
    };
    // A path the commit would change besides ours, if any. (git 2.39 under an ignored
    // SIGINT has committed an empty tree; a hook could stage a file of its own.)
    std::set<std::string> expected(request.paths.begin(), request.paths.end());
    auto another_path = [&](const std::string& tree_or_commit) -> std::optional<std::string> {
        for (const auto& path : changed_by(root_, repo.git_dir, repo.head, tree_or_commit))
            if (!expected.contains(path)) return path;
        return std::nullopt;
    };
    if (request.paths.size() >= many_files) pack_blobs(root_, request.paths);
    index.stage(request.paths);
    std::string tree = write_tree();
    bool tree_checked = false;
    if (index.from_own_index()) {
        if (another_path(tree)) { // other changes are staged: they stay out, and staged
            index.start_from_head();
            index.stage(request.paths);
            tree = write_tree();
        } else {
            tree_checked = true;
        }
    }
    auto staged = index.version();

    if (auto [code, said] = run_hook(repo, "pre-commit", index.file()); code != 0)
        refuse(said.empty() ? tr("the pre-commit hook refused the commit") : said);
    std::string message = fmt::format("{}\n\nOpsflow-Action: {}\nOpsflow-Record: {}\n",
                                      request.subject, request.action, request.record_id);
    fs::path message_file = repo.git_dir / "COMMIT_EDITMSG";
    bool message_hooks =
        executable(repo.hooks / "prepare-commit-msg") || executable(repo.hooks / "commit-msg");
    if (message_hooks) {
        write_file_atomic(message_file, message, Durability::cache);
        if (auto [code, said] = run_hook(repo, "prepare-commit-msg", index.file(),
                                         {message_file.string(), "message"});
            code != 0)
            refuse(said.empty() ? tr("the prepare-commit-msg hook refused the commit") : said);
        if (auto [code, said] = run_hook(repo, "commit-msg", index.file(), {message_file.string()});
            code != 0)
            refuse(said.empty() ? tr("the commit-msg hook refused the commit") : said);
        message = read_text_file(message_file, 1 << 20, message_file.string());
    }
    if (index.version() != staged) { // a hook staged something: the tree is written again
        tree = write_tree();
        tree_checked = false;
    }
    std::string commit;
    try {
        commit = commit_tree(root_, tree, repo.head, request, message, signing());
    } catch (const RuntimeError& e) {
        refuse(e.what());
    }

    // Before HEAD moves: the commit must change our paths and nothing else.
    if (!tree_checked)
        if (auto other = another_path(commit))
            refuse(tr("the commit git made would also change {}; HEAD was left as it was", *other));
    auto moved = run_git(
        root_, {"update-ref", "-m", "commit: " + request.subject, "HEAD", commit, repo.head});
    if (moved.exit_code != 0 && head_of(root_) != commit) {
        // Killed by a signal (SIGINT to the process group of an opsflow that ignores
        // it), update-ref leaves its ref locks. They are its own: no other commit runs
        // while this one holds git's index lock, and a lock someone else held would
        // have failed it with a message instead.
        if (moved.exit_code == -1) remove_ref_locks(root_, repo.git_dir);
        refuse(moved.err.empty() ? tr("git update-ref was killed by a signal") : moved.err);
    }
    index.install(request.paths); // git's own index now agrees with the commit for our paths
    commit_index.reset();
    run_hook(repo, "post-commit", repo.git_dir / "index");
}

} // namespace opsflow
