#include "opsflow/base/error.hpp"
#include "opsflow/base/yaml.hpp"
#include "opsflow/check/merge.hpp"
#include "opsflow/record/settings.hpp"

#include <doctest/doctest.h>

using namespace opsflow;

namespace {

const std::string base = R"(id: INC-3f9a1c2e
title: VPN down
status: assigned
impact: high
urgency: medium
priority: P2
reported_at: 2026-03-02T09:00:00+08:00
assignee: lisi
events:
  - at: 2026-03-02T09:00:00+08:00
    by: zhangwei
    action: report
    status: new
  - at: 2026-03-02T09:05:00+08:00
    by: zhangwei
    action: assign
    assignee: lisi
    status: assigned
)";

std::string with_event(const std::string& doc, const std::string& at, const std::string& text) {
    return doc + "  - at: " + at + "\n    by: lisi\n    action: note\n    text: " + text + "\n";
}

} // namespace

TEST_CASE("notes added on both sides are both kept, in time order, the same both ways") {
    auto ours = with_event(base, "2026-03-02T10:00:00+08:00", "from A");
    auto theirs = with_event(base, "2026-03-02T09:30:00+08:00", "from B");
    auto ab = merge_record(RecordKind::incident, base, ours, theirs, "x/INC-3f9a1c2e.yaml");
    auto ba = merge_record(RecordKind::incident, base, theirs, ours, "x/INC-3f9a1c2e.yaml");
    CHECK(ab.clean());
    CHECK(ab.text == ba.text);
    auto b = ab.text.find("from B"), a = ab.text.find("from A");
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    CHECK(b < a);
}

TEST_CASE("events at the same time from the two sides are ordered by content, not by side") {
    auto ours = with_event(base, "2026-03-02T10:00:00+08:00", "zeta");
    auto theirs = with_event(base, "2026-03-02T10:00:00+08:00", "alpha");
    auto ab = merge_record(RecordKind::incident, base, ours, theirs, "INC-3f9a1c2e.yaml");
    auto ba = merge_record(RecordKind::incident, base, theirs, ours, "INC-3f9a1c2e.yaml");
    CHECK(ab.text == ba.text);
    CHECK(ab.text.find("alpha") < ab.text.find("zeta"));
}

TEST_CASE("a field changed on one side only takes that side's value") {
    std::string ours = base;
    ours.replace(ours.find("title: VPN down"), 15, "title: VPN down in Beijing");
    auto theirs = with_event(base, "2026-03-02T10:00:00+08:00", "x");
    auto r = merge_record(RecordKind::incident, base, ours, theirs, "INC-3f9a1c2e.yaml");
    CHECK(r.clean());
    CHECK(r.text.find("title: VPN down in Beijing") != std::string::npos);
    CHECK(r.text.find("text: x") != std::string::npos);
}

TEST_CASE("the same field changed to different values is a conflict with markers") {
    std::string ours = base, theirs = base;
    ours.replace(ours.find("assignee: lisi\nevents"), 14, "assignee: chen");
    theirs.replace(theirs.find("assignee: lisi\nevents"), 14, "assignee: wang");
    auto r = merge_record(RecordKind::incident, base, ours, theirs, "INC-3f9a1c2e.yaml", 7);
    CHECK_FALSE(r.clean());
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].find("assignee") != std::string::npos);
    CHECK(r.text.find("<<<<<<< ours\nassignee: chen\n=======\nassignee: wang\n>>>>>>> theirs\n") !=
          std::string::npos);
}

TEST_CASE("a merge that is not a valid record is refused") {
    std::string ours = base, theirs = base;
    ours.replace(ours.find("impact: high"), 12, "impact: huge");
    CHECK_THROWS_AS(merge_record(RecordKind::incident, base, ours, theirs, "INC-3f9a1c2e.yaml"),
                    InvalidDataError);
}

TEST_CASE("a file both sides added (no base) merges its events") {
    auto ours = with_event(base, "2026-03-02T10:00:00+08:00", "a");
    auto theirs = with_event(base, "2026-03-02T10:01:00+08:00", "b");
    auto r = merge_record(RecordKind::incident, "", ours, theirs, "INC-3f9a1c2e.yaml");
    CHECK(r.clean());
    CHECK(r.text.find("text: a") != std::string::npos);
    CHECK(r.text.find("text: b") != std::string::npos);
}

namespace {

Settings example_settings() {
    return settings_from(parse_yaml(R"(timezone: Asia/Shanghai
categories: [network, other]
priority_matrix:
  high:   {high: P1, medium: P2, low: P3}
  medium: {high: P2, medium: P3, low: P4}
  low:    {high: P3, medium: P4, low: P4}
sla:
  P1: {respond: 15m, resolve: 4h, clock: 24x7}
  P2: {respond: 30m, resolve: 8h, clock: 24x7}
  P3: {respond: 2h,  resolve: 3d, clock: 24x7}
  P4: {respond: 1d,  resolve: 10d, clock: 24x7}
)",
                                    "opsflow.yaml"),
                         "opsflow.yaml");
}

