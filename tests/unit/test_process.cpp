#include "opsflow/base/process.hpp"

#include <csignal>
#include <doctest/doctest.h>
#include <string>

using namespace opsflow;

TEST_CASE("a child whose input and output both exceed a pipe buffer does not deadlock") {
    // cat answers while it is still being fed: a blocking write of all 8 MB would
    // leave us blocked on its full stdin while it is blocked on its full stdout.
    std::string input;
    for (int i = 0; input.size() < 8u << 20; ++i)
        input += "line " + std::to_string(i) + "\n";
    ProcessOptions options;
    options.input = input;
    auto result = run_process({"cat"}, options);
    CHECK(result.exit_code == 0);
    CHECK(result.out.size() == input.size());
    CHECK(result.out == input);
}

TEST_CASE("a child that reads none of its input is not a failure of ours") {
    ProcessOptions options;
    options.input = std::string(1u << 20, 'x');
    auto result = run_process({"sh", "-c", "echo done"}, options);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "done\n");
}

TEST_CASE("children start with default signal dispositions") {
    // Run as if under nohup: SIGHUP and SIGINT ignored in the parent.
    struct sigaction ignore {
    }, old_hup{}, old_int{};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGHUP, &ignore, &old_hup);
    sigaction(SIGINT, &ignore, &old_int);
    auto result = run_process({"sh", "-c", "grep -E '^SigIgn' /proc/self/status"});
    sigaction(SIGHUP, &old_hup, nullptr);
    sigaction(SIGINT, &old_int, nullptr);
    REQUIRE(result.exit_code == 0);
    // The mask is hexadecimal, bit (n-1) for signal n: SIGHUP is 1, SIGINT is 2, and
    // SIGPIPE, 13, is ignored by this program as by opsflow (main.cpp).
    auto mask = std::stoull(result.out.substr(result.out.find(':') + 1), nullptr, 16);
    CHECK((mask & 0x1003u) == 0);
}

TEST_CASE("input from a source is written a chunk at a time, in order") {
    int chunks = 0;
    ProcessOptions options;
    options.input = "head\n";
    options.input_source = [&] {
        return ++chunks <= 300 ? std::string(10000, static_cast<char>('a' + chunks % 26)) + "\n"
                               : std::string();
    };
    auto result = run_process({"cat"}, options);
    CHECK(result.exit_code == 0);
    CHECK(result.out.size() == 5 + 300 * 10001);
    CHECK(result.out.substr(0, 6) == "head\nb");
    CHECK(result.out.back() == '\n');
}

TEST_CASE("a child that outlives its time limit is killed, and says so") {
    ProcessOptions options;
    options.time_limit = std::chrono::milliseconds(200);
    auto started = std::chrono::steady_clock::now();
    auto result = run_process({"sh", "-c", "echo partial; sleep 30"}, options);
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(result.exit_code == -1);
    CHECK(result.out == "partial\n");
    CHECK(result.err.find("did not finish within 200 ms") != std::string::npos);
    CHECK(took < std::chrono::seconds(5));
    // A child that finishes in time is not affected by its limit.
    options.time_limit = std::chrono::seconds(20);
    CHECK(run_process({"true"}, options).exit_code == 0);
}
