#pragma once
#include "opsflow/base/environment.hpp"

namespace opsflow::cli {
// Parses the command line and runs the chosen verb with `environment` (read once,
// by main); returns the exit code.
int run(int argc, char** argv, const Environment& environment);
} // namespace opsflow::cli