std::string with_step(const std::string& doc, const std::string& at, const std::string& action,
                      const std::string& fields) {
    return doc + "  - at: " + at + "\n    by: lisi\n    action: " + action + "\n" + fields;
}

std::string replaced(std::string doc, const std::string& from, const std::string& to) {
    doc.replace(doc.find(from), from.size(), to);
    return doc;
}

} // namespace

TEST_CASE("impact raised on one side and urgency on the other: the merge takes the matrix's "
          "priority and its deadlines") {
    auto settings = example_settings();
    auto ours =
        with_step(replaced(base, "urgency: medium", "urgency: high"), "2026-03-02T09:10:00+08:00",
                  "classify", "    urgency: high\n    priority: P1\n");
    auto theirs = with_step(
        replaced(replaced(base, "impact: high", "impact: low"), "priority: P2", "priority: P4"),
        "2026-03-02T09:20:00+08:00", "classify", "    impact: low\n    priority: P4\n");
    ours = replaced(ours, "priority: P2", "priority: P1");
    // ours: high/high = P1; theirs: low/medium = P4; merged: low/high = P3.
    auto ab =
        merge_record(RecordKind::incident, base, ours, theirs, "INC-3f9a1c2e.yaml", 7, &settings);
    auto ba =
        merge_record(RecordKind::incident, base, theirs, ours, "INC-3f9a1c2e.yaml", 7, &settings);
    REQUIRE(ab.clean());
    CHECK(ab.text == ba.text);
    CHECK(ab.text.find("impact: low\nurgency: high\npriority: P3\n") != std::string::npos);
    // The history says why: an event of the merge, at the time of the last event.
    CHECK(ab.text.find("  - at: 2026-03-02T09:20:00+08:00\n    by: opsflow merge-driver\n    "
                       "action: merge\n    priority: P3\n") != std::string::npos);
    // P3 on the 24x7 clock: respond 2 h, resolve 3 days after the report.
    CHECK(ab.text.find("respond_by: 2026-03-02T11:00:00+08:00") != std::string::npos);
    CHECK(ab.text.find("resolve_by: 2026-03-05T09:00:00+08:00") != std::string::npos);
    // Without the settings, the fields are merged as they are: both sides changed the
    // priority, to different values.
    auto plain = merge_record(RecordKind::incident, base, ours, theirs, "INC-3f9a1c2e.yaml");
    CHECK_FALSE(plain.clean());
}

TEST_CASE("a fix on one side and a later assignment on the other is a conflict, both ways") {
    auto settings = example_settings();
    auto ours = with_step(replaced(base, "status: assigned", "status: resolved"),
                          "2026-03-02T10:00:00+08:00", "fix",
                          "    status: resolved\n    cause: cable\n    resolution: new cable\n");
    ours = replaced(ours, "assignee: lisi\nevents",
                    "assignee: lisi\ncause: cable\nresolution: "
                    "new cable\nevents");
    auto theirs = with_step(replaced(base, "assignee: lisi\nevents", "assignee: chen\nevents"),
                            "2026-03-02T11:00:00+08:00", "assign", "    assignee: chen\n");
    for (const auto& [one, other] : {std::pair{ours, theirs}, std::pair{theirs, ours}}) {
        auto r =
            merge_record(RecordKind::incident, base, one, other, "INC-3f9a1c2e.yaml", 7, &settings);
        REQUIRE_FALSE(r.clean());
        CHECK(r.conflicts[0].find("the workflow does not allow assign when it is 'resolved'") !=
              std::string::npos);
        CHECK(r.text.find("<<<<<<< ours\nstatus: ") != std::string::npos);
    }
}

TEST_CASE("the same step on both sides keeps a history the workflow allows") {
    auto settings = example_settings();
    auto ours = with_step(replaced(base, "status: assigned", "status: diagnosing"),
                          "2026-03-02T10:00:00+08:00", "diagnose",
                          "    status: diagnosing\n    cause: a\n");
    ours = replaced(ours, "assignee: lisi\nevents", "assignee: lisi\ncause: a\nevents");
    auto theirs = with_event(base, "2026-03-02T10:30:00+08:00", "looking");
    auto r =
        merge_record(RecordKind::incident, base, ours, theirs, "INC-3f9a1c2e.yaml", 7, &settings);
    CHECK(r.clean());
    CHECK(r.text.find("status: diagnosing") != std::string::npos);
}
