// `check --range` and `check --pre-receive`: the commits of a push, each checked from
// git's objects as the pre-commit hook checks a commit (a central repository is bare).
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/id.hpp"
#include "opsflow/check/check.hpp"
#include "opsflow/git/git.hpp"

#include <algorithm>
#include <iterator>
#include <set>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> settings_files = {"opsflow.yaml", "team.yaml", "services.yaml"};

bool is_settings_file(const std::string& path) {
    return std::find(settings_files.begin(), settings_files.end(), path) != settings_files.end();
}

bool is_record_path(const std::string& path) {
    return kind_of_path(path) && path.ends_with(".yaml");
}

// A full object name (SHA-1 or SHA-256), as git gives a hook.
bool is_object_name(std::string_view name) {
    return (name.size() == 40 || name.size() == 64) &&
           name.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool is_zero(std::string_view name) {
    return name.find_first_not_of('0') == std::string_view::npos;
}

// Where the verdicts of whole-store checks (a commit that changed the settings) are
// kept: in the repository's git directory, which no one clones.
std::optional<fs::path> cache_in(const fs::path& repository) {
    try {
        return Git(repository).git_directory() / "opsflow-check-cache";
    } catch (const RuntimeError&) {
        return std::nullopt;
    }
}

CheckResult check_commits(const fs::path& repository,
                          const std::vector<Git::CommitParents>& commits) {
    CheckResult result;
    Git git(repository);
    auto changes = git.commit_changes(commits);
    // The files the commits change, read together (a slice of blobs per git process)
    // unless there are too many to hold at once (an import): then each commit's own.
    GitSnapshot::BlobContents contents;
    std::set<std::string> wanted;
    for (auto& [name, files] : changes) {
        std::erase_if(files, [](const Git::IndexEntry& file) {
            return !is_record_path(file.path) && !is_settings_file(file.path);
        });
        for (const auto& file : files)
            wanted.insert(file.blob);
    }
    constexpr std::size_t held_at_once = 4096, per_process = 2048; // as check_store's slices
    if (wanted.size() <= held_at_once) {
        std::vector<std::string> slice;
        for (auto it = wanted.begin(); it != wanted.end(); ++it) {
            slice.push_back(*it);
            if (slice.size() == per_process || std::next(it) == wanted.end()) {
                contents.merge(git.blobs(slice));
                slice.clear();
            }
        }
    }
    std::optional<std::optional<fs::path>> cache;
    for (const auto& commit : commits) {
        ++result.commits_checked;
        auto& changed = changes[commit.commit];
        if (changed.empty()) continue;
        bool settings_changed = std::any_of(changed.begin(), changed.end(), [](const auto& file) {
            return is_settings_file(file.path);
        });
        if (settings_changed && !cache) cache = cache_in(repository);
        CommitSnapshot snapshot(repository, commit.commit, std::move(changed),
                                settings_changed ? *cache : std::nullopt, &contents);
        // New settings can make any record wrong (a person left team.yaml): then the
        // whole tree is checked; otherwise what the commit adds or changes.
        auto found =
            settings_changed ? check_store(snapshot) : check_store(snapshot, snapshot.changed());
        for (auto& finding : found.findings) {
            finding.commit = commit.commit;
            result.findings.push_back(std::move(finding));
        }
        result.files_checked += found.files_checked;
    }
    return result;
}

} // namespace

std::vector<RefUpdate> parse_ref_updates(std::string_view text) {
    std::vector<RefUpdate> updates;
    std::size_t number = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++number;
        if (line.empty()) continue;
        auto first = line.find(' ');
        auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
        RefUpdate update;
        if (second != std::string_view::npos) {
            update.old_commit = line.substr(0, first);
            update.new_commit = line.substr(first + 1, second - first - 1);
            update.ref = line.substr(second + 1);
        }
        if (!is_object_name(update.old_commit) || !is_object_name(update.new_commit) ||
            update.ref.empty())
            throw UsageError(
                tr("line {} of the pre-receive input is not '<old> <new> <ref>'", number));
        updates.push_back(std::move(update));
    }
    return updates;
}

CheckResult check_pushed_commits(const fs::path& repository,
                                 const std::vector<RefUpdate>& updates) {
    // What no ref reaches yet: while a pre-receive hook runs, the refs are still
    // where they were, so a new branch is checked from where it leaves the others
    // and a force-push from where it leaves the old history.
    std::vector<std::string> args;
    for (const auto& update : updates)
        if (!is_zero(update.new_commit)) args.push_back(update.new_commit);
    if (args.empty()) return {}; // only deletions
    args.insert(args.end(), {"--not", "--all"});
    return check_commits(repository, Git(repository).rev_list(args));
}

CheckResult check_commit_range(const fs::path& repository, const std::string& range) {
    std::string revisions = range;
    if (auto dots = range.find(".."); dots != std::string::npos && dots > 0 &&
                                      is_zero(range.substr(0, dots)) &&
                                      range.compare(dots, 3, "...") != 0)
        revisions = range.substr(dots + 2); // a new branch: all its history
    if (revisions.empty() || revisions.starts_with('-') ||
        revisions.find_first_of(" \t\n") != std::string::npos)
        throw UsageError(tr("'{}' is not a range of commits (OLD..NEW)", range));
    std::vector<Git::CommitParents> commits;
    try {
        commits = Git(repository).rev_list({"--end-of-options", revisions});
    } catch (const RuntimeError& e) {
        throw UsageError(tr("'{}' is not a range of commits (OLD..NEW)", range) + ": " + e.what());
    }
    return check_commits(repository, commits);
}

} // namespace opsflow
