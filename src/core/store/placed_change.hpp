#pragma once
// A change that brings many new files into the store at once (core-internal):
// `opsflow import`, whose records wait whole in a staging directory meanwhile.
#include "opsflow/store/change.hpp"
#include "store/journal.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace opsflow {

// Moves each of `files`, written whole under `staging` at the same relative path,
// into the store (never over an existing file) and, with autocommit in a git work
// tree, commits them as one commit `<kind> <subject_id>: <summary.description>`.
// The same change as write_and_commit: journaled first (each file by the blob it
// is, not its text), rolled back on any failure, and by the next command if the
// process dies half way. Returns whether it committed. The caller holds the store lock.
bool place_and_commit(const Context& ctx, const std::filesystem::path& staging,
                      const std::vector<PlacedFile>& files, RecordKind kind,
                      const std::string& subject_id, const ChangeSummary& summary);

} // namespace opsflow
