#pragma once
// `opsflow check`: are the store's documents complete, consistent and free of
// secrets? (SPEC §1 rows 四 and 五.) It reads either the work tree or the
// versions staged in git's index, so the pre-commit hook checks what is about
// to be committed.
#include "opsflow/base/error.hpp"
#include "opsflow/check/check_finding.hpp"
#include "opsflow/git/git.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

// The files check reads, by path relative to the store root.
class Snapshot {
  public:
    virtual ~Snapshot() = default;
    // Every record file (incidents/, maintenance/, tickets/, improvements/), sorted.
    virtual std::vector<std::string> record_paths() const = 0;
    virtual std::optional<std::string> read(const std::string& relative) const = 0;
    // A hint that these files will be read (a snapshot may fetch them together).
    virtual void prefetch(const std::vector<std::string>&) const {}
    // The record files whose name is `<ID>.yaml` for one of `ids`, sorted: what
    // checking a few records needs to know of the rest of the store.
    virtual std::vector<std::string> paths_named(const std::set<std::string>& ids) const;
    // A hint that paths_named will be asked about these IDs (a snapshot may look them
    // up together with the files it fetches first).
    virtual void expect_named(const std::set<std::string>&) const {}
    // What names a file's content without reading it (a stamp of the file, or its
    // git blob), for the check cache; empty when unknown or not yet settled.
    virtual std::string identity(const std::string&) const { return ""; }
    // Where the verdicts of this snapshot's records are remembered, if anywhere.
    virtual std::optional<std::filesystem::path> cache_file() const { return std::nullopt; }
};

class WorkTreeSnapshot : public Snapshot {
  public:
    explicit WorkTreeSnapshot(std::filesystem::path root) : root_(std::move(root)) {}
    std::vector<std::string> record_paths() const override;
    std::optional<std::string> read(const std::string& relative) const override;
    std::string identity(const std::string& relative) const override;
    std::optional<std::filesystem::path> cache_file() const override;

  private:
    std::filesystem::path root_;
};

// The files git keeps by blob name: git's index (StagedSnapshot) or a commit's
// tree (CommitSnapshot). Paths are looked up with git pathspecs, files read by blob.
class GitSnapshot : public Snapshot {
  public:
    std::vector<std::string> record_paths() const override;
    std::optional<std::string> read(const std::string& relative) const override;
    // One git process for all the files of a commit, not one per file.
    void prefetch(const std::vector<std::string>& relative_paths) const override;
    std::vector<std::string> paths_named(const std::set<std::string>& ids) const override;
    // Looked up in the same git process as the first files fetched: at 100,000 records
    // each process that lists git's index costs more than the rest of the check.
    void expect_named(const std::set<std::string>& ids) const override;
    std::string identity(const std::string& relative) const override;

    // Contents by blob name that several snapshots share (the commits of one push):
    // what is there is not asked of git again, and top-level files read are added.
    using BlobContents = std::map<std::string, std::string>;

  protected:
    explicit GitSnapshot(std::filesystem::path root, BlobContents* shared = nullptr)
        : root_(std::move(root)), shared_(shared) {}
    // The files (path, blob) matched by `pathspecs`, one git process.
    virtual std::vector<Git::IndexEntry>
    entries(const std::vector<std::string>& pathspecs) const = 0;
    // Files whose blob is already known (from a diff).
    std::vector<std::string> learn(std::vector<Git::IndexEntry> files) const;
    std::filesystem::path root_;

  private:
    // Files are read by blob name, never by path, so that no path (one with a
    // newline, say) can make git answer for another file.
    void learn_blobs(std::vector<std::string> pathspecs) const;
    BlobContents* shared_;
    mutable std::map<std::string, std::string> blob_of_path_;
    mutable std::optional<std::vector<std::string>> all_records_;
    mutable std::map<std::string, std::optional<std::string>> fetched_;
    mutable std::set<std::string> expected_ids_; // to look up with the next files
    mutable std::set<std::string> named_ids_;    // whose files are in named_paths_
    mutable std::vector<std::string> named_paths_;
};

