#pragma once
// One problem `check` found: how serious, and where (what the check cache keeps too).
#include "opsflow/error.hpp"

namespace opsflow {

enum class Severity { error, warning };

struct Finding {
    Severity severity;
    Diagnostic where;
};

} // namespace opsflow
