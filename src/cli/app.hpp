#pragma once

namespace opsflow::cli {
// Parses the command line and runs the chosen verb; returns the exit code.
int run(int argc, char** argv);
} // namespace opsflow::cli
