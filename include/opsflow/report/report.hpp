#pragma once
// Service measurement (SPEC §8): the metrics of a period, and the findings that
// point at problems and bottlenecks.
#include "opsflow/base/vocabulary.hpp"
#include "opsflow/record/facts.hpp"
#include "opsflow/store/standards.hpp"
#include "opsflow/store/store.hpp"

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

struct ReportScope {
    std::optional<std::string> service;
    std::optional<std::string> category;
};

struct ReportPeriod {
    Timestamp from; // inclusive
    Timestamp to;   // exclusive
};

// A period's length in days on the store's calendar: the difference of its ends in local
// time, so two weeks across the change to summer time are 14 days, not 13 days 23 hours.
// What `period.days` shows and the failure rate per 30 days divides by.
double period_days(const ReportPeriod& period, const date::time_zone* zone);

// The period as long on the calendar just before `period` (what --compare compares with).
ReportPeriod previous_period(const ReportPeriod& period, const date::time_zone* zone);

// `days` calendar days before `t`, at the same local time of day (the default --from).
Timestamp days_before(Timestamp t, int days, const date::time_zone* zone);

// The report of SPEC §8 as values. Every figure is rounded as the report shows it (one
// decimal, two for mean scores), so each format and an improvement's baseline read the
// same number; a figure without data (no sample, nothing to divide by) is nothing.

// Mean, median and p90 (nearest rank) of a sample, in minutes.
struct SampleStats {
    std::optional<double> mean, median, p90; // nothing when the sample is empty
    std::size_t n = 0;
};
SampleStats sample_stats(std::vector<double> values);

// Records counted by a text field, in key order; an empty field counts as "(none)".
using Counts = std::map<std::string, int>;

// A deadline an incident missed: `stage` is "response" or "resolution".
struct SlaBreach {
    std::string id, stage, priority, service, assignee, title;
};

struct ServiceFailures {
    int incidents = 0;
    std::optional<double> per_30_days;
};

struct IncidentFigures {
    std::size_t total = 0;
    Counts by_status, by_priority, by_service, by_category, by_channel;
    SampleStats mtta_minutes, mttr_minutes;
    struct Sla {
        std::optional<double> response_met_pct, resolution_met_pct;
        std::vector<SlaBreach> breaches;
    } sla;
    std::optional<double> reopen_rate_pct; // of the verified incidents, those that failed one
    std::map<std::string, ServiceFailures> failure_rate; // by service
};

struct TicketFigures {
    std::size_t total = 0, answered = 0, escalated = 0;
    Counts by_channel; // email, phone, ...: how users reach the department
    SampleStats answer_minutes;
};

// Windows that start in the period; each occurrence of a series is a window of its own
// (SPEC §12), recorded or not yet.
struct MaintenanceFigures {
    std::size_t total = 0;
    // A window without a result is "pending", or "skipped" or "cancelled".
    Counts by_result;
    std::optional<double> notice_on_time_pct;
    std::vector<std::string> overrun_ids;            // windows that ended after their planned end
    std::vector<std::string> partial_evaluation_ids; // evaluated before their window passed
};

struct SatisfactionFigures {
    std::size_t sent = 0, answered = 0;
    std::optional<double> response_rate_pct, mean_score, csat_pct;
    std::array<int, 5> distribution{}; // answers per score, 1 to 5
};

// Problem management and the knowledge base (SPEC §11). Problems are counted whatever
// the scope (a problem may span services): those opened in the period, those open and
// known errors at its end; the time from a problem's opening to its known cause, for
// those found in the period; the incidents linked to the problems opened in it; and the
// period's tickets answered with each article.
struct KnowledgeFigures {
    std::size_t problems_opened = 0, open_problems = 0, known_errors = 0, incidents_linked = 0;
    SampleStats known_cause_minutes;
    Counts answers_by_article;
};

// What a report covers: its ends, shown in the store's time zone, its length in calendar
// days and its scope.
struct PeriodSummary {
    Timestamp from{}, to{};
    const date::time_zone* zone = nullptr;
    double days = 0;
    ReportScope scope;
};

// The figures of one period: what `--compare` repeats for the period before.
struct ReportFigures {
    PeriodSummary period;
    IncidentFigures incidents;
    TicketFigures tickets;
    MaintenanceFigures maintenance;
    SatisfactionFigures satisfaction;
    KnowledgeFigures knowledge;
};

enum class FindingKind { recurring, sla_hotspot, slow_stage, low_satisfaction, overdue };
std::string_view finding_kind_name(FindingKind kind);

// What a finding is about; an improvement started from it takes the service and category.
struct FindingScope {
    std::optional<std::string> service, category;
    std::optional<std::string> stage;   // slow_stage
    std::optional<std::string> records; // overdue: "incidents" or "maintenance"
};

