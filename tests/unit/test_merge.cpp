#include "opsflow/error.hpp"
#include "opsflow/merge.hpp"

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
