#include "opsflow/report.hpp"

#include "opsflow/error.hpp"
#include "opsflow/parallel.hpp"
#include "opsflow/query.hpp"
#include "opsflow/sla.hpp"
#include "report_parts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <date/tz.h>
#include <fmt/format.h>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

namespace opsflow {

using namespace report_parts;

namespace {

json incident_section(const Scoped& s, const ReportPeriod& period, const date::time_zone* zone) {
    std::vector<double> mtta, mttr;
    std::size_t responded = 0, response_ok = 0, resolved = 0, resolution_ok = 0, verified = 0,
                reopened = 0;
    json breaches = json::array();
    for (const auto* i : s.incidents) {
        if (i->first_assign) {
            mtta.push_back(minutes_between(i->reported, *i->first_assign));
            ++responded;
            if (response_met(*i))
                ++response_ok;
            else
                breaches.push_back(breach(*i, "response"));
        }
        if (i->resolution) {
            mttr.push_back(minutes_between(i->reported, *i->resolution));
            ++resolved;
            if (resolution_met(*i))
                ++resolution_ok;
            else
                breaches.push_back(breach(*i, "resolution"));
        }
        if (i->verifications > 0) ++verified;
        if (i->failed_verifications > 0) ++reopened;
    }
    double days = period_days(period, zone);
    json failure = json::object();
    auto [by_status, by_priority, by_service, by_category, by_channel] =
        counts_by(s.incidents, std::array{&IncidentFacts::status, &IncidentFacts::priority,
                                          &IncidentFacts::service, &IncidentFacts::category,
                                          &IncidentFacts::channel});
    for (const auto* entry : in_key_order(by_service)) {
        auto& [svc, n] = *entry;
        failure[svc] = {{"incidents", n},
                        {"per_30_days", days > 0 ? round1(n * 30.0 / days) : json(nullptr)}};
    }
    return {
        {"total", s.incidents.size()},
        {"by_status", counts_json(by_status)},
        {"by_priority", counts_json(by_priority)},
        {"by_service", counts_json(by_service)},
        {"by_category", counts_json(by_category)},
        {"by_channel", counts_json(by_channel)},
        {"mtta_minutes", summary_stats(mtta)},
        {"mttr_minutes", summary_stats(mttr)},
        {"sla",
         {{"response_met_pct", pct(response_ok, responded)},
          {"resolution_met_pct", pct(resolution_ok, resolved)},
          {"breaches", std::move(breaches)}}},
        {"reopen_rate_pct", pct(reopened, verified)},
        {"failure_rate", std::move(failure)},
    };
}

json ticket_section(const Scoped& s) {
    std::vector<double> answer;
    std::size_t answered = 0, escalated = 0;
    for (const auto* t : s.tickets) {
        if (t->answered) {
            ++answered;
            answer.push_back(minutes_between(t->received, *t->answered));
        }
        if (t->escalated) ++escalated;
    }
    return {{"total", s.tickets.size()},
            {"answered", answered},
            {"escalated", escalated},
            {"answer_minutes", summary_stats(answer)}};
}

json maintenance_section(const Scoped& s) {
    std::map<std::string_view, int> by_result;
    std::size_t announced = 0, on_time = 0;
    json overrun_ids = json::array();
    for (const auto* m : s.maintenance) {
        by_result[m->result.empty() ? (m->status == "cancelled" ? "cancelled" : "pending")
                                    : m->result]++;
        if (m->first_announce) {
            ++announced;
            // `notify` decided it against the occurrence the notice announced (the next
            // one of a recurring window), and recorded a late notice as late.
            if (!m->late_notice) ++on_time;
        }
        if (m->actual_end && *m->actual_end > m->end) overrun_ids.push_back(m->id);
    }
    json results = json::object();
    for (const auto& [k, v] : by_result)
        results[k] = v;
    return {{"total", s.maintenance.size()},
            {"by_result", results},
            {"notice_on_time_pct", pct(on_time, announced)},
            {"overruns", overrun_ids.size()},
            {"overrun_ids", overrun_ids}};
}

struct SurveyStats {
    std::size_t sent = 0, answered = 0, satisfied = 0;
    std::vector<double> scores;
    std::map<int, int> distribution;
};

SurveyStats survey_stats(const StoreFacts& facts, const ReportPeriod& p, const ReportScope& scope) {
    SurveyStats st;
    auto add = [&](const SurveyFacts& s) {
        if (!s.sent || !in(*s.sent, p)) return;
        ++st.sent;
        if (!s.score) return;
        ++st.answered;
        st.scores.push_back(*s.score);
        st.distribution[*s.score]++;
        if (*s.score >= 4) ++st.satisfied;
    };
    for (const auto& i : facts.incidents)
        if (in_scope(i.service, i.category, scope)) add(i.survey);
    for (const auto& t : facts.tickets)
        if (in_scope(t.service, t.category, scope)) add(t.survey);
    return st;
}

json satisfaction_section(const SurveyStats& st) {
    json dist = json::object();
    for (int score = 1; score <= 5; ++score)
        dist[std::to_string(score)] = st.distribution.count(score) ? st.distribution.at(score) : 0;
    json mean =
        st.scores.empty()
            ? json(nullptr)
            : json(std::round(100.0 * std::accumulate(st.scores.begin(), st.scores.end(), 0.0) /
                              static_cast<double>(st.scores.size())) /
                   100.0);
    return {{"sent", st.sent},
            {"answered", st.answered},
            {"response_rate_pct", pct(st.answered, st.sent)},
            {"mean_score", mean},
            {"csat_pct", pct(st.satisfied, st.answered)},
            {"distribution", dist}};
}

// One row for every week the period touches, from the week of its first instant to the
// week of its last: a quiet week has zero counts and no MTTR, so a chart keeps its place.
json series(const Scoped& s, const ReportPeriod& period, const Settings& settings) {
    static constexpr std::array<std::string_view, 4> priorities = {"P1", "P2", "P3", "P4"};
    std::map<date::local_days, std::array<int, priorities.size()>> per_week;
    std::map<date::local_days, std::vector<double>> mttr_week;
    const auto last_week = iso_week_start(period.to - seconds(1), settings.zone);
    for (auto week = iso_week_start(period.from, settings.zone); week <= last_week;
         week += date::days(7))
        per_week[week] = {};
    for (const auto* i : s.incidents) {
        auto week = iso_week_start(i->reported, settings.zone);
        auto& counts = per_week[week];
        auto p = std::find(priorities.begin(), priorities.end(), i->priority);
        if (p != priorities.end()) ++counts[p - priorities.begin()];
        if (i->resolution) mttr_week[week].push_back(minutes_between(i->reported, *i->resolution));
    }
    json weeks = json::array();
    for (const auto& [week, counts] : per_week) {
        json row = {{"week", date::format("%F", week)}};
        for (std::size_t p = 0; p < priorities.size(); ++p)
            row[priorities[p]] = counts[p];
        row["mttr_mean"] =
            mttr_week.count(week) ? summary_stats(mttr_week[week])["mean"] : json(nullptr);
        weeks.push_back(row);
    }
    std::map<std::string_view, std::pair<std::size_t, std::size_t>> per_service;
    for (const auto* i : s.incidents) {
        if (!i->resolution) continue;
        auto& [reached, met] = per_service[i->service.empty() ? "(none)" : i->service];
        ++reached;
        if (resolution_met(*i)) ++met;
    }
    json sla = json::object();
    for (const auto& [svc, st] : per_service)
        sla[svc] = pct(st.second, st.first);
    return {{"weeks", std::move(weeks)},
            {"sla_resolution_by_service", std::move(sla)},
            {"sla_goal_pct", settings.sla_goal_pct}};
}

} // namespace

double period_days(const ReportPeriod& period, const date::time_zone* zone) {
    return duration_cast<seconds>(zone->to_local(period.to) - zone->to_local(period.from)).count() /
           86400.0;
}

ReportPeriod previous_period(const ReportPeriod& period, const date::time_zone* zone) {
    auto length = zone->to_local(period.to) - zone->to_local(period.from);
    if (length <= seconds(0)) return {period.from - (period.to - period.from), period.from};
    return {local_to_instant(zone->to_local(period.from) - length, zone), period.from};
}

Timestamp days_before(Timestamp t, int days, const date::time_zone* zone) {
    return local_to_instant(zone->to_local(t) - date::days(days), zone);
}

json summary_stats(std::vector<double> v) {
    json out = {{"mean", nullptr}, {"median", nullptr}, {"p90", nullptr}, {"n", v.size()}};
    if (v.empty()) return out;
    std::size_t n = v.size();
    double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(n);
    // Order statistics by selection, not a sort: MTTR over 100,000 incidents.
    auto nth = [&](std::size_t k) {
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
        return v[k];
    };
    double upper = nth(n / 2);
    double median =
        n % 2 ? upper
              : (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2)) +
                 upper) /
                    2.0;
    // Nearest rank: the smallest value with at least 90% of the sample at or below it.
    auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
    out["mean"] = round1(mean);
    out["median"] = round1(median);
    out["p90"] = round1(nth(std::max<std::size_t>(rank, 1) - 1));
    return out;
}

