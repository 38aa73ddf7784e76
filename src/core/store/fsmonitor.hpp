#pragma once
// A file-system monitor (watchman) that tells the query index which record
// directories changed since it last looked, so that a warm read need not stat
// every record (core-internal). Like git's core.fsmonitor it is opt-in per clone:
// `git config opsflow.fsmonitor watchman`. Whatever goes wrong with it, the
// index falls back to its stat walk: a monitor can make a read faster, never wrong.
#include "opsflow/store/store.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

// A watchman clock, "c:<start>:<pid>:<root>:<tick>": clocks of one watch
// instance are ordered by their tick; clocks of two instances are not comparable.
struct MonitorClock {
    std::string instance; // everything before the tick
    std::uint64_t tick = 0;
    static std::optional<MonitorClock> parse(std::string_view text);
    std::string text() const;
};

// What changed under the watched directories since a clock.
struct MonitorChanges {
    MonitorClock now; // the clock before anything is read: later changes come next time
    // For each directory (store-relative, no trailing slash) in which something
    // changed since the clock asked for, the tick of its last change.
    std::map<std::string, std::uint64_t, std::less<>> last_change;
    // Nothing read before `now` can be trusted (a new watch, or a watch that
    // lost events and crawled the tree again).
    bool all_changed = false;

    // Whether the directory may differ from what was read at `read_at`.
    bool changed_since(std::string_view directory, const MonitorClock& read_at) const;
};

class FsMonitor {
  public:
    // The monitor this clone configured, or nullopt.
    static std::optional<FsMonitor> configured(const Store& store);

    // Changes under `directories` since `since` (nullopt: no clock yet, only the
    // current clock is asked for). Nullopt when the monitor cannot answer (not
    // installed, not running and cannot start, a new instance that saw nothing):
    // then every directory must be read.
    std::optional<MonitorChanges> changes(const std::vector<std::string>& directories,
                                          const std::optional<MonitorClock>& since) const;

  private:
    explicit FsMonitor(std::string root) : root_(std::move(root)) {}
    std::string root_; // the store's real path, which the watch is on
};

} // namespace opsflow
