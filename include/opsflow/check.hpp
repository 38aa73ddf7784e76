#pragma once
// `opsflow check`: are the store's documents complete, consistent and free of
// secrets? (SPEC §1 rows 四 and 五.) It reads either the work tree or the
// versions staged in git's index, so the pre-commit hook checks what is about
// to be committed.
#include "opsflow/error.hpp"
#include "opsflow/finding.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
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

// What `git commit` would record: the files in git's index.
class StagedSnapshot : public Snapshot {
  public:
    explicit StagedSnapshot(std::filesystem::path root) : root_(std::move(root)) {}
    std::vector<std::string> record_paths() const override;
    std::optional<std::string> read(const std::string& relative) const override;
    // One git process for all the files of a commit, not one per file.
    void prefetch(const std::vector<std::string>& relative_paths) const override;
    std::vector<std::string> paths_named(const std::set<std::string>& ids) const override;
    // Looked up in the same git process as the first files fetched: at 100,000 records
    // each process that lists git's index costs more than the rest of the check.
    void expect_named(const std::set<std::string>& ids) const override;
    std::string identity(const std::string& relative) const override;
    std::optional<std::filesystem::path> cache_file() const override;
    // The files this commit adds or changes (one git diff-index, which uses git's
    // cache of tree names: it costs what the change costs, not what the store does).
    std::vector<std::string> changed() const;

  private:
    // Files are read by blob name, never by path, so that no path (one with a
    // newline, say) can make git answer for another file.
    void learn_blobs(std::vector<std::string> pathspecs) const;
    std::filesystem::path root_;
    mutable std::map<std::string, std::string> blob_of_path_;
    mutable std::optional<std::vector<std::string>> all_records_;
    mutable std::map<std::string, std::optional<std::string>> fetched_;
    mutable std::set<std::string> expected_ids_; // to look up with the next files
    mutable std::set<std::string> named_ids_;    // whose files are in named_paths_
    mutable std::vector<std::string> named_paths_;
};

struct CheckResult {
    std::vector<Finding> findings; // by file, line, column
    std::size_t files_checked = 0;
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

} // namespace opsflow
