#pragma once
// SLA clocks: wall-clock (24x7) or the store's business calendar, with time
// on hold left out of both.
#include "opsflow/base/time.hpp"

#include <chrono>
#include <set>
#include <string>
#include <vector>

namespace opsflow {

enum class SlaClock { wall, business };

struct Interval {
    Timestamp begin;
    Timestamp end;
};

struct BusinessCalendar {
    std::set<unsigned> workdays; // 0 = Sunday .. 6 = Saturday
    // Working hours of a day as minutes since midnight, sorted, not overlapping.
    std::vector<std::pair<int, int>> hours;
    std::set<std::string> holidays;       // YYYY-MM-DD
    std::set<std::string> extra_workdays; // weekend days that are worked

    // The length of one working day: what `1d` means on the business clock.
    std::chrono::minutes day_length() const;
};

struct ClockContext {
    SlaClock clock = SlaClock::wall;
    const BusinessCalendar* calendar = nullptr;
    const date::time_zone* zone = nullptr;
    std::vector<Interval> pauses; // time on hold, sorted; an open pause ends at Timestamp::max()
};

// The moment `amount` of counted time has passed since `start` on the clock.
Timestamp add_counted_time(Timestamp start, const Duration& amount, const ClockContext& ctx);

// Counted time between `from` and `to` (zero if `to` is not after `from`).
std::chrono::seconds counted_time_between(Timestamp from, Timestamp to, const ClockContext& ctx);

} // namespace opsflow
