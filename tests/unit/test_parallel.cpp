#include "opsflow/base/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <doctest/doctest.h>
#include <stdexcept>
#include <vector>

using namespace opsflow;

TEST_CASE("work on threads: every part runs, and an exception reaches the caller") {
    std::atomic<int> ran{0};
    run_on_threads(4, [&](unsigned) { ++ran; });
    CHECK(ran == 4);

    ran = 0;
    CHECK_THROWS_WITH_AS(run_on_threads(3,
                                        [&](unsigned t) {
                                            ++ran;
                                            if (t == 2) throw std::runtime_error("part 2 failed");
                                        }),
                         "part 2 failed", std::runtime_error);
    CHECK(ran == 3); // the others finished before the exception was rethrown

    int first = 0, second = 0;
    run_side_by_side(
        true, [&] { first = 1; }, [&] { second = 2; });
    CHECK(first + second == 3);
    CHECK_THROWS_AS(run_side_by_side(
                        false, [] {}, [] { throw std::logic_error("second"); }),
                    std::logic_error);
}

TEST_CASE("each item is worked on exactly once, whatever thread takes it") {
    std::vector<std::atomic<int>> seen(1000);
    std::atomic<unsigned> highest_thread{0};
    run_each(seen.size(), 3, [&](std::size_t item, unsigned t) {
        ++seen[item];
        unsigned high = highest_thread;
        while (t > high && !highest_thread.compare_exchange_weak(high, t)) {
        }
    });
    CHECK(std::all_of(seen.begin(), seen.end(), [](const auto& n) { return n == 1; }));
    CHECK(highest_thread < 3);
    run_each(0, 2, [](std::size_t, unsigned) { FAIL("no items"); });
}
