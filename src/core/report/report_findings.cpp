// The report's findings (SPEC §8): recurring faults, hot spots that miss the SLA,
// the slowest stage, low satisfaction and overdue work, each with its evidence and a
// suggestion an improvement can start from.
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/icalendar.hpp"
#include "opsflow/record/workflow.hpp"
#include "report/report_parts.hpp"

#include <fmt/format.h>
#include <map>
#include <set>

namespace opsflow {

// Marked for the catalogue: the JSON has the name, the views translate it.
std::string_view finding_kind_name(FindingKind kind) {
    switch (kind) {
    case FindingKind::recurring:
        return N_("recurring");
    case FindingKind::sla_hotspot:
        return N_("sla_hotspot");
    case FindingKind::slow_stage:
        return N_("slow_stage");
    case FindingKind::low_satisfaction:
        return N_("low_satisfaction");
    case FindingKind::overdue:
        return N_("overdue");
    }
    return "";
}

namespace report_parts {

namespace {

std::vector<std::string> evidence(const std::vector<std::string_view>& ids) {
    return {ids.begin(), ids.end()};
}

Finding finding(std::string id, FindingKind kind, FindingScope scope,
                const std::vector<std::string_view>& ids, std::string fact, std::string suggestion,
                std::optional<std::string> metric) {
    Finding out;
    out.id = std::move(id);
    out.kind = kind;
    out.scope = std::move(scope);
    out.evidence = evidence(ids);
    out.fact = std::move(fact);
    out.suggestion = std::move(suggestion);
    out.metric = std::move(metric);
    return out;
}

// The problem already open for a finding: opened from it (`problem new --finding`).
std::optional<std::string> open_problem_for(const StoreFacts& facts, const std::string& finding) {
    const auto& problems = workflow_of(RecordKind::problem);
    for (const auto& problem : facts.problem_records)
        if (problem.finding == finding && problems.is_open(problem.status))
            return std::string(problem.id);
    return std::nullopt;
}

// The report's period as `--from`/`--to` take it, so that a finding named from this
// report is found again over the same period (dates when it begins and ends at midnight).
std::string period_options(const ReportPeriod& period, const date::time_zone* zone) {
    auto typed = [&](Timestamp t) {
        std::string text = format_rfc3339(t, zone);
        return text.substr(10, 9) == "T00:00:00" ? text.substr(0, 10) : "'" + text + "'";
    };
    return fmt::format("--from {} --to {}", typed(period.from), typed(period.to));
}

void recurring_findings(const Scoped& s, const StoreFacts& facts, const Settings& settings,
                        const ReportPeriod& period, std::vector<Finding>& findings) {
    const FindingRules& rules = settings.findings;
    Groups<std::pair<std::string_view, std::string_view>, std::vector<std::string_view>> groups;
    for (const auto* i : s.incidents)
        if (!i->service.empty() && !i->category.empty())
            groups[{i->service, i->category}].push_back(i->id);
    for (const auto* group : in_key_order(groups)) {
        const auto& [key, ids] = *group;
        if (ids.size() < static_cast<std::size_t>(rules.recurring_min)) continue;
        FindingScope about;
        about.service = std::string(key.first);
        about.category = std::string(key.second);
        std::string id = fmt::format("recurring:{}:{}", key.first, key.second);
        auto problem = open_problem_for(facts, id);
        std::string suggestion =
            problem
                ? tr("{} {} incidents on {} in the period; problem {} is open for their "
                     "common cause (opsflow problem show {})",
                     ids.size(), key.second, key.first, *problem, *problem)
                : tr("{} {} incidents on {} in the period: look for a common root cause and "
                     "remove it (opsflow problem new ... --finding {} {})",
                     ids.size(), key.second, key.first, id, period_options(period, settings.zone));
        findings.push_back(finding(id, FindingKind::recurring, std::move(about), ids,
                                   tr("{} {} incidents on {}", ids.size(), key.second, key.first),
                                   std::move(suggestion), "incident_count"));
        findings.back().problem = problem;
    }
}

void hotspot_findings(const Scoped& s, const Settings& settings, std::vector<Finding>& findings) {
    for (const char* dimension : {"service", "category"}) {
        const bool by_service = std::string_view(dimension) == "service";
        Groups<std::string_view, std::pair<std::size_t, std::vector<std::string_view>>>
            stats; // reached, breaching ids
        for (const auto* i : s.incidents) {
            std::string_view key = by_service ? i->service : i->category;
            if (key.empty()) continue;
            auto& [reached, breaching] = stats[key];
            if (i->first_assign) {
                ++reached;
                if (!response_met(*i)) breaching.push_back(i->id);
            }
            if (i->resolution) {
                ++reached;
                if (!resolution_met(*i)) breaching.push_back(i->id);
            }
        }
        for (const auto* entry : in_key_order(stats)) {
            const auto& [key, st] = *entry;
            auto& [reached, breaching] = st;
            if (reached == 0) continue;
            double compliance = 100.0 * static_cast<double>(reached - breaching.size()) /
                                static_cast<double>(reached);
            if (compliance >= settings.sla_goal_pct) continue;
            std::vector<std::string_view> ids = breaching;
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
            FindingScope about;
            (by_service ? about.service : about.category) = std::string(key);
            Finding hotspot = finding(
                fmt::format("sla_hotspot:{}:{}", dimension, key), FindingKind::sla_hotspot,
                std::move(about), ids,
                by_service ? tr("SLA compliance for service {} is {:.1f}%, below the goal of {}%",
                                key, compliance, settings.sla_goal_pct)
                           : tr("SLA compliance for category {} is {:.1f}%, below the goal of {}%",
                                key, compliance, settings.sla_goal_pct),
                by_service ? tr("SLA compliance for service {} is {:.1f}%, below the goal of {}%: "
                                "check staffing, routing and priorities for it",
                                key, compliance, settings.sla_goal_pct)
                           : tr("SLA compliance for category {} is {:.1f}%, below the goal of "
                                "{}%: check staffing, routing and priorities for it",
                                key, compliance, settings.sla_goal_pct),
                "sla_resolution");
            hotspot.compliance_pct = round1(compliance);
            findings.push_back(std::move(hotspot));
        }
    }
}

void slow_stage_finding(const Scoped& s, std::vector<Finding>& findings) {
    // In name order: a tie goes to the first.
    static constexpr std::array<std::string_view, 4> stages = {N_("assignment"), N_("diagnosis"),
                                                               N_("fix"), N_("verification")};
    std::array<double, stages.size()> total{};
    std::array<bool, stages.size()> seen{};
    std::array<std::vector<std::pair<double, std::string_view>>, stages.size()> per_incident;
    for (const auto* i : s.incidents) {
        if (!i->resolution || !i->first_assign) continue;
        Timestamp diagnosed = i->first_diagnose.value_or(*i->first_assign);
        std::array<std::optional<double>, stages.size()> spans = {
            minutes_between(i->reported, *i->first_assign),
            minutes_between(*i->first_assign, std::max(diagnosed, *i->first_assign)),
            minutes_between(diagnosed, *i->resolution),
            i->verified ? std::optional(minutes_between(*i->resolution, *i->verified))
                        : std::nullopt};
        for (std::size_t k = 0; k < stages.size(); ++k) {
            if (!spans[k]) continue;
            total[k] += std::max(0.0, *spans[k]);
            seen[k] = true;
            per_incident[k].emplace_back(*spans[k], i->id);
        }
    }
    double sum = std::accumulate(total.begin(), total.end(), 0.0);
    if (sum <= 0) return;
    auto slowest =
        static_cast<std::size_t>(std::max_element(total.begin(), total.end()) - total.begin());
    auto& worst = per_incident[slowest];
    std::sort(worst.rbegin(), worst.rend());
    std::vector<std::string_view> ids;
    for (std::size_t k = 0; k < worst.size() && k < 5; ++k)
        ids.push_back(worst[k].second);
    std::string_view stage = stages[slowest];
    FindingScope about;
    about.stage = std::string(stage);
    std::string fact =
        // xgettext:no-c-format
        tr("{} takes {:.0f}% of the time to resolve", tr(stage), 100.0 * total[slowest] / sum);
    // xgettext:no-c-format
    std::string suggestion = tr("{} takes {:.0f}% of the time to resolve: shorten that stage first",
                                tr(stage), 100.0 * total[slowest] / sum);
    Finding slow =
        finding(fmt::format("slow_stage:{}", stage), FindingKind::slow_stage, std::move(about), ids,
                std::move(fact), std::move(suggestion), stage == "assignment" ? "mtta" : "mttr");
    for (std::size_t k = 0; k < stages.size(); ++k)
        slow.share_pct.push_back(
            {std::string(stages[k]),
             seen[k] ? std::optional(round1(100.0 * total[k] / sum)) : std::nullopt});
    findings.push_back(std::move(slow));
}

void satisfaction_findings(const StoreFacts& facts, const ReportPeriod& p, const ReportScope& scope,
                           const FindingRules& rules, std::vector<Finding>& findings) {
    std::map<std::string_view, std::vector<std::pair<int, std::string_view>>> by_category;
    auto add = [&](const SurveyFacts& s, std::string_view category, std::string_view service,
                   std::string_view id) {
        if (s.score && s.sent && in(*s.sent, p) && in_scope(service, category, scope) &&
            !category.empty())
            by_category[category].emplace_back(*s.score, id);
    };
    for (const auto& i : facts.incidents)
        add(i.survey, i.category, i.service, i.id);
    for (const auto& t : facts.tickets)
        add(t.survey, t.category, t.service, t.id);
    for (const auto& [category, answers] : by_category) {
        if (answers.size() < static_cast<std::size_t>(rules.min_answers)) continue;
        double mean = 0;
        for (auto& [score, _] : answers)
            mean += score;
        mean /= static_cast<double>(answers.size());
        if (mean >= rules.low_satisfaction_below) continue;
        std::vector<std::string_view> ids;
        for (auto& [score, id] : answers)
            if (score <= 3) ids.push_back(id);
        FindingScope about;
        about.category = std::string(category);
        Finding low =
            finding(fmt::format("low_satisfaction:{}", category), FindingKind::low_satisfaction,
                    std::move(about), ids,
                    tr("users rate {} support {:.1f} of 5 on average", category, mean),
                    tr("users rate {} support {:.1f} of 5 on average: read their comments and "
                       "fix what they name",
                       category, mean),
                    "csat");
        low.mean_score = std::round(mean * 100) / 100;
        findings.push_back(std::move(low));
    }
}

void overdue_findings(const StoreFacts& facts, const ReportScope& scope,
                      const std::string& settings_timezone, Timestamp now,
                      std::vector<Finding>& findings) {
    std::vector<std::string_view> incidents, windows;
    for (const auto& i : facts.incidents) {
        if (!in_scope(i.service, i.category, scope) ||
            !workflow_of(RecordKind::incident).is_open(i.status))
            continue;
        bool late_response = !i.first_assign && i.respond_by && *i.respond_by < now;
        bool late_fix = !i.resolution && i.resolve_by && *i.resolve_by < now;
        if (late_response || late_fix) incidents.push_back(i.id);
    }
    // A window is finished once `done` gave its result, or it ended (evaluated, cancelled).
    const Workflow& windows_flow = workflow_of(RecordKind::maintenance);
    const auto& results = windows_flow.targets("done");
    const RecordedOccurrences recorded = recorded_occurrences(facts.maintenance);
    for (const auto& m : facts.maintenance) {
        if (!in_scope(m.services, scope)) continue;
        bool finished = !windows_flow.is_open(m.status) ||
                        std::find(results.begin(), results.end(), m.status) != results.end();
        // A series is a window itself only for a first occurrence it carried out itself.
        if ((!is_series(m) || m.started) && !finished && m.end < now) windows.push_back(m.id);
        if (!is_series(m) || windows_flow.in(StatusGroup::cancelled, m.status)) continue;
        // Its occurrences that ended in the last 30 days with no record, named by the series.
        auto length = m.end - m.start;
        if (!unrecorded_occurrences(m, recorded, settings_timezone,
                                    now - std::chrono::hours(24 * 30) - length, now - length)
                 .empty())
            windows.push_back(m.id);
    }
    auto of_records = [](const char* records) {
        FindingScope about;
        about.records = records;
        return about;
    };
    if (!incidents.empty())
        findings.push_back(finding("overdue:incidents", FindingKind::overdue,
                                   of_records("incidents"), incidents,
                                   ntr("{} open incident is past its SLA deadline",
                                       "{} open incidents are past their SLA deadline",
                                       incidents.size(), incidents.size()),
                                   ntr("{} open incident is past its SLA deadline: assign or "
                                       "escalate it today (opsflow sla watch)",
                                       "{} open incidents are past their SLA deadline: assign or "
                                       "escalate them today (opsflow sla watch)",
                                       incidents.size(), incidents.size()),
                                   "sla_resolution"));
    if (!windows.empty())
        findings.push_back(finding(
            "overdue:maintenance", FindingKind::overdue, of_records("maintenance"), windows,
            ntr("{} maintenance window ended without a result",
                "{} maintenance windows ended without a result", windows.size(), windows.size()),
            ntr("{} maintenance window ended without a result: record how it went "
                "(opsflow maint done ID --result ...)",
                "{} maintenance windows ended without a result: record how they went "
                "(opsflow maint done ID --result ...)",
                windows.size(), windows.size()),
            std::nullopt));
}

} // namespace

std::vector<Finding> findings(const Scoped& s, const StoreFacts& facts, const Settings& settings,
                              const ReportPeriod& period, const ReportScope& scope, Timestamp now) {
    std::vector<Finding> out;
    recurring_findings(s, facts, settings, period, out);
    hotspot_findings(s, settings, out);
    slow_stage_finding(s, out);
    satisfaction_findings(facts, period, scope, settings.findings, out);
    overdue_findings(facts, scope, settings.timezone, std::min(now, period.to), out);
    return out;
}

} // namespace report_parts

} // namespace opsflow