json build_report(const StoreFacts& facts, const Settings& settings, const ReportPeriod& period,
                  const ReportScope& scope, Timestamp now) {
    Scoped s = select(facts, period, scope);
    // The findings and the figures read the same facts and nothing else: at
    // 100,000 incidents each half takes tens of milliseconds, so they run side by side.
    json findings = json::array(), incidents, tickets, maintenance, satisfaction, weeks;
    run_side_by_side(
        s.incidents.size() >= 10000,
        [&] { findings = report_parts::findings(s, facts, settings, period, scope, now); },
        [&] {
            incidents = incident_section(s, period, settings.zone);
            tickets = ticket_section(s);
            maintenance = maintenance_section(s);
            satisfaction = satisfaction_section(survey_stats(facts, period, scope));
            weeks = series(s, period, settings);
        });
    json scope_json = json::object();
    if (scope.service) scope_json["service"] = *scope.service;
    if (scope.category) scope_json["category"] = *scope.category;
    return {
        {"period",
         {{"from", format_rfc3339(period.from, settings.zone)},
          {"to", format_rfc3339(period.to, settings.zone)},
          {"days", round1(period_days(period, settings.zone))},
          {"scope", scope_json}}},
        {"incidents", std::move(incidents)},
        {"tickets", std::move(tickets)},
        {"maintenance", std::move(maintenance)},
        {"satisfaction", std::move(satisfaction)},
        {"findings", std::move(findings)},
        {"series", std::move(weeks)},
    };
}

