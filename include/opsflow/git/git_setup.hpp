#pragma once
// What each clone of a store needs in its own git config, which git never takes
// from the repository's content (PITFALLS.md): the pre-commit hook that runs
// `opsflow check --staged`, and the merge driver for records.
#include <filesystem>
#include <string>

namespace opsflow {

// The lines of .gitattributes that send records to the merge driver.
std::string record_merge_attributes();

struct GitSetup {
    bool hook_installed = false;
    bool chained_hook = false;       // an existing hook now runs after ours
    bool attributes_updated = false; // .gitattributes gained the merge lines (to be committed)
};

// Installs the hook (keeping an existing one as `pre-commit.local`, run after ours)
// and registers `merge.opsflow.driver`, calling opsflow as `opsflow_program`.
// Idempotent: running it again changes nothing.
GitSetup install_git_integration(const std::filesystem::path& store_root,
                                 const std::filesystem::path& opsflow_program);

// False when the store's records are marked `merge=opsflow` but this clone has no
// driver registered, so git would silently merge records as text.
bool merge_driver_missing(const std::filesystem::path& store_root);

} // namespace opsflow