// What `git commit` would record: the files in git's index.
class StagedSnapshot : public GitSnapshot {
  public:
    explicit StagedSnapshot(std::filesystem::path root) : GitSnapshot(std::move(root)) {}
    std::optional<std::filesystem::path> cache_file() const override;
    // The files this commit adds or changes (one git diff-index, which uses git's
    // cache of tree names: it costs what the change costs, not what the store does).
    std::vector<std::string> changed() const;

  private:
    std::vector<Git::IndexEntry> entries(const std::vector<std::string>& pathspecs) const override;
};

// The files of one commit, read from git's objects (a bare repository has no work
// tree): what `check --range` and `--pre-receive` check each pushed commit against.
class CommitSnapshot : public GitSnapshot {
  public:
    // `changes`: the files the commit adds or changes (path, blob), from one diff of
    // the whole push; `cache`: where verdicts are remembered, if anywhere; `shared`:
    // contents already read for the push's other commits.
    CommitSnapshot(std::filesystem::path repository, std::string commit,
                   std::vector<Git::IndexEntry> changes, std::optional<std::filesystem::path> cache,
                   BlobContents* shared);
    std::optional<std::filesystem::path> cache_file() const override { return cache_; }
    const std::vector<std::string>& changed() const { return changed_; }

  private:
    std::vector<Git::IndexEntry> entries(const std::vector<std::string>& pathspecs) const override;
    std::string commit_;
    std::vector<std::string> changed_;
    std::optional<std::filesystem::path> cache_;
};

struct CheckResult {
    std::vector<CheckFinding> findings; // by file, line, column
    std::size_t files_checked = 0;
    std::size_t commits_checked = 0; // check --range, --pre-receive
    std::size_t count(Severity severity) const;
};

// Checks the settings files and the records of `snapshot`. With `only`, reports
// on those files (relative to the root) alone, still resolving IDs, people and
// services against the whole store.
CheckResult check_store(const Snapshot& snapshot,
                        const std::optional<std::vector<std::string>>& only = std::nullopt);

// What `opsflow check` asks for: the work tree or, with `staged`, the versions staged
// in git's index (only the staged changes are reported: the pre-commit hook); `paths`
// (relative to `cwd`, files or directories) narrow it further.
struct CheckRequest {
    bool staged = false;
    std::vector<std::string> paths;
    std::filesystem::path cwd;
};
// Throws UsageError for --staged outside a git work tree or a path outside the store.
CheckResult check_request(const std::filesystem::path& root, const CheckRequest& request);

// One line of a pre-receive hook's input: `ref` moves from `old_commit` to
// `new_commit` (all zeros: the ref is made, or deleted).
struct RefUpdate {
    std::string old_commit;
    std::string new_commit;
    std::string ref;
};
// Reads the lines git gives a pre-receive hook; throws UsageError naming a bad one.
std::vector<RefUpdate> parse_ref_updates(std::string_view text);

// The commits a push brings into `repository` (a central, usually bare, repository;
// read from git's objects, never a work tree): those of the updates' new commits
// that no ref reaches yet, so a new branch and a rewritten history are checked from
// where they leave the existing ones, and a deleted ref has none. Each commit is
// checked as the pre-commit hook checks it: the records and settings files it adds
// or changes, at that commit, against that commit's tree; a commit that changes a
// settings file has every record of its tree checked against the new settings.
// Findings carry the commit's name.
CheckResult check_pushed_commits(const std::filesystem::path& repository,
                                 const std::vector<RefUpdate>& updates);
// The same for the commits of `range` (`OLD..NEW`, as git rev-list reads it; an OLD of
// zeros: all of NEW's history). Throws UsageError for what is no range there.
CheckResult check_commit_range(const std::filesystem::path& repository, const std::string& range);

} // namespace opsflow
