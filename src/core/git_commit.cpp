// Git::commit: one commit of exactly the paths a change wrote, made with git's
// plumbing so that its cost follows the change, not the size of the store, while
// the repository's commit hooks still run as `git commit` would run them.
#include "git_run.hpp"
#include "opsflow/error.hpp"
#include "opsflow/files.hpp"
#include "opsflow/git.hpp"
#include "opsflow/i18n.hpp"

#include <fmt/format.h>
#include <set>
#include <sys/stat.h>
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
    return {r.exit_code, r.err + r.out};
}

// The index a commit is built in. When git's own index holds nothing staged but
// our paths, it is used as it is (as `git commit PATHS` would); otherwise a
// temporary index is read from HEAD, so that other staged changes stay out of the
// commit and stay staged (as `git commit --only PATHS` does).
class CommitIndex {
  public:
    CommitIndex(const fs::path& root, const Repository& repo) : root_(root) {
        bool clean =
            !repo.head.empty() &&
            run_git(root, {"diff-index", "--cached", "--quiet", repo.head, "--"}).exit_code == 0;
        if (clean) {
            file_ = repo.git_dir / "index";
            return;
        }
        file_ = repo.git_dir / fmt::format("opsflow-index-{}", ::getpid());
        temporary_ = true;
        fs::remove(file_);
        if (!repo.head.empty())
            check_git(run_git(root, {"read-tree", repo.head}, env()), "read-tree");
    }
    ~CommitIndex() {
        std::error_code ec;
        if (temporary_) fs::remove(file_, ec);
    }
    CommitIndex(const CommitIndex&) = delete;
    CommitIndex& operator=(const CommitIndex&) = delete;

    const fs::path& file() const { return file_; }
    bool temporary() const { return temporary_; }
    ProcessOptions env(std::string input = "") const {
        ProcessOptions options;
        options.env["GIT_INDEX_FILE"] = file_.string();
        options.input = std::move(input);
        return options;
    }
    // Stages the paths as they are in the work tree (deleted ones are removed).
    void stage(const std::vector<std::string>& paths) const {
        check_git(run_git(root_, {"update-index", "--add", "--remove", "-z", "--stdin"},
                          env(nul_joined(paths))),
                  "update-index");
    }
    // Puts the entries of `paths` in git's own index back to HEAD.
    void unstage(const std::vector<std::string>& paths, const std::string& head) const {
        if (temporary_ || head.empty()) return;
        run_git(root_, {"reset", "-q", "--pathspec-from-file=-", "--pathspec-file-nul"},
                env(nul_joined(paths)));
    }

  private:
    fs::path root_;
    fs::path file_;
    bool temporary_ = false;
};

// A commit object for `tree`, as the operator or, when this machine has no git
// identity at all, as opsflow rather than failing.
std::string commit_tree(const fs::path& root, const std::string& tree, const std::string& head,
                        const CommitRequest& request, const std::string& message) {
    std::vector<std::string> args = {"commit-tree", tree};
    if (!head.empty()) args.insert(args.end(), {"-p", head});
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

// The paths (relative to the store root) that `commit` changes against its parent.
std::set<std::string> changed_by(const fs::path& root, const std::string& head,
                                 const std::string& commit) {
    std::vector<std::string> args = {
        "diff-tree", "-r", "-z", "--name-only", "--no-renames", "--relative", "--no-commit-id"};
    if (head.empty())
        args.insert(args.end(), {"--root", commit});
    else
        args.insert(args.end(), {head, commit});
    auto r = run_git(root, args);
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

// From this many files on, a commit stores their blobs in one pack first.
constexpr std::size_t many_files = 1000;

} // namespace

void Git::commit(const CommitRequest& request) const {
    Repository repo = repository_of(root_);
    CommitIndex index(root_, repo);
    auto refuse = [&](const std::string& why) {
        index.unstage(request.paths, repo.head);
        throw RuntimeError(tr("git commit failed:\n{}", trimmed(why).substr(0, 4000)));
    };
    if (request.paths.size() >= many_files) pack_blobs(root_, request.paths);
    index.stage(request.paths);

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

    auto tree = run_git(root_, {"write-tree"}, index.env());
    if (tree.exit_code != 0) refuse(tree.err);
    std::string commit;
    try {
        commit = commit_tree(root_, trimmed(tree.out), repo.head, request, message);
    } catch (const RuntimeError& e) {
        refuse(e.what());
    }

    // Before HEAD moves: the commit must change our paths and nothing else. (git
    // 2.39 under an ignored SIGINT has committed an empty tree; a concurrent `git
    // add` could slip a file into the index.)
    std::set<std::string> expected(request.paths.begin(), request.paths.end());
    for (const auto& path : changed_by(root_, repo.head, commit))
        if (!expected.contains(path))
            refuse(tr("the commit git made would also change {}; HEAD was left as it was", path));
    auto moved = run_git(
        root_, {"update-ref", "-m", "commit: " + request.subject, "HEAD", commit, repo.head});
    if (moved.exit_code != 0) refuse(moved.err);
    // git's own index now agrees with the commit for our paths.
    if (index.temporary()) {
        ProcessOptions paths_in;
        paths_in.input = nul_joined(request.paths);
        auto synced =
            run_git(root_, {"update-index", "--add", "--remove", "-z", "--stdin"}, paths_in);
        (void)synced; // the commit stands; `git status` shows the paths modified at worst
    }
    run_hook(repo, "post-commit", repo.git_dir / "index");
}

} // namespace opsflow
