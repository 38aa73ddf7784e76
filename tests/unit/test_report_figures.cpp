// The typed report built from a handful of facts: its figures, findings and comparison
// read as fields, the same figures through the metric table, and their JSON.
#include "opsflow/base/time.hpp"
#include "opsflow/report/report.hpp"

#include <algorithm>
#include <doctest/doctest.h>

using namespace opsflow;

namespace {

Timestamp at(const char* text) {
    return *parse_rfc3339(text);
}

// An incident of the mail service's email category, reported at `reported`.
IncidentFacts incident(std::string_view id, std::string_view priority, const char* reported) {
    IncidentFacts i;
    i.id = id;
    i.title = "mail down";
    i.status = "closed";
    i.priority = priority;
    i.service = "mail";
    i.category = "email";
    i.channel = "phone";
    i.assignee = "lisi";
    i.reported = at(reported);
    return i;
}

StoreFacts week_of_incidents() {
    StoreFacts facts;
    // Responded in time (10 min), resolved late (120 min against 60).
    auto late = incident("INC-00000001", "P1", "2026-11-02T09:00:00+08:00");
    late.first_assign = at("2026-11-02T09:10:00+08:00");
    late.respond_by = at("2026-11-02T09:15:00+08:00");
    late.resolution = at("2026-11-02T11:00:00+08:00");
    late.resolve_by = at("2026-11-02T10:00:00+08:00");
    facts.incidents.push_back(late);
    // Both stages in time: 30 and 60 minutes.
    auto in_time = incident("INC-00000002", "P2", "2026-11-03T09:00:00+08:00");
    in_time.first_assign = at("2026-11-03T09:30:00+08:00");
    in_time.respond_by = at("2026-11-03T10:00:00+08:00");
    in_time.resolution = at("2026-11-03T10:00:00+08:00");
    in_time.resolve_by = at("2026-11-03T13:00:00+08:00");
    facts.incidents.push_back(in_time);
    // Still new, past its response deadline.
    auto waiting = incident("INC-00000003", "P3", "2026-11-04T12:00:00+08:00");
    waiting.status = "new";
    waiting.service = "vpn";
    waiting.category = "network";
    waiting.respond_by = at("2026-11-04T13:00:00+08:00");
    facts.incidents.push_back(waiting);
    // The week before: one incident, resolved in 100 minutes.
    auto before = incident("INC-00000004", "P2", "2026-10-27T10:00:00+08:00");
    before.first_assign = at("2026-10-27T10:20:00+08:00");
    before.resolution = at("2026-10-27T11:40:00+08:00");
    facts.incidents.push_back(before);
    return facts;
}

} // namespace

TEST_CASE("a report built from facts: typed figures, findings, the metric table and the JSON") {
    Settings settings;
    settings.zone = find_time_zone("Asia/Shanghai");
    StoreFacts facts = week_of_incidents();
    ReportPeriod week{at("2026-11-02T00:00:00+08:00"), at("2026-11-09T00:00:00+08:00")};
    Report report = build_report(facts, settings, week, {}, week.to);

    CHECK(report.period.days == 7);
    CHECK(report.incidents.total == 3);
    CHECK(report.incidents.by_priority == Counts{{"P1", 1}, {"P2", 1}, {"P3", 1}});
    CHECK(report.incidents.mtta_minutes.mean == 20);
    CHECK(report.incidents.mtta_minutes.n == 2);
    CHECK(report.incidents.mttr_minutes.mean == 90);
    CHECK(report.incidents.sla.response_met_pct == 100);
    CHECK(report.incidents.sla.resolution_met_pct == 50);
    REQUIRE(report.incidents.sla.breaches.size() == 1);
    CHECK(report.incidents.sla.breaches[0].id == "INC-00000001");
    CHECK(report.incidents.sla.breaches[0].stage == "resolution");
    CHECK(report.incidents.failure_rate.at("mail").incidents == 2);
    CHECK(report.incidents.failure_rate.at("mail").per_30_days == 8.6); // 2 * 30 / 7
    CHECK_FALSE(report.incidents.reopen_rate_pct.has_value());          // none verified
    CHECK_FALSE(report.satisfaction.mean_score.has_value());
    CHECK(report.tickets.total == 0);

    std::vector<std::string> ids;
    for (const auto& f : report.findings)
        ids.push_back(f.id);
    CHECK(ids == std::vector<std::string>{"sla_hotspot:service:mail", "sla_hotspot:category:email",
                                          "slow_stage:fix", "overdue:incidents"});
    CHECK(report.findings[0].kind == FindingKind::sla_hotspot);
    CHECK(report.findings[0].scope.service == "mail");
    CHECK(report.findings[0].compliance_pct == 75);
    CHECK(report.findings[3].evidence == std::vector<std::string>{"INC-00000003"});

    // Every metric an improvement can target is the report's own figure.
    CHECK(metric_value("mttr", facts, settings, week, {}) == report.incidents.mttr_minutes.mean);
    CHECK(metric_value("incident_count", facts, settings, week, {}) == 3);
    for (const auto& metric : report_metrics())
        CHECK(metric_value(std::string(metric.name), facts, settings, week, {}) ==
              metric.value(report));
    CHECK(metric_value("mttr", facts, settings, week, {std::string("vpn"), std::nullopt}) ==
          std::nullopt);
    CHECK_FALSE(metric_value("no_such_metric", facts, settings, week, {}).has_value());
    CHECK(metric_names().front() == "mtta");

    // The week before has one incident: the change is kept by the figure's JSON path.
    add_comparison(report, build_figures(facts, settings, previous_period(week, settings.zone),
                                         ReportScope{}));
    REQUIRE(report.previous.has_value());
    CHECK(report.previous->incidents.total == 1);
    auto total = std::find_if(report.change.begin(), report.change.end(), [](const auto& c) {
        return c.path == std::vector<std::string>{"incidents", "total"};
    });
    REQUIRE(total != report.change.end());
    CHECK(total->delta == 2);

    auto json = to_json(report);
    CHECK(json["incidents"]["total"] == 3);
    CHECK(json["incidents"]["sla"]["resolution_met_pct"] == 50.0);
    CHECK(json["satisfaction"]["mean_score"].is_null());
    CHECK(json["findings"][2]["share_pct"]["verification"] == 0);
    CHECK(json["previous"]["incidents"]["total"] == 1);
    CHECK(json["change"]["incidents"]["total"] == 2.0);
    CHECK(json["change"]["tickets"]["total"] == 0.0);
    CHECK_FALSE(json["change"]["tickets"]["answer_minutes"].contains("mean")); // null in both
}
