#pragma once
// Runs a program from an argv, never through a shell.
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace opsflow {

struct ProcessResult {
    int exit_code = -1; // -1 if it could not be started or was killed
    std::string out;
    std::string err;
    bool timed_out = false; // killed for running past ProcessOptions::time_limit
};

struct ProcessOptions {
    std::string input; // written to the child's stdin
    // Then, for input too large to hold at once: called for the next chunk each time
    // the last one is written; an empty chunk ends the input.
    std::function<std::string()> input_source;
    std::map<std::string, std::string> env; // added to (or replacing in) the environment
    std::string cwd;                        // where the child runs; empty: here
    // Killed (exit code -1) when it has not finished by then; zero: no limit.
    std::chrono::milliseconds time_limit{0};
};

// The program must ignore SIGPIPE (src/cli/main.cpp does, once, at start-up): a child
// that exits without reading all its input then fails a write with EPIPE instead of
// killing us. Children start with every signal's default action, SIGPIPE's included.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Runs a program on this terminal (an editor) and returns its exit code, -1 if it could not start.
int run_interactive(const std::vector<std::string>& argv);

} // namespace opsflow
