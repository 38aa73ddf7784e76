#include "opsflow/improvement.hpp"
#include "opsflow/report.hpp"
#include "opsflow/yaml.hpp"

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
