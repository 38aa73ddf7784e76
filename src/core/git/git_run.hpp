#pragma once
// Running git for the Git class (core-internal).
#include "opsflow/base/process.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace opsflow {

// `git -C root ARGS...`, never through a shell; a command that found one of git's
// lock files taken is run again for a few seconds before its failure is returned.
ProcessResult run_git(const std::filesystem::path& root, const std::vector<std::string>& args,
                      const ProcessOptions& options = {});

// Throws RuntimeError `git WHAT failed: <first line of its message>` unless `r` succeeded.
void check_git(const ProcessResult& r, const std::string& what);

// What an opsflow commit writes into git's `index.lock` while it holds it: its
// process ID, so that the next command can tell the lock of a change that died
// (removed at once) from one a running git command holds (waited for).
std::string index_lock_mark();
// Whether `lock` holds the mark of an opsflow process that is gone.
bool left_by_dead_opsflow(const std::filesystem::path& lock);

} // namespace opsflow
