#include "opsflow/base/sla.hpp"
#include "opsflow/record/incident_sla.hpp"

#include <date/tz.h>
#include <doctest/doctest.h>

using namespace opsflow;

namespace {

const date::time_zone* shanghai() {
    return find_time_zone("Asia/Shanghai");
}

Timestamp at(const char* local) {
    return parse_time_input(local, shanghai(), Timestamp{}, "test");
}
std::string show(Timestamp t) {
    return format_rfc3339(t, shanghai());
}

BusinessCalendar spec_calendar() {
    BusinessCalendar cal;
    cal.workdays = {1, 2, 3, 4, 5};
    cal.hours = {{9 * 60, 12 * 60}, {13 * 60 + 30, 18 * 60}};
    cal.holidays = {"2026-10-01", "2026-10-02"};
    cal.extra_workdays = {"2026-09-27"};
    return cal;
}

} // namespace

TEST_CASE("business day length is the sum of working hours") {
    CHECK(spec_calendar().day_length() == std::chrono::minutes(450));
}

TEST_CASE("SPEC §4 example: P3 reported Friday 17:00") {
    auto cal = spec_calendar();
    ClockContext ctx{SlaClock::business, &cal, shanghai(), {}};
    auto reported = at("2026-03-06 17:00");
    CHECK(show(add_counted_time(reported, {0, 120}, ctx)) == "2026-03-09T10:00:00+08:00");
    CHECK(show(add_counted_time(reported, {3, 0}, ctx)) == "2026-03-11T17:00:00+08:00");
}

TEST_CASE("business deadlines cross the lunch break") {
    auto cal = spec_calendar();
    ClockContext ctx{SlaClock::business, &cal, shanghai(), {}};
    CHECK(show(add_counted_time(at("2026-03-10 11:30"), {0, 60}, ctx)) ==
          "2026-03-10T14:00:00+08:00");
    // Reported during lunch: the clock starts at 13:30.
    CHECK(show(add_counted_time(at("2026-03-10 12:15"), {0, 30}, ctx)) ==
          "2026-03-10T14:00:00+08:00");
    // Reported at night: the clock starts next morning.
    CHECK(show(add_counted_time(at("2026-03-10 22:00"), {0, 15}, ctx)) ==
          "2026-03-11T09:15:00+08:00");
}

TEST_CASE("holidays are skipped and make-up weekend days count") {
    auto cal = spec_calendar();
    ClockContext ctx{SlaClock::business, &cal, shanghai(), {}};
    // Wednesday 2026-09-30 17:00 + 2h: 1h that day, Oct 1-2 are holidays, Oct 3-4 a weekend.
    CHECK(show(add_counted_time(at("2026-09-30 17:00"), {0, 120}, ctx)) ==
          "2026-10-05T10:00:00+08:00");
    // Friday 2026-09-25 17:00 + 2h: Sunday 2026-09-27 is a working day.
    CHECK(show(add_counted_time(at("2026-09-25 17:00"), {0, 120}, ctx)) ==
          "2026-09-27T10:00:00+08:00");
}

TEST_CASE("24x7 clock counts every minute, across a weekend") {
    ClockContext ctx{SlaClock::wall, nullptr, shanghai(), {}};
    CHECK(show(add_counted_time(at("2026-03-06 22:00"), {0, 240}, ctx)) ==
          "2026-03-07T02:00:00+08:00");
    CHECK(show(add_counted_time(at("2026-03-06 22:00"), {2, 0}, ctx)) ==
          "2026-03-08T22:00:00+08:00");
}

TEST_CASE("time on hold is not counted") {
    auto cal = spec_calendar();
    SUBCASE("24x7: a two-hour hold moves the deadline by two hours") {
        ClockContext ctx{SlaClock::wall,
                         nullptr,
                         shanghai(),
                         {{at("2026-03-06 10:00"), at("2026-03-06 12:00")}}};
        CHECK(show(add_counted_time(at("2026-03-06 09:00"), {0, 240}, ctx)) ==
              "2026-03-06T15:00:00+08:00");
    }
    SUBCASE("business: a hold over a weekend costs only the working time it covers") {
        ClockContext ctx{SlaClock::business,
                         &cal,
                         shanghai(),
                         {{at("2026-03-06 17:00"), at("2026-03-09 10:00")}}};
        // Reported Friday 16:00, 2h target: 1h Friday before the hold, then 10:00-11:00 Monday.
        CHECK(show(add_counted_time(at("2026-03-06 16:00"), {0, 120}, ctx)) ==
              "2026-03-09T11:00:00+08:00");
    }
    SUBCASE("an open hold means no deadline yet") {
        ClockContext ctx{
            SlaClock::wall, nullptr, shanghai(), {{at("2026-03-06 10:00"), Timestamp::max()}}};
        CHECK(add_counted_time(at("2026-03-06 09:00"), {0, 240}, ctx) == Timestamp::max());
    }
}

TEST_CASE("counted time between two moments") {
    auto cal = spec_calendar();
    ClockContext ctx{SlaClock::business, &cal, shanghai(), {}};
    CHECK(counted_time_between(at("2026-03-06 17:00"), at("2026-03-09 10:00"), ctx) ==
          std::chrono::hours(2));
    ClockContext wall{SlaClock::wall, nullptr, shanghai(), {}};
    CHECK(counted_time_between(at("2026-03-06 17:00"), at("2026-03-06 16:00"), wall) ==
          std::chrono::seconds(0));
}

TEST_CASE("a calendar without working time fails instead of looping") {
    BusinessCalendar empty;
    empty.hours = {{9 * 60, 10 * 60}};
    ClockContext ctx{SlaClock::business, &empty, shanghai(), {}};
    CHECK_THROWS(add_counted_time(at("2026-03-06 17:00"), {0, 60}, ctx));
}