namespace {

// this - previous for every number found at the same place in both. Two decimals, the
// finest any figure has (mean scores): the difference of two figures is as exact as they are.
json difference(const json& now, const json& before) {
    if (now.is_number() && before.is_number())
        return std::round((now.get<double>() - before.get<double>()) * 100.0) / 100.0;
    if (now.is_object() && before.is_object()) {
        json out = json::object();
        for (auto it = now.begin(); it != now.end(); ++it) {
            if (!before.contains(it.key())) continue;
            json d = difference(it.value(), before[it.key()]);
            if (!d.is_null() && !(d.is_object() && d.empty())) out[it.key()] = d;
        }
        return out;
    }
    return nullptr;
}

} // namespace

ReportRun run_report(const Store& store, const ReportRequest& request) {
    const auto* zone = store.settings().zone;
    Timestamp to = request.to.value_or(request.now);
    ReportPeriod period{request.from.value_or(days_before(to, 30, zone)), to};
    if (period.from >= period.to) throw UsageError("--from must be before --to");
    ReportRun run{{}, load_facts(store)};
    run.report = build_report(run.facts, store.settings(), period, request.scope, request.now);
    if (request.compare)
        add_comparison(run.report,
                       build_report(run.facts, store.settings(), previous_period(period, zone),
                                    request.scope, request.now));
    return run;
}

void add_comparison(json& report, const json& previous) {
    json change = json::object();
    for (const char* section : {"incidents", "tickets", "maintenance", "satisfaction"})
        change[section] = difference(report[section], previous[section]);
    json prev = previous;
    prev.erase("findings");
    prev.erase("series");
    report["previous"] = prev;
    report["change"] = change;
}

const std::vector<std::string>& metric_names() {
    static const std::vector<std::string> names = {
        "mtta",        "mttr", "incident_count",    "sla_resolution",
        "reopen_rate", "csat", "ticket_answer_time"};
    return names;
}

std::optional<double> metric_value(const std::string& metric, const StoreFacts& facts,
                                   const Settings& settings, const ReportPeriod& period,
                                   const ReportScope& scope) {
    json r = build_report(facts, settings, period, scope, period.to);
    json v;
    if (metric == "mtta")
        v = r["incidents"]["mtta_minutes"]["mean"];
    else if (metric == "mttr")
        v = r["incidents"]["mttr_minutes"]["mean"];
    else if (metric == "incident_count")
        v = r["incidents"]["total"];
    else if (metric == "sla_resolution")
        v = r["incidents"]["sla"]["resolution_met_pct"];
    else if (metric == "reopen_rate")
        v = r["incidents"]["reopen_rate_pct"];
    else if (metric == "csat")
        v = r["satisfaction"]["csat_pct"];
    else if (metric == "ticket_answer_time")
        v = r["tickets"]["answer_minutes"]["mean"];
    if (v.is_number()) return v.get<double>();
    return std::nullopt;
}

} // namespace opsflow
