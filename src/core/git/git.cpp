#include "opsflow/git/git.hpp"

#include "git/git_run.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/process.hpp"

#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <openssl/evp.h>
#include <optional>
#include <thread>
#include <unistd.h>

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

} // namespace

ProcessResult run_git(const fs::path& root, const std::vector<std::string>& args,
                      const ProcessOptions& options) {
    std::vector<std::string> argv = {"git", "-C", root.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    // Plain git running alongside (an editor's integration, a shell prompt's `git
    // status`) holds index.lock for moments: wait for it a bounded time, as git's
    // own lock timeouts do. A lock fails a git command before it changes anything,
    // so running it again is safe.
    auto delay = std::chrono::milliseconds(5);
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(4);
    for (;;) {
        auto r = run_process(argv, options);
        bool locked = r.exit_code != 0 && r.err.find(".lock': File exists") != std::string::npos;
        if (!locked || std::chrono::steady_clock::now() + delay > give_up) return r;
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(250));
    }
}

void check_git(const ProcessResult& r, const std::string& what) {
    if (r.exit_code == 0) return;
    std::string detail = first_line(r.err.empty() ? r.out : r.err);
    throw RuntimeError(
        tr("git {} failed: {}", what, detail.empty() ? tr("unknown error") : detail));
}

namespace {
constexpr std::string_view lock_mark_prefix = "opsflow pid ";
}

std::string index_lock_mark() {
    return fmt::format("{}{}\n", lock_mark_prefix, ::getpid());
}

bool left_by_dead_opsflow(const std::filesystem::path& lock) {
    std::ifstream in(lock);
    std::string line;
    if (!std::getline(in, line) || !line.starts_with(lock_mark_prefix)) return false;
    std::string_view digits = std::string_view(line).substr(lock_mark_prefix.size());
    pid_t pid = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
    if (error != std::errc() || end != digits.data() + digits.size() || pid <= 0) return false;
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

std::string git_blob_name(std::string_view content) {
    std::string header = fmt::format("blob {}", content.size());
    header.push_back('\0');
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha1(), nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), header.data(), header.size()) != 1 ||
        EVP_DigestUpdate(context.get(), content.data(), content.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest, &length) != 1)
        throw RuntimeError(tr("cannot compute a SHA-1 digest"));
    std::string name;
    for (unsigned int i = 0; i < length; ++i)
        name += fmt::format("{:02x}", digest[i]);
    return name;
}

void Git::init_repository() const {
    check_git(run_git(root_, {"init", "-q"}), "init");
}

void Git::tune_for_many_files() const {
    for (auto [key, value] : {std::pair{"core.splitIndex", "true"}, std::pair{"index.version", "4"},
                              std::pair{"core.untrackedCache", "true"}})
        check_git(run_git(root_, {"config", key, value}), "config");
}

namespace {

std::map<std::string, std::string> read_config(const fs::path& root) {
    std::map<std::string, std::string> values;
    auto r = run_git(root, {"config", "--list", "-z"});
    // Each entry: `key\nvalue\0` (or `key\0` for a key without a value).
    for (std::size_t start = 0; r.exit_code == 0 && start < r.out.size();) {
        auto end = r.out.find('\0', start);
        if (end == std::string::npos) end = r.out.size();
        std::string_view entry(r.out.data() + start, end - start);
        auto nl = entry.find('\n');
        values.insert_or_assign(std::string(entry.substr(0, nl)),
                                nl == std::string_view::npos ? ""
                                                             : std::string(entry.substr(nl + 1)));
        start = end + 1;
    }
    return values;
}

// git's configuration as `git config --list` gives it, read once per process and
// store: a command asks for several keys, and every git process costs a few ms.
// Only the reading may happen on another thread (prefetch_config).
struct ConfigCache {
    std::future<std::map<std::string, std::string>> pending;
    std::optional<std::map<std::string, std::string>> values;
};

ConfigCache& config_entry(const fs::path& root) {
    static std::map<fs::path, ConfigCache> caches;
    return caches[root];
}

std::map<std::string, std::string>& config_cache(const fs::path& root) {
    auto& entry = config_entry(root);
    if (!entry.values)
        entry.values = entry.pending.valid() ? entry.pending.get() : read_config(root);
    return *entry.values;
}

} // namespace

