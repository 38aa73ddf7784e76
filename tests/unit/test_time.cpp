#include "opsflow/base/error.hpp"
#include "opsflow/base/time.hpp"

#include <date/tz.h>
#include <doctest/doctest.h>

using namespace opsflow;

TEST_CASE("RFC 3339 round trip in the store timezone") {
    auto zone = find_time_zone("Asia/Shanghai");
    auto t = parse_rfc3339("2026-11-24T09:12:00+08:00");
    REQUIRE(t);
    CHECK(format_rfc3339(*t, zone) == "2026-11-24T09:12:00+08:00");
    CHECK(format_rfc3339(*parse_rfc3339("2026-11-24T01:12:00Z"), zone) ==
          "2026-11-24T09:12:00+08:00");
    CHECK(format_rfc3339(*t, find_time_zone("America/New_York")) == "2026-11-23T20:12:00-05:00");
}

TEST_CASE("RFC 3339 formatting: odd offsets, leap days; times before 1970 are refused") {
    auto t = parse_rfc3339("2028-02-29T23:59:59Z");
    REQUIRE(t);
    CHECK(format_rfc3339(*t, find_time_zone("Asia/Kathmandu")) == "2028-03-01T05:44:59+05:45");
    CHECK(format_rfc3339(*t, find_time_zone("America/St_Johns")) == "2028-02-29T20:29:59-03:30");
    // Years first_year to last_year only: before 1970 the tz database has local mean
    // times (Asia/Shanghai +08:05:43), and year 0 would be filed under incidents/0000.
    CHECK(format_rfc3339(*parse_rfc3339("1970-01-01T00:00:00Z"), find_time_zone("UTC")) ==
          "1970-01-01T00:00:00+00:00");
    CHECK(!parse_rfc3339("1969-12-31T23:59:59Z"));
    CHECK(!parse_rfc3339("0000-01-01T00:00:00+08:00"));
    // A real calendar day and time of day, and an offset of at most 23:59.
    CHECK(!parse_rfc3339("2026-02-30T10:00:00+08:00"));
    CHECK(!parse_rfc3339("2026-02-28T25:61:61+08:00"));
    CHECK(!parse_rfc3339("2026-02-28T10:00:00+99:99"));
    CHECK(parse_rfc3339("2028-02-29T10:00:00+14:00"));
}

TEST_CASE("RFC 3339 formatting agrees with the date library hour by hour across DST") {
    // Times in and out of order, in zones with an hour's, half an hour's and no
    // change: a period of the zone's rules remembered from the last call must be
    // left exactly at each transition.
    for (const char* name : {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                             "Asia/Shanghai", "America/Sao_Paulo"}) {
        auto zone = find_time_zone(name);
        auto start = *parse_rfc3339("2016-01-01T00:00:00Z");
        for (int step = 0; step < 2 * 366 * 24; ++step) {
            int hours = step % 2 ? step : 2 * 366 * 24 - step; // forwards and back, in turn
            auto t = start + std::chrono::hours(hours) + std::chrono::minutes(step % 61);
            auto expected = date::format("%Y-%m-%dT%H:%M:%S%Ez", date::make_zoned(zone, t));
            if (format_rfc3339(t, zone) != expected) {
                FAIL_CHECK(std::string(name)
                           << " " << step << ": " << format_rfc3339(t, zone) << " vs " << expected);
                break;
            }
        }
    }
}

TEST_CASE("durations are bounded; a part cannot overflow") {
    CHECK(try_parse_duration("366d"));
    CHECK(try_parse_duration("52w"));
    CHECK(!try_parse_duration("367d"));
    CHECK(!try_parse_duration("99999999999h"));
    CHECK(!try_parse_duration("9999999h"));
    CHECK_THROWS_WITH_AS(parse_duration("99999999999h", "--duration"),
                         doctest::Contains("at most 366 days"), UsageError);
}

TEST_CASE("RFC 3339 parsing is strict") {
    CHECK_FALSE(parse_rfc3339("2026-11-24T10:00:00|08:00"));
    CHECK_FALSE(parse_rfc3339("2026-02-30T10:00:00+08:00"));
    CHECK_FALSE(parse_rfc3339("2026-11-24 10:00:00+08:00"));
    CHECK_FALSE(parse_rfc3339("2026-11-24T25:00:00+08:00"));
    CHECK(parse_rfc3339("2026-11-24T10:00:00.5+08:00"));
}

TEST_CASE("command-line time forms") {
    auto zone = find_time_zone("Asia/Shanghai");
    Timestamp now = *parse_rfc3339("2026-11-24T12:00:00+08:00");
    CHECK(parse_time_input("now", zone, now, "--at") == now);
    CHECK(format_rfc3339(parse_time_input("2026-11-24 09:12", zone, now, "--at"), zone) ==
          "2026-11-24T09:12:00+08:00");
    CHECK(format_rfc3339(parse_time_input("2026-11-24", zone, now, "--at"), zone) ==
          "2026-11-24T00:00:00+08:00");
    CHECK_THROWS_AS(parse_time_input("yesterday", zone, now, "--at"), UsageError);
    CHECK_THROWS_AS(parse_time_input("2026-13-01", zone, now, "--at"), UsageError);
}

TEST_CASE("daylight saving: local times map to the right offset") {
    auto zone = find_time_zone("Europe/Berlin");
    Timestamp now{};
    CHECK(format_rfc3339(parse_time_input("2026-07-01 10:00", zone, now, "--at"), zone) ==
          "2026-07-01T10:00:00+02:00");
    CHECK(format_rfc3339(parse_time_input("2026-01-01 10:00", zone, now, "--at"), zone) ==
          "2026-01-01T10:00:00+01:00");
}

TEST_CASE("month directory is the local month") {
    auto zone = find_time_zone("Asia/Shanghai");
    CHECK(month_directory(*parse_rfc3339("2026-11-30T20:00:00Z"), zone) == "2026/12");
}

TEST_CASE("durations") {
    CHECK(parse_duration("45m", "x") == Duration{0, 45});
    CHECK(parse_duration("4h", "x") == Duration{0, 240});
    CHECK(parse_duration("2d", "x") == Duration{2, 0});
    CHECK(parse_duration("1h30m", "x") == Duration{0, 90});
    CHECK(parse_duration("1h30m", "x").to_string() == "1h30m");
    CHECK_THROWS_AS(parse_duration("", "x"), UsageError);
    CHECK_THROWS_AS(parse_duration("4 hours", "x"), UsageError);
    CHECK_THROWS_AS(parse_duration("m", "x"), UsageError);
}

TEST_CASE("unknown timezone") {
    CHECK_THROWS_AS(find_time_zone("Mars/Olympus"), InvalidDataError);
}
