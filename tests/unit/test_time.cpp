#include "opsflow/error.hpp"
#include "opsflow/time.hpp"

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

TEST_CASE("RFC 3339 formatting: odd offsets, leap days and times before 1970") {
    auto t = parse_rfc3339("2028-02-29T23:59:59Z");
    REQUIRE(t);
    CHECK(format_rfc3339(*t, find_time_zone("Asia/Kathmandu")) == "2028-03-01T05:44:59+05:45");
    CHECK(format_rfc3339(*t, find_time_zone("America/St_Johns")) == "2028-02-29T20:29:59-03:30");
    CHECK(format_rfc3339(*parse_rfc3339("1969-12-31T23:59:59Z"), find_time_zone("UTC")) ==
          "1969-12-31T23:59:59+00:00");
    CHECK(format_rfc3339(*parse_rfc3339("0800-01-01T00:00:00Z"), find_time_zone("UTC")) ==
          "0800-01-01T00:00:00+00:00");
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