void Git::prefetch_config() const {
    auto& entry = config_entry(root_);
    if (!entry.values && !entry.pending.valid())
        entry.pending = std::async(std::launch::async, read_config, root_);
}

std::string Git::config_value(const std::string& key) const {
    const auto& values = config_cache(root_);
    auto it = values.find(key);
    return it == values.end() ? "" : first_line(it->second);
}

void Git::set_config(const std::string& key, const std::string& value) const {
    check_git(run_git(root_, {"config", key, value}), "config");
    config_cache(root_).insert_or_assign(key, value);
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

std::vector<Git::IndexEntry> Git::index_entries(const std::vector<std::string>& pathspecs) const {
    std::vector<std::string> args = {"ls-files", "-s", "-z", "--"};
    args.insert(args.end(), pathspecs.begin(), pathspecs.end());
    auto r = run_git(root_, args);
    check_git(r, "ls-files");
    // `<mode> <blob> <stage>\t<path>`; only stage 0 (not in the middle of a merge).
    std::vector<IndexEntry> out;
    for (const auto& line : split_nul(r.out)) {
        auto tab = line.find('\t');
        auto first_space = line.find(' ');
        auto second_space = line.find(' ', first_space + 1);
        if (tab == std::string::npos || second_space == std::string::npos) continue;
        if (line.compare(second_space + 1, tab - second_space - 1, "0") != 0) continue;
        out.push_back(
            {line.substr(tab + 1), line.substr(first_space + 1, second_space - first_space - 1)});
    }
    return out;
}

std::vector<Git::IndexEntry> Git::staged_changes() const {
    auto diff = [&](const std::string& base) {
        return run_git(root_, {"diff-index", "--cached", "--raw", "-z", "--relative",
                               "--diff-filter=ACMR", "--no-renames", "--no-abbrev", base, "--"});
    };
    auto r = diff("HEAD");
    if (r.exit_code != 0)
        r = diff("4b825dc642cb6eb9a060e54bf8d69288fbee4904"); // before a first commit
    check_git(r, "diff-index");
    // `:<old mode> <new mode> <old blob> <new blob> <status>\0<path>\0`
    std::vector<IndexEntry> out;
    auto fields = split_nul(r.out);
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        const auto& meta = fields[i];
        auto end_of_blob = meta.rfind(' ');
        auto start_of_blob = meta.rfind(' ', end_of_blob - 1);
        if (!meta.starts_with(":") || start_of_blob == std::string::npos) continue;
        out.push_back(
            {fields[i + 1], meta.substr(start_of_blob + 1, end_of_blob - start_of_blob - 1)});
    }
    return out;
}

namespace {

// The entries of a raw diff (`-z`): `:<old mode> <new mode> <old blob> <new blob>
// <status>\0<path>\0`, taken into `out` (gitlinks, which are no files, left out);
// any other field is handed to `other` (a commit's name, before its changes).
template <typename Other>
void read_raw_diff(const std::string& text, std::vector<Git::IndexEntry>*& out, Other other) {
    auto fields = split_nul(text);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto& meta = fields[i];
        if (!meta.starts_with(":")) {
            other(meta);
            continue;
        }
        if (i + 1 >= fields.size()) break;
        const auto& path = fields[++i];
        auto end_of_blob = meta.rfind(' ');
        auto start_of_blob = meta.rfind(' ', end_of_blob - 1);
        if (start_of_blob == std::string::npos || !out) continue;
        if (meta.compare(8, 6, "160000") == 0) continue;
        out->push_back({path, meta.substr(start_of_blob + 1, end_of_blob - start_of_blob - 1)});
    }
}

constexpr const char* empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

} // namespace

std::vector<Git::IndexEntry> Git::tree_entries(const std::string& commit,
                                               const std::vector<std::string>& pathspecs) const {
    std::vector<IndexEntry> out;
    if (pathspecs.empty()) return out;
    std::vector<std::string> args = {"diff-tree",   "-r",       "-z",   "--no-renames",
                                     "--no-abbrev", empty_tree, commit, "--"};
    args.insert(args.end(), pathspecs.begin(), pathspecs.end());
    auto r = run_git(root_, args);
    check_git(r, "diff-tree");
    auto* into = &out;
    read_raw_diff(r.out, into, [](const std::string&) {});
    return out;
}

