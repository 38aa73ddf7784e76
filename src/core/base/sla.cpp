#include "opsflow/base/sla.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>
#include <date/tz.h>
#include <functional>

namespace opsflow {

using namespace std::chrono;

std::chrono::minutes BusinessCalendar::day_length() const {
    int total = 0;
    for (auto [from, to] : hours)
        total += to - from;
    return minutes(total);
}

namespace {

// A business calendar with no working time would make every search endless.
constexpr int max_days_searched = 3660;

bool is_working_day(const BusinessCalendar& cal, date::local_days day) {
    auto iso = date::format("%F", day);
    if (cal.extra_workdays.contains(iso)) return true;
    if (cal.holidays.contains(iso)) return false;
    return cal.workdays.contains(date::weekday(day).c_encoding());
}

// Calls `visit` with each counting interval from `start` onward, in order, until it returns false.
void for_each_working_interval(Timestamp start, const ClockContext& ctx,
                               const std::function<bool(Interval)>& visit) {
    if (ctx.clock == SlaClock::wall) {
        visit({start, Timestamp::max()});
        return;
    }
    const auto& cal = *ctx.calendar;
    auto day = floor<date::days>(ctx.zone->to_local(start));
    for (int i = 0; i < max_days_searched; ++i, day += date::days(1)) {
        if (!is_working_day(cal, day)) continue;
        for (auto [from, to] : cal.hours) {
            auto begin = ctx.zone->to_sys(day + minutes(from), date::choose::earliest);
            auto end = ctx.zone->to_sys(day + minutes(to), date::choose::earliest);
            if (end <= start) continue;
            if (!visit({std::max(begin, start), end})) return;
        }
    }
    throw InvalidDataError(tr("the business calendar has no working time within ten years"));
}

// Splits `interval` around the pauses and calls `visit` with each remaining part.
bool visit_unpaused(Interval interval, const std::vector<Interval>& pauses,
                    const std::function<bool(Interval)>& visit) {
    Timestamp cursor = interval.begin;
    for (const auto& pause : pauses) {
        if (pause.end <= cursor) continue;
        if (pause.begin >= interval.end) break;
        if (pause.begin > cursor && !visit({cursor, pause.begin})) return false;
        cursor = std::max(cursor, pause.end);
        if (cursor >= interval.end) return true;
    }
    if (cursor < interval.end) return visit({cursor, interval.end});
    return true;
}

// True once an open pause (on hold, not yet resumed) has begun: nothing counts after it.
bool paused_for_good(const ClockContext& ctx, Timestamp t) {
    return !ctx.pauses.empty() && ctx.pauses.back().end == Timestamp::max() &&
           ctx.pauses.back().begin <= t;
}

} // namespace

Timestamp add_counted_time(Timestamp start, const Duration& amount, const ClockContext& ctx) {
    seconds remaining = ctx.clock == SlaClock::business
                            ? duration_cast<seconds>(ctx.calendar->day_length() * amount.days +
                                                     minutes(amount.minutes))
                            : duration_cast<seconds>(amount.wall());
    std::optional<Timestamp> result;
    if (remaining == seconds(0)) return start;
    for_each_working_interval(start, ctx, [&](Interval working) {
        if (paused_for_good(ctx, working.begin)) return false;
        return visit_unpaused(working, ctx.pauses, [&](Interval part) {
            auto length = part.end - part.begin;
            if (part.end == Timestamp::max() || length >= remaining) {
                result = part.begin + remaining;
                return false;
            }
            remaining -= length;
            return true;
        });
    });
    if (!result) return Timestamp::max(); // paused without end: no deadline yet
    return *result;
}

seconds counted_time_between(Timestamp from, Timestamp to, const ClockContext& ctx) {
    seconds total{0};
    if (to <= from) return total;
    for_each_working_interval(from, ctx, [&](Interval working) {
        if (working.begin >= to || paused_for_good(ctx, working.begin)) return false;
        working.end = std::min(working.end, to);
        return visit_unpaused(working, ctx.pauses,
                              [&](Interval part) {
                                  total += part.end - part.begin;
                                  return true;
                              }) &&
               working.end < to;
    });
    return total;
}

} // namespace opsflow
