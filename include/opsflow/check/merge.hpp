#pragma once
// Three-way merge of one record changed in two clones (SPEC §6, PITFALLS.md):
// events are united and ordered deterministically, other fields are merged
// three-way, and the result is validated. The result does not depend on which
// side is "ours", so both merge directions give the same bytes.
#include "opsflow/base/id.hpp"
#include "opsflow/record/settings.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace opsflow {

struct MergeOutcome {
    std::string text;                   // the merged record, or the record with conflict markers
    std::vector<std::string> conflicts; // one line per field changed differently on both sides
    bool clean() const { return conflicts.empty(); }
};

// `base` may be empty (both sides added the file). `marker_size` is git's %L. With
// `settings`, the fields a record derives (an incident's priority and deadlines) are
// set afresh from the merged record; without, they are merged like any other.
// Throws InvalidDataError when a side cannot be read or the merge is not a valid record.
MergeOutcome merge_record(RecordKind kind, const std::string& base, const std::string& ours,
                          const std::string& theirs, const std::string& path, int marker_size = 7,
                          const Settings* settings = nullptr);

// git's merge driver: merges the files %O, %A and %B of the record at `path` (%P) into
// %A. A file that cannot be merged as a record (not a record, hand-written comments,
// too large) is merged as text by `git merge-file`, as git would have.
struct FileMerge {
    std::vector<std::string> conflicts;
    bool as_text = false;
    std::string why_text; // why it was merged as text
    bool clean() const { return conflicts.empty(); }
};
FileMerge merge_files(const std::filesystem::path& base, const std::filesystem::path& ours,
                      const std::filesystem::path& theirs, const std::string& path,
                      int marker_size = 7, const Settings* settings = nullptr);

// The settings of the store a record at `path` (relative to the work tree's top, where
// git runs the driver) belongs to; nullopt when they cannot be read (opsflow.yaml is
// itself being merged, say).
std::optional<Settings> settings_for_merge(const std::string& path);

} // namespace opsflow
