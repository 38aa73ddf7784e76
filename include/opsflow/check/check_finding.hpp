#pragma once
// One problem `check` found: how serious, and where (what the check cache keeps too).
#include "opsflow/base/error.hpp"

namespace opsflow {

enum class Severity { error, warning };

struct CheckFinding {
    Severity severity;
    Diagnostic where;
    std::string commit = {}; // where it was found by `check --range`; empty in a work tree
};

} // namespace opsflow
