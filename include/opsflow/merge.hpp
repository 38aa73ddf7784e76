#pragma once
// Three-way merge of one record changed in two clones (SPEC §6, PITFALLS.md):
// events are united and ordered deterministically, other fields are merged
// three-way, and the result is validated. The result does not depend on which
// side is "ours", so both merge directions give the same bytes.
#include "opsflow/id.hpp"

#include <string>
#include <vector>

namespace opsflow {

struct MergeOutcome {
    std::string text;                   // the merged record, or the record with conflict markers
    std::vector<std::string> conflicts; // one line per field changed differently on both sides
    bool clean() const { return conflicts.empty(); }
};

// `base` may be empty (both sides added the file). `marker_size` is git's %L.
// Throws InvalidDataError when a side cannot be read or the merge is not a valid record.
MergeOutcome merge_record(RecordKind kind, const std::string& base, const std::string& ours,
                          const std::string& theirs, const std::string& path, int marker_size = 7);

} // namespace opsflow
