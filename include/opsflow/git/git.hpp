#pragma once
// The store's audit trail: one commit per change, with Opsflow-* trailers.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

struct CommitRequest {
    std::vector<std::string> paths; // relative to the store root
    std::string subject;            // `incident INC-3f9a1c2e: assigned to lisi`
    std::string action;             // `incident.assign`
    std::string record_id;
    std::string author_name; // empty: git's configured identity
    std::string author_email;
};

// The name git gives a blob of `content` (SHA-1 of `blob <size>\0<content>`), as
// `git hash-object` prints it for a file without filters.
std::string git_blob_name(std::string_view content);

class Git {
  public:
    // The git work tree that contains `store_root`, if any (found without running git).
    static std::optional<std::filesystem::path>
    find_work_tree(const std::filesystem::path& store_root);

    explicit Git(std::filesystem::path store_root) : root_(std::move(store_root)) {}

    void init_repository() const;
    // Index settings that make add/commit/status cheaper with 100,000 files (PITFALLS.md).
    void tune_for_many_files() const;
    // Commits exactly `request.paths` (never other staged changes), running the
    // repository's commit hooks, and checks that the new commit changes those paths
    // alone before it says so. Any number of paths: none goes on a command line.
    // Throws RuntimeError, with HEAD and the index as they were.
    void commit(const CommitRequest& request) const;
    std::string config_value(const std::string& key) const; // empty if unset
    // Starts reading git's configuration on another thread, for config_value to
    // wait for: a command that will ask does its own work meanwhile.
    void prefetch_config() const;
    void set_config(const std::string& key, const std::string& value) const;
    // Index entries (path relative to the store root, blob name) under `pathspecs`.
    struct IndexEntry {
        std::string path;
        std::string blob;
    };
    std::vector<IndexEntry> index_entries(const std::vector<std::string>& pathspecs) const;
    // Files added, copied or modified in the index against HEAD, with their staged blobs.
    std::vector<IndexEntry> staged_changes() const;
    // The files (path, blob) of `commit`'s tree under `pathspecs` (none: none), with one
    // git diff-tree against the empty tree, which takes glob pathspecs (ls-tree does not).
    std::vector<IndexEntry> tree_entries(const std::string& commit,
                                         const std::vector<std::string>& pathspecs) const;
    // `git rev-list --reverse --topo-order --parents ARGS...`: commits with their
    // parents, every commit after its parents. Throws RuntimeError.
    struct CommitParents {
        std::string commit;
        std::vector<std::string> parents;
    };
    std::vector<CommitParents> rev_list(const std::vector<std::string>& args) const;
    // The files each of `commits` adds or changes against its first parent (all of them
    // for a root commit), with their blobs: one git diff-tree for all the commits.
    std::map<std::string, std::vector<IndexEntry>>
    commit_changes(const std::vector<CommitParents>& commits) const;
    // The contents of blobs, asked by name with one git process; each answer is
    // checked to be for the blob asked. Missing blobs are absent from the result.
    std::map<std::string, std::string> blobs(const std::vector<std::string>& names) const;
    // The output of `git log ARGS...`. Throws RuntimeError.
    std::string log(const std::vector<std::string>& args) const;
    // A file as commit `rev` holds it; nothing if it does not (the file or the commit).
    std::optional<std::string> file_at(const std::string& rev, const std::string& path) const;
    // After a change was interrupted (core/journal.cpp): whether HEAD holds each of
    // `files` (path, blob), i.e. the change was committed, by its own commit or by
    // one that took its files with it (`git commit -a` run meanwhile).
    bool head_holds(const std::vector<IndexEntry>& files) const;
    // The lock files an opsflow change that died left in git: its temporary indexes,
    // its index lock (which carries its PID, the process gone) and the ref locks
    // its git children took while it held it. Any other `index.lock` belongs to a git
    // command: it is waited for a bounded time, then a RuntimeError names it, and
    // nothing is removed. A lock is never removed for its age. Says what it removed.
    std::vector<std::string> release_locks_of_dead_change() const;
    // Index entries that still hold the blobs an interrupted commit staged go back
    // to HEAD's.
    void unstage_interrupted_commit(const std::vector<IndexEntry>& staged) const;
    // After a change was committed but died before git's own index took its files
    // (Git::commit replaces that index last): the entries of `files` that still
    // hold what the file held before the change (`previous`, empty for a new file)
    // take what was committed (`blob`), so that the index does not stage a revert.
    // Says which paths it updated.
    struct CommittedFile {
        std::string path;
        std::string previous; // blob; empty: the change made the file
        std::string blob;
    };
    std::vector<std::string>
    finish_interrupted_commit(const std::vector<CommittedFile>& files) const;
    // The repository's git directory (a bare repository's own), absolute.
    std::filesystem::path git_directory() const;
    // Where this repository's hooks live (honours core.hooksPath).
    std::filesystem::path hooks_directory() const;

  private:
    std::filesystem::path root_;
};

} // namespace opsflow
