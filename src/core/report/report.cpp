#include "opsflow/report/report.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/icalendar.hpp"
#include "opsflow/base/parallel.hpp"
#include "opsflow/base/sla.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/store/query.hpp"
#include "report/report_parts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <date/tz.h>
#include <map>
#include <numeric>

namespace opsflow {

using namespace report_parts;

namespace {

IncidentFigures incident_section(const Scoped& s, const ReportPeriod& period,
                                 const date::time_zone* zone) {
    IncidentFigures out;
    std::vector<double> mtta, mttr;
    std::size_t responded = 0, response_ok = 0, resolved = 0, resolution_ok = 0, verified = 0,
                reopened = 0;
    for (const auto* i : s.incidents) {
        if (i->first_assign) {
            mtta.push_back(minutes_between(i->reported, *i->first_assign));
            ++responded;
            if (response_met(*i))
                ++response_ok;
            else
                out.sla.breaches.push_back(breach(*i, N_("response")));
        }
        if (i->resolution) {
            mttr.push_back(minutes_between(i->reported, *i->resolution));
            ++resolved;
            if (resolution_met(*i))
                ++resolution_ok;
            else
                out.sla.breaches.push_back(breach(*i, N_("resolution")));
        }
        if (i->verifications > 0) ++verified;
        if (i->failed_verifications > 0) ++reopened;
    }
    double days = period_days(period, zone);
    auto [by_status, by_priority, by_service, by_category, by_channel] =
        counts_by(s.incidents, std::array{&IncidentFacts::status, &IncidentFacts::priority,
                                          &IncidentFacts::service, &IncidentFacts::category,
                                          &IncidentFacts::channel});
    for (const auto& [service, n] : by_service)
        out.failure_rate.emplace(
            service,
            ServiceFailures{n, days > 0 ? std::optional(round1(n * 30.0 / days)) : std::nullopt});
    out.total = s.incidents.size();
    out.by_status = counts_in_key_order(by_status);
    out.by_priority = counts_in_key_order(by_priority);
    out.by_service = counts_in_key_order(by_service);
    out.by_category = counts_in_key_order(by_category);
    out.by_channel = counts_in_key_order(by_channel);
    out.mtta_minutes = sample_stats(std::move(mtta));
    out.mttr_minutes = sample_stats(std::move(mttr));
    out.sla.response_met_pct = pct(response_ok, responded);
    out.sla.resolution_met_pct = pct(resolution_ok, resolved);
    out.reopen_rate_pct = pct(reopened, verified);
    return out;
}

TicketFigures ticket_section(const Scoped& s) {
    TicketFigures out;
    std::vector<double> answer;
    for (const auto* t : s.tickets) {
        if (t->answered) {
            ++out.answered;
            answer.push_back(minutes_between(t->received, *t->answered));
        }
        if (t->escalated) ++out.escalated;
    }
    out.total = s.tickets.size();
    auto [by_channel] = counts_by(s.tickets, std::array{&TicketFacts::channel});
    out.by_channel = counts_in_key_order(by_channel);
    out.answer_minutes = sample_stats(std::move(answer));
    return out;
}

// One window of the period as the report counts it: a window, an occurrence of a series
// with its record, or one with none yet (`record` null).
struct CountedWindow {
    const MaintenanceFacts* record;
    Timestamp start;
    const MaintenanceFacts* series; // the series an occurrence belongs to
};

std::vector<CountedWindow> windows_in(const StoreFacts& facts, const ReportPeriod& p,
                                      const ReportScope& scope, const Settings& settings) {
    std::vector<CountedWindow> out;
    if (scope.category) return out;
    const Workflow& windows = workflow_of(RecordKind::maintenance);
    std::map<std::string_view, const MaintenanceFacts*> series_by_id;
    for (const auto& m : facts.maintenance)
        if (is_series(m)) series_by_id[m.id] = &m;
    const RecordedOccurrences recorded = recorded_occurrences(facts.maintenance);
    for (const auto& m : facts.maintenance) {
        if (!in_scope(m.services, scope)) continue;
        if (!m.series.empty()) { // an occurrence's record
            auto series = series_by_id.find(m.series);
            if (in(m.start, p))
                out.push_back(
                    {&m, m.start, series == series_by_id.end() ? nullptr : series->second});
            continue;
        }
        // A window; a series counts its own first occurrence once it was carried out as
        // one (before occurrences had records), or when it was cancelled before any.
        const bool cancelled = windows.in(StatusGroup::cancelled, m.status);
        if ((!is_series(m) || m.started || cancelled) && in(m.start, p))
            out.push_back({&m, m.start, nullptr});
        if (!is_series(m) || cancelled) continue;
        for (auto t : unrecorded_occurrences(m, recorded, settings.timezone, p.from, p.to))
            out.push_back({nullptr, t, &m});
    }
    return out;
}

MaintenanceFigures maintenance_section(const StoreFacts& facts, const ReportPeriod& p,
                                       const ReportScope& scope, const Settings& settings) {
    MaintenanceFigures out;
    const Workflow& windows = workflow_of(RecordKind::maintenance);
    const auto lead = settings.notice_lead.wall();
    std::size_t announced = 0, on_time = 0;
    for (const auto& w : windows_in(facts, p, scope, settings)) {
        const MaintenanceFacts* m = w.record;
        std::string_view status = m ? m->status : std::string_view{};
        bool skipped = m && windows.in(StatusGroup::skipped, status);
        out.by_result[std::string(m && !m->result.empty()                           ? m->result
                                  : skipped                                         ? "skipped"
                                  : m && windows.in(StatusGroup::cancelled, status) ? "cancelled"
                                                                                    : "pending")]++;
        if (!skipped) {
            if (w.series) {
                // An occurrence is announced by its series' notice: on time if it went
                // out at least the notice lead before this occurrence.
                if (auto sent = w.series->first_announce; sent && *sent <= w.start) {
                    ++announced;
                    if (*sent <= w.start - lead) ++on_time;
                }
            } else if (m && m->first_announce) {
                ++announced;
                // `notify` decided it against the occurrence the notice announced (the next
                // one of a recurring window), and recorded a late notice as late.
                if (!m->late_notice) ++on_time;
            }
        }
        if (m && m->actual_end && *m->actual_end > m->end) out.overrun_ids.emplace_back(m->id);
        if (m && m->partial_evaluation) out.partial_evaluation_ids.emplace_back(m->id);
    }
    out.total = std::accumulate(out.by_result.begin(), out.by_result.end(), std::size_t{0},
                                [](std::size_t n, const auto& e) { return n + e.second; });
    out.notice_on_time_pct = pct(on_time, announced);
    return out;
}

SatisfactionFigures satisfaction_section(const StoreFacts& facts, const ReportPeriod& p,
                                         const ReportScope& scope) {
    SatisfactionFigures out;
    std::size_t satisfied = 0;
    double score_sum = 0;
    auto add = [&](const SurveyFacts& s) {
        if (!s.sent || !in(*s.sent, p)) return;
        ++out.sent;
        if (!s.score) return;
        ++out.answered;
        score_sum += *s.score;
        if (*s.score >= 1 && *s.score <= 5) ++out.distribution[*s.score - 1];
        if (*s.score >= 4) ++satisfied;
    };
    for (const auto& i : facts.incidents)
        if (in_scope(i.service, i.category, scope)) add(i.survey);
    for (const auto& t : facts.tickets)
        if (in_scope(t.service, t.category, scope)) add(t.survey);
    out.response_rate_pct = pct(out.answered, out.sent);
    if (out.answered > 0)
        out.mean_score = std::round(100.0 * score_sum / static_cast<double>(out.answered)) / 100.0;
    out.csat_pct = pct(satisfied, out.answered);
    return out;
}

KnowledgeFigures knowledge_section(const Scoped& s, const StoreFacts& facts,
                                   const ReportPeriod& p) {
    KnowledgeFigures out;
    const auto& problems = workflow_of(RecordKind::problem);
    std::vector<double> to_known;
    for (const auto& problem : facts.problem_records) {
        if (problem.opened >= p.to) continue;
        if (in(problem.opened, p)) {
            ++out.problems_opened;
            out.incidents_linked += problem.incidents;
        }
        // Its status at the period's end is its status now when nothing came after:
        // the facts keep the current status, so a past period counts what is open now.
        if (problems.is_open(problem.status)) ++out.open_problems;
        if (problems.in(StatusGroup::known, problem.status)) ++out.known_errors;
        if (problem.known && in(*problem.known, p))
            to_known.push_back(minutes_between(problem.opened, *problem.known));
    }
    out.known_cause_minutes = sample_stats(std::move(to_known));
    for (const auto* t : s.tickets)
        if (!t->article.empty()) ++out.answers_by_article[std::string(t->article)];
    return out;
}

// One row for every week the period touches, from the week of its first instant to the
// week of its last: a quiet week has zero counts and no MTTR, so a chart keeps its place.
ReportSeries series(const Scoped& s, const ReportPeriod& period, const Settings& settings) {
    std::map<date::local_days, std::array<int, series_priorities.size()>> per_week;
    std::map<date::local_days, std::vector<double>> mttr_week;
    const auto last_week = iso_week_start(period.to - seconds(1), settings.zone);
    for (auto week = iso_week_start(period.from, settings.zone); week <= last_week;
         week += date::days(7))
        per_week[week] = {};
    for (const auto* i : s.incidents) {
        auto week = iso_week_start(i->reported, settings.zone);
        auto& counts = per_week[week];
        auto p = std::find(series_priorities.begin(), series_priorities.end(), i->priority);
        if (p != series_priorities.end()) ++counts[p - series_priorities.begin()];
        if (i->resolution) mttr_week[week].push_back(minutes_between(i->reported, *i->resolution));
    }
    ReportSeries out;
    for (const auto& [week, counts] : per_week) {
        auto resolved = mttr_week.find(week);
        out.weeks.push_back({week, counts,
                             resolved == mttr_week.end()
                                 ? std::nullopt
                                 : sample_stats(std::move(resolved->second)).mean});
    }
    std::map<std::string_view, std::pair<std::size_t, std::size_t>> per_service;
    for (const auto* i : s.incidents) {
        if (!i->resolution) continue;
        auto& [reached, met] = per_service[i->service.empty() ? "(none)" : i->service];
        ++reached;
        if (resolution_met(*i)) ++met;
    }
    for (const auto& [service, counts] : per_service)
        out.sla_resolution_by_service.emplace(service, pct(counts.second, counts.first));
    out.sla_goal_pct = settings.sla_goal_pct;
    return out;
}

void fill_figures(ReportFigures& out, const Scoped& s, const StoreFacts& facts,
                  const Settings& settings, const ReportPeriod& period, const ReportScope& scope) {
    out.period = {period.from, period.to, settings.zone, round1(period_days(period, settings.zone)),
                  scope};
    out.incidents = incident_section(s, period, settings.zone);
    out.tickets = ticket_section(s);
    out.maintenance = maintenance_section(facts, period, scope, settings);
    out.satisfaction = satisfaction_section(facts, period, scope);
    out.knowledge = knowledge_section(s, facts, period);
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

SampleStats sample_stats(std::vector<double> v) {
    SampleStats out;
    out.n = v.size();
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
    out.mean = round1(mean);
    out.median = round1(median);
    out.p90 = round1(nth(std::max<std::size_t>(rank, 1) - 1));
    return out;
}

ReportFigures build_figures(const StoreFacts& facts, const Settings& settings,
                            const ReportPeriod& period, const ReportScope& scope) {
    ReportFigures out;
    fill_figures(out, select(facts, period, scope), facts, settings, period, scope);
    return out;
}

Report build_report(const StoreFacts& facts, const Settings& settings, const ReportPeriod& period,
                    const ReportScope& scope, Timestamp now) {
    Scoped s = select(facts, period, scope);
    Report report;
    // The findings and the figures read the same facts and nothing else: at
    // 100,000 incidents each half takes tens of milliseconds, so they run side by side.
    run_side_by_side(
        s.incidents.size() >= 10000,
        [&] { report.findings = report_parts::findings(s, facts, settings, period, scope, now); },
        [&] {
            fill_figures(report, s, facts, settings, period, scope);
            report.series = series(s, period, settings);
        });
    return report;
}

// Nothing outside git, or when the store has no commit before the period ends.
std::optional<ReportStandards> standards_of(const Store& store, const ReportPeriod& period) {
    if (!store.git()) return std::nullopt;
    try {
        StandardsVersion start = standards_at_time(store, period.from);
        return ReportStandards{start.commit.substr(0, 12), start.date,
                               standards_history(store, std::nullopt, period.from, period.to)};
    } catch (const NotFoundError&) {
        auto changes = standards_history(store, std::nullopt, period.from, period.to);
        if (changes.empty()) return std::nullopt;
        return ReportStandards{"", "", std::move(changes)};
    }
}

ReportRun run_report(const Store& store, const ReportRequest& request) {
    const auto* zone = store.settings().zone;
    Timestamp to = request.to.value_or(request.now);
    ReportPeriod period{request.from.value_or(days_before(to, 30, zone)), to};
    if (period.from >= period.to) throw UsageError(tr("--from must be before --to"));
    // Only the incidents the report can read are decoded: those of the period (and of the
    // one before it, for --compare), by report or survey, and the open ones (overdue).
    const Timestamp reads_from = request.compare ? previous_period(period, zone).from : period.from;
    ReportRun run{{},
                  load_facts(store,
                             {RecordKind::incident, RecordKind::ticket, RecordKind::maintenance,
                              RecordKind::problem},
                             request.every_record ? FactsScope::all
                                                  : FactsScope::reporting(reads_from, period.to))};
    run.report = build_report(run.facts, store.settings(), period, request.scope, request.now);
    run.report.standards = standards_of(store, period);
    if (request.compare)
        add_comparison(run.report, build_figures(run.facts, store.settings(),
                                                 previous_period(period, zone), request.scope));
    return run;
}

const std::vector<ReportMetric>& report_metrics() {
    using Figures = const ReportFigures&;
    static const std::vector<ReportMetric> metrics = {
        {"mtta", [](Figures r) { return r.incidents.mtta_minutes.mean; }},
        {"mttr", [](Figures r) { return r.incidents.mttr_minutes.mean; }},
        {"incident_count",
         [](Figures r) { return std::optional(static_cast<double>(r.incidents.total)); }, true},
        {"sla_resolution", [](Figures r) { return r.incidents.sla.resolution_met_pct; }},
        {"reopen_rate", [](Figures r) { return r.incidents.reopen_rate_pct; }},
        {"csat", [](Figures r) { return r.satisfaction.csat_pct; }},
        {"ticket_answer_time", [](Figures r) { return r.tickets.answer_minutes.mean; }},
    };
    return metrics;
}

bool metric_is_count(std::string_view metric) {
    const auto& metrics = report_metrics();
    return std::any_of(metrics.begin(), metrics.end(),
                       [&](const ReportMetric& m) { return m.name == metric && m.is_count; });
}

const std::vector<std::string>& metric_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& metric : report_metrics())
            out.emplace_back(metric.name);
        return out;
    }();
    return names;
}

std::optional<double> metric_value(const std::string& metric, const StoreFacts& facts,
                                   const Settings& settings, const ReportPeriod& period,
                                   const ReportScope& scope) {
    const auto& metrics = report_metrics();
    auto found = std::find_if(metrics.begin(), metrics.end(),
                              [&](const ReportMetric& m) { return m.name == metric; });
    if (found == metrics.end()) return std::nullopt;
    return found->value(build_figures(facts, settings, period, scope));
}

} // namespace opsflow
