#pragma once
// Creating a store (`opsflow init`) and finding out who is operating it.
#include "opsflow/store/change.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace opsflow {

struct InitResult {
    std::filesystem::path root;
    bool created_repository = false;
    bool committed = false;
};

// Creates the settings files (unless present), .gitignore, .gitattributes, `git init`
// when the directory is not in a work tree, the pre-commit hook and merge driver
// (calling `opsflow_program`), and a first commit; `language` is the store's
// (opsflow.yaml `language`). Refuses (exit 4) a directory
// that is already a store.
InitResult init_store(const std::filesystem::path& dir, const std::string& timezone,
                      Language language, const std::filesystem::path& opsflow_program);

// The operator: `as`, else $OPSFLOW_USER, else git's user.email mapped through
// team.yaml, else git's user.name, else $USER (both from `environment`).
Actor resolve_actor(const Store& store, const std::optional<std::string>& as,
                    const Environment& environment);

} // namespace opsflow
