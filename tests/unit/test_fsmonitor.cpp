// The file-system monitor's pure parts (fsmonitor.hpp): watchman clocks, which
// directories may have changed since a read, whether a clone has opted in, and
// that a monitor that cannot be run answers nothing (the index then reads all).
// A running watchman is exercised by the e2e suites.
#include "store/fsmonitor.hpp"
#include "support/store_fixture.hpp"

#include <cstdlib>
#include <doctest/doctest.h>

using namespace opsflow;
using opsflow::test::StoreFixture;
using opsflow::test::TempDir;

TEST_CASE("a watchman clock reads and writes back; anything else is not one") {
    auto clock = MonitorClock::parse("c:1700000000:4242:1:57");
    REQUIRE(clock);
    CHECK(clock->instance == "c:1700000000:4242:1");
    CHECK(clock->tick == 57);
    CHECK(clock->text() == "c:1700000000:4242:1:57");
    CHECK_FALSE(MonitorClock::parse("n:1700000000:4242:1:57"));
    CHECK_FALSE(MonitorClock::parse("c:1700000000:4242:1:"));
    CHECK_FALSE(MonitorClock::parse("c:1700000000:4242:1:5x"));
    CHECK_FALSE(MonitorClock::parse("c:1700000000:4242:1:-5"));
    CHECK_FALSE(MonitorClock::parse(""));
}

TEST_CASE("a directory may have changed if it changed after the read, or the watch is new") {
    MonitorChanges changes;
    changes.now = *MonitorClock::parse("c:1:2:3:100");
    changes.last_change = {{"incidents/2026/03", 90}, {"tickets/2026/03", 40}};
    const MonitorClock read_at = *MonitorClock::parse("c:1:2:3:50");
    CHECK(changes.changed_since("incidents/2026/03", read_at));
    CHECK_FALSE(changes.changed_since("tickets/2026/03", read_at));
    CHECK_FALSE(changes.changed_since("incidents/2026/02", read_at));
    // Another instance's clock says nothing about this one's ticks.
    CHECK(changes.changed_since("tickets/2026/03", *MonitorClock::parse("c:9:9:9:50")));
    changes.all_changed = true;
    CHECK(changes.changed_since("incidents/2026/02", read_at));
}

TEST_CASE("a clone opts in with opsflow.fsmonitor; a monitor that cannot run answers nothing") {
    StoreFixture s;
    CHECK_FALSE(FsMonitor::configured(s.store()));
    // (Git reads a clone's config once a process; set_config keeps what it read current.)
    Git(s.root()).set_config("opsflow.fsmonitor", "something-else");
    CHECK_FALSE(FsMonitor::configured(s.store()));
    Git(s.root()).set_config("opsflow.fsmonitor", "watchman");
    CHECK(s.git({"config", "opsflow.fsmonitor"}) == "watchman\n");
    auto monitor = FsMonitor::configured(s.store());
    REQUIRE(monitor);

    // No watchman on the PATH: no answer, never an error.
    TempDir empty;
    const char* path = std::getenv("PATH");
    const std::string saved = path ? path : "";
    ::setenv("PATH", empty.path().c_str(), 1);
    auto changes = monitor->changes({"incidents"}, std::nullopt);
    ::setenv("PATH", saved.c_str(), 1);
    CHECK_FALSE(changes);
}
