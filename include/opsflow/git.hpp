#pragma once
// The store's audit trail: one commit per change, with Opsflow-* trailers.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
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

class Git {
  public:
    // The git work tree that contains `store_root`, if any (found without running git).
    static std::optional<std::filesystem::path>
    find_work_tree(const std::filesystem::path& store_root);

    explicit Git(std::filesystem::path store_root) : root_(std::move(store_root)) {}

    void init_repository() const;
    // Index settings that make add/commit/status cheaper with 100,000 files (PITFALLS.md).
    void tune_for_many_files() const;
    // Commits exactly `request.paths` (never other staged changes). Throws RuntimeError.
    void commit(const CommitRequest& request) const;
    std::string config_value(const std::string& key) const; // empty if unset
    void set_config(const std::string& key, const std::string& value) const;
    // Tracked files under `pathspecs`, relative to the store root.
    std::vector<std::string> tracked_files(const std::vector<std::string>& pathspecs) const;
    // Files added, copied, modified or renamed in the index, relative to the store root.
    std::vector<std::string> staged_paths() const;
    // The staged version of a file, or nothing if it is not in the index.
    std::optional<std::string> staged_content(const std::string& relative) const;
    // The staged versions of many files with one git process; files not in the index are absent.
    std::map<std::string, std::string>
    staged_contents(const std::vector<std::string>& relative_paths) const;
    // The output of `git log ARGS...`. Throws RuntimeError.
    std::string log(const std::vector<std::string>& args) const;
    // Where this repository's hooks live (honours core.hooksPath).
    std::filesystem::path hooks_directory() const;
    // Puts the index entries of `paths` back to HEAD (after a failed commit).
    void unstage(const std::vector<std::string>& paths) const;

  private:
    std::filesystem::path root_;
};

} // namespace opsflow
