#pragma once
// Service measurement (SPEC §8): the metrics of a period, and the findings that
// point at problems and bottlenecks.
#include "opsflow/facts.hpp"
#include "opsflow/store.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

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

// The report object of SPEC §8 (`period`, `incidents`, `tickets`, `maintenance`,
// `satisfaction`, `findings`) plus `series` for charts. A figure with no data is null.
// `now` decides what counts as overdue.
nlohmann::ordered_json build_report(const StoreFacts& facts, const Settings& settings,
                                    const ReportPeriod& period, const ReportScope& scope,
                                    Timestamp now);

// Adds `previous` (the equal period before) and `change` (this minus previous, for each figure).
void add_comparison(nlohmann::ordered_json& report, const nlohmann::ordered_json& previous);

// The metrics an improvement can target, by name (`mtta`, `mttr`, ...). Nothing if no data.
std::optional<double> metric_value(const std::string& metric, const StoreFacts& facts,
                                   const Settings& settings, const ReportPeriod& period,
                                   const ReportScope& scope);
const std::vector<std::string>& metric_names();

// What `opsflow report` asks for: a period (by default the 30 calendar days before
// `to`, and `to` by default now), a scope, and whether to compare with the period before.
struct ReportRequest {
    std::optional<Timestamp> from, to;
    ReportScope scope;
    Timestamp now;
    bool compare = false;
};

// The report of a request from the store's facts (the query index), with the facts it
// read (a redaction of the rendered report needs them). Throws UsageError when the
// period is empty.
struct ReportRun {
    nlohmann::ordered_json report;
    StoreFacts facts;
};
ReportRun run_report(const Store& store, const ReportRequest& request);

// Mean, median and p90 (nearest rank) of a sample, each null when it is empty.
nlohmann::ordered_json summary_stats(std::vector<double> values);

} // namespace opsflow
