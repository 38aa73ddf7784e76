// The report as the JSON object of SPEC §8, and the comparison of two periods, which is
// taken at the JSON paths of the figures (the names the text view shows a change by).
#include "opsflow/report/report.hpp"

#include <cmath>
#include <date/date.h>

namespace opsflow {

namespace {

using json = nlohmann::ordered_json;

json number_or_null(const std::optional<double>& value) {
    return value ? json(*value) : json(nullptr);
}

json stats_json(const SampleStats& stats) {
    return {{"mean", number_or_null(stats.mean)},
            {"median", number_or_null(stats.median)},
            {"p90", number_or_null(stats.p90)},
            {"n", stats.n}};
}

json counts_json(const Counts& counts) {
    json out = json::object();
    for (const auto& [key, n] : counts)
        out[key] = n;
    return out;
}

json period_json(const PeriodSummary& period) {
    json scope = json::object();
    if (period.scope.service) scope["service"] = *period.scope.service;
    if (period.scope.category) scope["category"] = *period.scope.category;
    return {{"from", format_rfc3339(period.from, period.zone)},
            {"to", format_rfc3339(period.to, period.zone)},
            {"days", period.days},
            {"scope", std::move(scope)}};
}

json incidents_json(const IncidentFigures& incidents) {
    json breaches = json::array();
    for (const auto& b : incidents.sla.breaches)
        breaches.push_back({{"id", b.id},
                            {"stage", b.stage},
                            {"priority", b.priority},
                            {"service", b.service},
                            {"assignee", b.assignee},
                            {"title", b.title}});
    json failure = json::object();
    for (const auto& [service, failures] : incidents.failure_rate)
        failure[service] = {{"incidents", failures.incidents},
                            {"per_30_days", number_or_null(failures.per_30_days)}};
    return {
        {"total", incidents.total},
        {"by_status", counts_json(incidents.by_status)},
        {"by_priority", counts_json(incidents.by_priority)},
        {"by_service", counts_json(incidents.by_service)},
        {"by_category", counts_json(incidents.by_category)},
        {"by_channel", counts_json(incidents.by_channel)},
        {"mtta_minutes", stats_json(incidents.mtta_minutes)},
        {"mttr_minutes", stats_json(incidents.mttr_minutes)},
        {"sla",
         {{"response_met_pct", number_or_null(incidents.sla.response_met_pct)},
          {"resolution_met_pct", number_or_null(incidents.sla.resolution_met_pct)},
          {"breaches", std::move(breaches)}}},
        {"reopen_rate_pct", number_or_null(incidents.reopen_rate_pct)},
        {"failure_rate", std::move(failure)},
    };
}

json tickets_json(const TicketFigures& tickets) {
    return {{"total", tickets.total},
            {"by_channel", counts_json(tickets.by_channel)},
            {"answered", tickets.answered},
            {"escalated", tickets.escalated},
            {"answer_minutes", stats_json(tickets.answer_minutes)}};
}

json maintenance_json(const MaintenanceFigures& maintenance) {
    return {{"total", maintenance.total},
            {"by_result", counts_json(maintenance.by_result)},
            {"notice_on_time_pct", number_or_null(maintenance.notice_on_time_pct)},
            {"overruns", maintenance.overrun_ids.size()},
            {"overrun_ids", maintenance.overrun_ids},
            {"partial_evaluations", maintenance.partial_evaluation_ids.size()},
            {"partial_evaluation_ids", maintenance.partial_evaluation_ids}};
}

json satisfaction_json(const SatisfactionFigures& satisfaction) {
    json distribution = json::object();
    for (std::size_t score = 1; score <= satisfaction.distribution.size(); ++score)
        distribution[std::to_string(score)] = satisfaction.distribution[score - 1];
    return {{"sent", satisfaction.sent},
            {"answered", satisfaction.answered},
            {"response_rate_pct", number_or_null(satisfaction.response_rate_pct)},
            {"mean_score", number_or_null(satisfaction.mean_score)},
            {"csat_pct", number_or_null(satisfaction.csat_pct)},
            {"distribution", std::move(distribution)}};
}

json knowledge_json(const KnowledgeFigures& knowledge) {
    json articles = json::object();
    for (const auto& [article, answers] : knowledge.answers_by_article)
        articles[article] = answers;
    return {{"problems_opened", knowledge.problems_opened},
            {"open_problems", knowledge.open_problems},
            {"known_errors", knowledge.known_errors},
            {"incidents_linked", knowledge.incidents_linked},
            {"known_cause_minutes", stats_json(knowledge.known_cause_minutes)},
            {"answers_by_article", std::move(articles)}};
}

json finding_json(const Finding& finding) {
    json scope = json::object();
    for (const auto& [name, value] :
         {std::pair{"service", &finding.scope.service},
          std::pair{"category", &finding.scope.category}, std::pair{"stage", &finding.scope.stage},
          std::pair{"records", &finding.scope.records}})
        if (*value) scope[name] = **value;
    json out = {{"id", finding.id},
                {"kind", finding_kind_name(finding.kind)},
                {"scope", std::move(scope)},
                {"evidence", finding.evidence},
                {"suggestion", finding.suggestion}};
    if (finding.metric) out["metric"] = *finding.metric;
    if (finding.compliance_pct) out["compliance_pct"] = *finding.compliance_pct;
    if (!finding.share_pct.empty()) {
        // A stage no incident went through has a share of 0, written as the whole number.
        json shares = json::object();
        for (const auto& share : finding.share_pct)
            shares[share.stage] = share.pct ? json(*share.pct) : json(0);
        out["share_pct"] = std::move(shares);
    }
    if (finding.mean_score) out["mean_score"] = *finding.mean_score;
    if (finding.problem) out["problem"] = *finding.problem;
    return out;
}

json series_json(const ReportSeries& series) {
    json weeks = json::array();
    for (const auto& week : series.weeks) {
        json row = {{"week", date::format("%F", week.week)}};
        for (std::size_t p = 0; p < series_priorities.size(); ++p)
            row[series_priorities[p]] = week.by_priority[p];
        row["mttr_mean"] = number_or_null(week.mttr_mean);
        weeks.push_back(std::move(row));
    }
    json sla = json::object();
    for (const auto& [service, compliance] : series.sla_resolution_by_service)
        sla[service] = number_or_null(compliance);
    return {{"weeks", std::move(weeks)},
            {"sla_resolution_by_service", std::move(sla)},
            {"sla_goal_pct", series.sla_goal_pct}};
}

// The sections `change` compares, each under its name.
json sections_json(const ReportFigures& figures) {
    return {{"incidents", incidents_json(figures.incidents)},
            {"tickets", tickets_json(figures.tickets)},
            {"maintenance", maintenance_json(figures.maintenance)},
            {"satisfaction", satisfaction_json(figures.satisfaction)},
            {"knowledge", knowledge_json(figures.knowledge)}};
}

json figures_json(const ReportFigures& figures) {
    json out = {{"period", period_json(figures.period)}};
    json sections = sections_json(figures);
    for (auto it = sections.begin(); it != sections.end(); ++it)
        out[it.key()] = std::move(it.value());
    return out;
}

// this - previous for every number found at the same path in both, walking this period's
// figures in their order. Two decimals, the finest any figure has (mean scores): the
// difference of two figures is as exact as they are.
void differences(const json& now, const json& before, std::vector<std::string>& path,
                 std::vector<FigureChange>& out) {
    if (now.is_number() && before.is_number()) {
        out.push_back(
            {path, std::round((now.get<double>() - before.get<double>()) * 100.0) / 100.0});
        return;
    }
    if (!now.is_object() || !before.is_object()) return;
    for (auto it = now.begin(); it != now.end(); ++it) {
        auto other = before.find(it.key());
        if (other == before.end()) continue;
        path.push_back(it.key());
        differences(it.value(), *other, path, out);
        path.pop_back();
    }
}

json change_json(const std::vector<FigureChange>& changes) {
    json out = {{"incidents", json::object()},
                {"tickets", json::object()},
                {"maintenance", json::object()},
                {"satisfaction", json::object()},
                {"knowledge", json::object()}};
    for (const auto& change : changes) {
        json* node = &out;
        for (std::size_t k = 0; k + 1 < change.path.size(); ++k)
            node = &(*node)[change.path[k]];
        (*node)[change.path.back()] = change.delta;
    }
    return out;
}

} // namespace

void add_comparison(Report& report, ReportFigures previous) {
    std::vector<std::string> path;
    report.change.clear();
    differences(sections_json(report), sections_json(previous), path, report.change);
    report.previous = std::move(previous);
}

nlohmann::ordered_json to_json(const Report& report) {
    json out = figures_json(report);
    json findings = json::array();
    for (const auto& finding : report.findings)
        findings.push_back(finding_json(finding));
    out["findings"] = std::move(findings);
    out["series"] = series_json(report.series);
    if (report.standards) {
        json standards;
        standards["in_force_at_start"] =
            report.standards->commit.empty() ? json(nullptr) : json(report.standards->commit);
        standards["date"] =
            report.standards->date.empty() ? json(nullptr) : json(report.standards->date);
        json changes = json::array();
        for (const auto& c : report.standards->changes) {
            json j;
            j["commit"] = c.commit;
            j["date"] = c.date;
            j["author"] = c.author;
            json lines = json::array();
            for (const auto& change : c.changes)
                lines.push_back(change_text(change));
            j["changes"] = std::move(lines);
            changes.push_back(std::move(j));
        }
        standards["changes"] = std::move(changes);
        out["standards"] = std::move(standards);
    }
    if (report.previous) {
        out["previous"] = figures_json(*report.previous);
        out["change"] = change_json(report.change);
    }
    return out;
}

nlohmann::ordered_json summary_stats(std::vector<double> values) {
    return stats_json(sample_stats(std::move(values)));
}

} // namespace opsflow
