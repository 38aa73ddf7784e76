#pragma once
// Service optimisation (SPEC §1 steps 4.3-4.5): an improvement plan with a goal
// on one metric, implemented and then evaluated against measured figures.
#include "opsflow/report/report.hpp"
#include "opsflow/store/change.hpp"
#include "opsflow/work/evaluation.hpp"
#include "opsflow/work/recent_finding.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsflow {

struct NewImprovement {
    std::string title;
    std::optional<std::string> metric; // required unless a finding names one
    std::string target;                // `<=240`, `>=95`, `-20%`, `+10%`
    std::optional<std::string> problem;
    std::optional<std::string> plan;
    ReportScope scope;
    std::optional<std::string> owner;
    std::optional<FindingRef> finding; // a finding of a report
    std::optional<Timestamp> at;
};

// Records the baseline: the metric for the scope over the 30 days before creation, or
// over the period of the report whose finding it starts from.
Change propose_improvement(Context& ctx, const NewImprovement& request);
Change start_improvement(Context& ctx, std::string_view id, std::optional<Timestamp> at);
// Records it implemented, with the standards changes committed since it started, or
// those of `standards` (`REV..REV`).
Change finish_improvement(Context& ctx, std::string_view id,
                          const std::optional<std::string>& notes,
                          const std::optional<std::string>& standards, std::optional<Timestamp> at);

// Called off before it is implemented, with the reason (SPEC §12).
Change cancel_improvement(Context& ctx, std::string_view id, const std::string& reason,
                          std::optional<Timestamp> at);

// The metric over the window before `done_at` and the equal window after it (a count as
// a rate per 30 days); refuses (exit 4) before the after-window has ended unless partial
// evaluation is allowed, and then compares equal spans and never judges the target.
Change evaluate_improvement(Context& ctx, std::string_view id, const Duration& window,
                            EvaluationTiming timing, std::optional<Timestamp> at);

std::vector<Record> list_improvements(const Store& store, const std::vector<std::string>& statuses,
                                      std::vector<std::string>& problems);

// Whether `after` meets `target` given `before`; nothing when a value is missing.
std::optional<bool> target_met(const std::string& target, std::optional<double> before,
                               std::optional<double> after);

} // namespace opsflow
