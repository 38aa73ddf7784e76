#include "opsflow/base/time.hpp"
#include "opsflow/base/yaml.hpp"
#include "opsflow/report/report.hpp"
#include "opsflow/work/improvement.hpp"

#include <doctest/doctest.h>

using namespace opsflow;

TEST_CASE("summary statistics: mean, median, p90 by nearest rank, null when empty") {
    auto empty = summary_stats({});
    CHECK(empty["mean"].is_null());
    CHECK(empty["p90"].is_null());
    CHECK(empty["n"] == 0);
    auto one = summary_stats({42});
    CHECK(one["median"] == 42);
    CHECK(one["p90"] == 42);
    auto three = summary_stats({600, 60, 180});
    CHECK(three["mean"] == 280);
    CHECK(three["median"] == 180);
    CHECK(three["p90"] == 600); // rank ceil(0.9 * 3) = 3
    auto ten = summary_stats({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    CHECK(ten["median"] == 5.5);
    CHECK(ten["p90"] == 9); // rank ceil(0.9 * 10) = 9
    auto shuffled = summary_stats({10, 1, 4, 3});
    CHECK(shuffled["median"] == 3.5);
    CHECK(shuffled["p90"] == 10); // rank ceil(0.9 * 4) = 4
    CHECK(shuffled["mean"] == 4.5);
}

TEST_CASE("improvement targets") {
    CHECK(target_met("<=240", 300, 200) == true);
    CHECK(target_met("<=240", 300, 250) == false);
    CHECK(target_met(">=95", 90, 96) == true);
    CHECK(target_met("-20%", 100, 80) == true);
    CHECK(target_met("-20%", 100, 81) == false);
    CHECK(target_met("+10%", 50, 55) == true);
    CHECK_FALSE(target_met("-20%", std::nullopt, 10).has_value());
    CHECK_FALSE(target_met("<=240", 100, std::nullopt).has_value());
}

TEST_CASE("null values read back equal however they are written") {
    CHECK(parse_yaml("a: ~\n", "t") == parse_yaml("a: null\n", "t"));
    Node doc = Node::map();
    doc.set("a", Node::null());
    CHECK(parse_yaml(emit_yaml(doc), "t") == doc);
}

TEST_CASE("a period's days, the period before it and the default start are on the calendar") {
    auto zone = find_time_zone("Europe/Berlin");
    auto at = [](const char* text) { return *parse_rfc3339(text); };
    // Two weeks across the change to summer time last 13 days 23 hours.
    ReportPeriod spring{at("2026-03-23T00:00:00+01:00"), at("2026-04-06T00:00:00+02:00")};
    CHECK(period_days(spring, zone) == 14);
    auto before = previous_period(spring, zone);
    CHECK(format_rfc3339(before.from, zone) == "2026-03-09T00:00:00+01:00");
    CHECK(before.to == spring.from);
    CHECK(format_rfc3339(days_before(at("2026-04-10T12:00:00+02:00"), 30, zone), zone) ==
          "2026-03-11T12:00:00+01:00");
    // A local time that does not exist (02:30 on 2026-03-29) is read as everywhere else in
    // opsflow, as RFC 5545 reads it: with the offset from before the gap.
    CHECK(format_rfc3339(days_before(at("2026-04-05T02:30:00+02:00"), 7, zone), zone) ==
          "2026-03-29T03:30:00+02:00");
    ReportPeriod winter{at("2026-01-01T00:00:00+01:00"), at("2026-02-01T00:00:00+01:00")};
    CHECK(period_days(winter, zone) == 31);
    CHECK(format_rfc3339(previous_period(winter, zone).from, zone) == "2025-12-01T00:00:00+01:00");
}
