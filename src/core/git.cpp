#include "opsflow/git.hpp"

#include "opsflow/error.hpp"
#include "opsflow/process.hpp"

#include <fmt/format.h>
#include <map>

namespace opsflow {

namespace fs = std::filesystem;

std::optional<fs::path> Git::find_work_tree(const fs::path& store_root) {
    std::error_code ec;
    for (fs::path dir = fs::absolute(store_root, ec); !dir.empty(); dir = dir.parent_path()) {
        if (fs::exists(dir / ".git", ec)) return dir;
        if (dir == dir.parent_path()) break;
    }
    return std::nullopt;
}

namespace {

std::string first_line(const std::string& text) {
    auto start = text.find_first_not_of("\n ");
    if (start == std::string::npos) return "";
    auto end = text.find('\n', start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

ProcessResult git(const fs::path& root, std::vector<std::string> args,
                  const ProcessOptions& options = {}) {
    std::vector<std::string> argv = {"git", "-C", root.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, options);
}

void check(const ProcessResult& r, const std::string& what) {
    if (r.exit_code == 0) return;
    std::string detail = first_line(r.err.empty() ? r.out : r.err);
    throw RuntimeError(
        fmt::format("git {} failed: {}", what, detail.empty() ? "unknown error" : detail));
}

} // namespace

void Git::init_repository() const {
    check(git(root_, {"init", "-q"}), "init");
}

void Git::tune_for_many_files() const {
    for (auto [key, value] : {std::pair{"core.splitIndex", "true"}, std::pair{"index.version", "4"},
                              std::pair{"core.untrackedCache", "true"}})
        check(git(root_, {"config", key, value}), "config");
}

std::string Git::config_value(const std::string& key) const {
    auto r = git(root_, {"config", "--get", key});
    return r.exit_code == 0 ? first_line(r.out) : "";
}

void Git::set_config(const std::string& key, const std::string& value) const {
    check(git(root_, {"config", key, value}), "config");
}

namespace {

std::vector<std::string> split_nul(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find('\0', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

} // namespace

std::vector<std::string> Git::tracked_files(const std::vector<std::string>& pathspecs) const {
    std::vector<std::string> args = {"ls-files", "-z", "--"};
    args.insert(args.end(), pathspecs.begin(), pathspecs.end());
    auto r = git(root_, args);
    check(r, "ls-files");
    return split_nul(r.out);
}

std::vector<std::string> Git::staged_paths() const {
    auto r = git(root_, {"diff", "--cached", "--name-only", "-z", "--relative",
                         "--diff-filter=ACMR", "--no-renames"});
    check(r, "diff --cached");
    return split_nul(r.out);
}

std::optional<std::string> Git::staged_content(const std::string& relative) const {
    auto r = git(root_, {"cat-file", "blob", ":./" + relative});
    if (r.exit_code != 0) return std::nullopt;
    return r.out;
}

std::map<std::string, std::string>
Git::staged_contents(const std::vector<std::string>& relative_paths) const {
    std::map<std::string, std::string> out;
    if (relative_paths.empty()) return out;
    auto prefix = git(root_, {"rev-parse", "--show-prefix"});
    check(prefix, "rev-parse");
    std::string from_top = first_line(prefix.out);
    ProcessOptions options;
    for (const auto& p : relative_paths)
        options.input += ":" + from_top + p + "\n";
    auto r = git(root_, {"cat-file", "--batch"}, options);
    check(r, "cat-file");
    // Per path: `<oid> blob <size>\n<content>\n`, or `<name> missing\n`.
    std::size_t pos = 0;
    for (const auto& p : relative_paths) {
        auto nl = r.out.find('\n', pos);
        if (nl == std::string::npos) break;
        std::string header = r.out.substr(pos, nl - pos);
        pos = nl + 1;
        if (header.ends_with(" missing") || header.ends_with(" ambiguous")) continue;
        auto space = header.rfind(' ');
        std::size_t size = std::stoull(header.substr(space + 1));
        out[p] = r.out.substr(pos, size);
        pos += size + 1;
    }
    return out;
}

std::string Git::log(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {"log"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = git(root_, argv);
    check(r, "log");
    return r.out;
}

fs::path Git::hooks_directory() const {
    auto r = git(root_, {"rev-parse", "--git-path", "hooks"});
    check(r, "rev-parse");
    fs::path hooks = first_line(r.out);
    return hooks.is_absolute() ? hooks : root_ / hooks;
}

void Git::unstage(const std::vector<std::string>& paths) const {
    std::vector<std::string> args = {"reset", "-q", "--"};
    args.insert(args.end(), paths.begin(), paths.end());
    git(root_, args);
}

void Git::commit(const CommitRequest& request) const {
    std::vector<std::string> add = {"add", "--"};
    add.insert(add.end(), request.paths.begin(), request.paths.end());
    check(git(root_, add), "add");

    ProcessOptions options;
    options.input = fmt::format("{}\n\nOpsflow-Action: {}\nOpsflow-Record: {}\n", request.subject,
                                request.action, request.record_id);
    if (!request.author_name.empty()) {
        options.env["GIT_AUTHOR_NAME"] = request.author_name;
        options.env["GIT_AUTHOR_EMAIL"] = request.author_email;
    }
    // --only commits these paths alone and leaves whatever else is staged staged.
    std::vector<std::string> commit = {"commit", "-q", "--cleanup=verbatim", "-F", "-",
                                       "--only", "--"};
    commit.insert(commit.end(), request.paths.begin(), request.paths.end());
    auto r = git(root_, commit, options);
    if (r.exit_code != 0 && (r.err.find("tell me who you are") != std::string::npos ||
                             r.err.find("empty ident") != std::string::npos)) {
        // No identity configured on this machine: commit as opsflow rather than fail.
        for (const char* who : {"AUTHOR", "COMMITTER"}) {
            auto& name = options.env[fmt::format("GIT_{}_NAME", who)];
            auto& email = options.env[fmt::format("GIT_{}_EMAIL", who)];
            if (name.empty()) name = "opsflow";
            if (email.empty()) email = "opsflow@localhost";
        }
        r = git(root_, commit, options);
    }
    if (r.exit_code != 0) {
        unstage(request.paths);
        // A refusing hook explains itself over several lines: pass them on.
        std::string detail = r.err.empty() ? r.out : r.err;
        while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' '))
            detail.pop_back();
        throw RuntimeError(fmt::format("git commit failed:\n{}", detail.substr(0, 4000)));
    }
}

} // namespace opsflow
