// SLA watch on a temporary store at fixed times: which deadlines of open incidents
// are near or past, and the one warning per incident and stage that goes to the
// assignee or the leads, recorded in the incident.
#include "opsflow/work/incident.hpp"
#include "opsflow/work/sla_watch.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace opsflow;
using opsflow::test::at;
using opsflow::test::StoreFixture;

namespace {

// P1 (high impact, high urgency): respond within 15 minutes, resolve within 4 hours, 24x7.
std::string report_p1(StoreFixture& s, const std::string& title) {
    NewIncident n;
    n.title = title;
    n.classification.service = "mail";
    n.classification.impact = "high";
    n.classification.urgency = "high";
    n.reporter = "Ann <ann@example.com>";
    return report_incident(s.ctx(), n).record.id();
}

std::vector<std::string> described(const SlaAlerts& a) {
    std::vector<std::string> out;
    for (const auto& alert : a.alerts)
        out.push_back(std::string(alert.id) + " " + std::string(alert.stage) + " " +
                      std::to_string(alert.left.count()) + (alert.warned ? " warned" : ""));
    return out;
}

} // namespace

TEST_CASE("sla watch lists the deadlines within reach, earliest first") {
    StoreFixture s; // 09:00
    std::string first = report_p1(s, "Mail down");
    s.advance(std::chrono::minutes(5));
    std::string second = report_p1(s, "Mail slow");
    using List = std::vector<std::string>;

    // 09:08: the first must be responded to by 09:15, the second by 09:20.
    SlaAlerts soon = sla_alerts(s.store(), at("2026-03-10T09:08:00+08:00"), Duration{0, 10});
    CHECK(described(soon) == List{first + " respond 7"});
    CHECK(soon.alerts[0].deadline == at("2026-03-10T09:15:00+08:00"));
    CHECK(soon.alerts[0].priority == "P1");

    // 09:30: both responses are late; nothing to resolve yet within 10 minutes.
    SlaAlerts late = sla_alerts(s.store(), at("2026-03-10T09:30:00+08:00"), Duration{0, 10});
    CHECK(described(late) == List{first + " respond -15", second + " respond -10"});
    auto json = sla_alerts_json(late.alerts, s.store().settings().zone);
    CHECK(json[0]["deadline"] == "2026-03-10T09:15:00+08:00");
    CHECK(json[0]["breached"] == true);
    CHECK(json[0]["title"] == "Mail down");

    // Assigned, the first is responded to; its resolution (13:00) is next.
    s.set_now(at("2026-03-10T09:30:00+08:00"));
    assign_incident(s.ctx(), first, AssignMode::person, "lisi", std::nullopt, std::nullopt);
    SlaAlerts day = sla_alerts(s.store(), at("2026-03-10T09:30:00+08:00"), Duration{1, 0});
    CHECK(described(day) ==
          List{second + " respond -10", first + " resolve 210", second + " resolve 215"});
}

TEST_CASE("one warning per incident and stage, to the assignee or else the leads") {
    StoreFixture s;
    std::string unassigned = report_p1(s, "Mail down");
    std::string assigned = report_p1(s, "Mail slow");
    assign_incident(s.ctx(), assigned, AssignMode::person, "lisi", std::nullopt, std::nullopt);
    s.set_now(at("2026-03-10T12:50:00+08:00"));

    SlaAlerts alerts = sla_alerts(s.store(), s.now(), Duration{0, 30});
    REQUIRE(alerts.alerts.size() == 3);
    std::vector<NoticeRun> runs = send_sla_warnings(s.ctx(), alerts.alerts);
    REQUIRE(runs.size() == 3);

    Record r = s.load(RecordKind::incident, unassigned);
    const auto& events = r.events().items();
    REQUIRE(events.size() == 3);
    CHECK(events[1].get("action") == "sla_warning");
    CHECK(events[1].get("stage") == "respond");
    CHECK(events[1].get("deadline") == "2026-03-10T09:15:00+08:00");
    CHECK(events[2].get("stage") == "resolve");
    const auto& notices = r.doc().find("notices")->items();
    REQUIRE(notices.size() == 2);
    CHECK(notices[0].find("recipients")->items().front().text() == "wangwu@example.com");
    Record a = s.load(RecordKind::incident, assigned);
    CHECK(a.doc().find("notices")->items().front().find("recipients")->items().front().text() ==
          "lisi@example.com");
    CHECK(s.subjects().front() == "incident " + assigned + ": SLA resolve warning (due soon) sent");
    CHECK(s.subjects()[1] == "incident " + unassigned + ": SLA resolve warning (due soon) sent");
    CHECK(s.subjects()[2] == "incident " + unassigned + ": SLA respond warning (breached) sent");

    // The next run finds them warned, and sends nothing.
    const std::size_t commits = s.commit_count();
    SlaAlerts again = sla_alerts(s.store(), s.now(), Duration{0, 30});
    REQUIRE(again.alerts.size() == 3);
    CHECK(again.alerts[0].warned);
    CHECK(send_sla_warnings(s.ctx(), again.alerts).empty());
    CHECK(s.commit_count() == commits);
}