std::vector<Git::CommitParents> Git::rev_list(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {"rev-list", "--reverse", "--topo-order", "--parents"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_git(root_, argv);
    check_git(r, "rev-list");
    std::vector<CommitParents> out;
    std::size_t start = 0;
    while (start < r.out.size()) {
        auto end = r.out.find('\n', start);
        if (end == std::string::npos) end = r.out.size();
        std::string_view line(r.out.data() + start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        CommitParents entry;
        for (std::size_t pos = 0; pos <= line.size();) {
            auto space = line.find(' ', pos);
            if (space == std::string_view::npos) space = line.size();
            std::string name(line.substr(pos, space - pos));
            if (entry.commit.empty())
                entry.commit = std::move(name);
            else
                entry.parents.push_back(std::move(name));
            pos = space + 1;
        }
        out.push_back(std::move(entry));
    }
    return out;
}

std::map<std::string, std::vector<Git::IndexEntry>>
Git::commit_changes(const std::vector<CommitParents>& commits) const {
    std::map<std::string, std::vector<IndexEntry>> out;
    if (commits.empty()) return out;
    // Each line `<commit> <first parent>` diffs the two; a lone root commit is
    // diffed against nothing (--root).
    ProcessOptions options;
    for (const auto& c : commits) {
        out[c.commit];
        options.input += c.commit + (c.parents.empty() ? "" : " " + c.parents.front()) + "\n";
    }
    auto r = run_git(root_,
                     {"diff-tree", "--stdin", "-r", "-z", "--root", "--no-renames", "--no-abbrev",
                      "--diff-filter=ACMT"},
                     options);
    check_git(r, "diff-tree");
    std::vector<IndexEntry>* current = nullptr;
    read_raw_diff(r.out, current, [&](const std::string& name) {
        auto it = out.find(name);
        current = it == out.end() ? nullptr : &it->second;
    });
    return out;
}

std::map<std::string, std::string> Git::blobs(const std::vector<std::string>& names) const {
    std::map<std::string, std::string> out;
    if (names.empty()) return out;
    ProcessOptions options;
    for (const auto& name : names) {
        if (name.find_first_not_of("0123456789abcdef") != std::string::npos)
            throw RuntimeError(tr("'{}' is not a blob name", name));
        options.input += name + "\n";
    }
    auto r = run_git(root_, {"cat-file", "--batch"}, options);
    check_git(r, "cat-file");
    // Per request: `<name> blob <size>\n<content>\n`, or `<name> missing\n`.
    std::size_t pos = 0;
    for (const auto& name : names) {
        auto nl = r.out.find('\n', pos);
        if (nl == std::string::npos)
            throw RuntimeError(tr("git cat-file stopped answering before the last blob"));
        std::string_view header(r.out.data() + pos, nl - pos);
        pos = nl + 1;
        if (!header.starts_with(name + " "))
            throw RuntimeError(tr("git cat-file answered for another object than {}", name));
        if (header.ends_with(" missing")) continue;
        auto space = header.rfind(' ');
        std::size_t size = std::stoull(std::string(header.substr(space + 1)));
        if (pos + size > r.out.size())
            throw RuntimeError(tr("git cat-file's answer is shorter than it announced"));
        out[name] = r.out.substr(pos, size);
        pos += size + 1;
    }
    return out;
}

std::string Git::log(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {"log"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_git(root_, argv);
    check_git(r, "log");
    return r.out;
}

std::optional<std::string> Git::file_at(const std::string& rev, const std::string& path) const {
    auto r = run_git(root_, {"show", "--no-textconv", rev + ":" + path});
    if (r.exit_code != 0) return std::nullopt;
    return r.out;
}

fs::path Git::git_directory() const {
    auto r = run_git(root_, {"rev-parse", "--absolute-git-dir"});
    check_git(r, "rev-parse");
    return first_line(r.out);
}

fs::path Git::hooks_directory() const {
    auto r = run_git(root_, {"rev-parse", "--git-path", "hooks"});
    check_git(r, "rev-parse");
    fs::path hooks = first_line(r.out);
    return hooks.is_absolute() ? hooks : root_ / hooks;
}

} // namespace opsflow
