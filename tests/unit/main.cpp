#define DOCTEST_CONFIG_IMPLEMENT
#include <csignal>
#include <doctest/doctest.h>

// As the program does (src/cli/main.cpp): a child that exits before reading its
// input fails a write with EPIPE rather than killing the test run.
int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    return doctest::Context(argc, argv).run();
}