// A stage's share of the time to resolve; nothing when no incident went through it.
struct StageShare {
    std::string stage;
    std::optional<double> pct;
};

struct Finding {
    std::string id; // `kind:scope...`, what `improve new --finding` names
    FindingKind kind;
    FindingScope scope;
    std::vector<std::string> evidence; // record IDs
    // What to do, in the language current when the report was built: `opsflow report`
    // builds JSON and CSV in English, what people read in their language.
    std::string suggestion;
    // What was observed, without advice or commands ("5 network incidents on wifi"):
    // what a problem or an improvement made from the finding records.
    std::string fact;
    std::optional<std::string> metric; // what an improvement started from it would target
    // The figure behind the finding, of its kind.
    std::optional<double> compliance_pct; // sla_hotspot
    std::vector<StageShare> share_pct;    // slow_stage, every stage in order
    std::optional<double> mean_score;     // low_satisfaction
    std::optional<std::string> problem;   // recurring: the problem open for it
};

// Incidents reported in one week (from its Monday, local time), by priority P1 to P4.
struct WeekFigures {
    date::local_days week;
    std::array<int, 4> by_priority{};
    std::optional<double> mttr_mean; // nothing: none of the week's incidents resolved yet
};
inline constexpr auto series_priorities = vocabulary::priorities;

// The charts' data: every week the period touches, and resolution compliance by service.
struct ReportSeries {
    std::vector<WeekFigures> weeks;
    std::map<std::string, std::optional<double>> sla_resolution_by_service;
    double sla_goal_pct = 0;
};

// A figure that is a number in both periods, by its JSON path from the section
// (`{"incidents", "mttr_minutes", "mean"}`), and this period's minus the previous one's.
struct FigureChange {
    std::vector<std::string> path;
    double delta = 0;
};

// The standards the period was measured against (SPEC §12): those in force at its start
// (the last commit before it; none without git) and each change inside it.
struct ReportStandards {
    std::string commit, date;
    std::vector<StandardsCommit> changes; // newest first
};

struct Report : ReportFigures {
    std::optional<ReportStandards> standards; // run_report fills it from git
    std::vector<Finding> findings;
    ReportSeries series;
    std::optional<ReportFigures> previous; // with --compare: the equal period before
    std::vector<FigureChange> change;      // with --compare: every figure, in report order
};

// The figures of a period and scope, without findings and series (they need no `now`).
ReportFigures build_figures(const StoreFacts& facts, const Settings& settings,
                            const ReportPeriod& period, const ReportScope& scope);

// The whole report of a period; `now` decides what counts as overdue.
Report build_report(const StoreFacts& facts, const Settings& settings, const ReportPeriod& period,
                    const ReportScope& scope, Timestamp now);

// Adds `previous` (the equal period before) and `change` (this minus previous, for each
// figure that is a number in both, to two decimals).
void add_comparison(Report& report, ReportFigures previous);

// The report object of SPEC §8, the one place it becomes JSON (`report --format json`, and
// the CSV format's paths): `period`, `incidents`, `tickets`, `maintenance`,
// `satisfaction`, `findings`, `series`, and with a comparison `previous` and `change`.
// A figure without data is null.
nlohmann::ordered_json to_json(const Report& report);

// The JSON form of sample_stats, as the report writes it: {mean, median, p90, n}.
nlohmann::ordered_json summary_stats(std::vector<double> values);

// The metrics an improvement can target, by name (`mtta`, `mttr`, ...), each read from a
// period's figures. Nothing if no data.
struct ReportMetric {
    std::string_view name;
    std::optional<double> (*value)(const ReportFigures& figures);
    // A count of records: compared between spans as a rate per 30 days.
    bool is_count = false;
};
// Whether `metric` counts records (incident_count).
bool metric_is_count(std::string_view metric);
const std::vector<ReportMetric>& report_metrics();
const std::vector<std::string>& metric_names();

// A metric over a period and scope; nothing for no data or an unknown name.
std::optional<double> metric_value(const std::string& metric, const StoreFacts& facts,
                                   const Settings& settings, const ReportPeriod& period,
                                   const ReportScope& scope);

// What `opsflow report` asks for: a period (by default the 30 calendar days before
// `to`, and `to` by default now), a scope, and whether to compare with the period before.
struct ReportRequest {
    std::optional<Timestamp> from, to;
    ReportScope scope;
    Timestamp now;
    bool compare = false;
    // The facts of every record, not only of those a report of the period reads: a
    // redaction learns every reporter's name from them.
    bool every_record = false;
};

// The report of a request from the store's facts (the query index), with the facts it
// read (a redaction of the rendered report needs them). Throws UsageError when the
// period is empty.
struct ReportRun {
    Report report;
    StoreFacts facts;
};
ReportRun run_report(const Store& store, const ReportRequest& request);

} // namespace opsflow
