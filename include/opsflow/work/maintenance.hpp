#pragma once
// Scheduled maintenance (SPEC §1 steps 2.1-2.5): plan a window, notify the
// affected users with a calendar invitation, carry it out, record and evaluate.
#include "opsflow/notice/notify.hpp"
#include "opsflow/store/change.hpp"
#include "opsflow/work/evaluation.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsflow {

enum class ConflictPolicy { warn, refuse };

struct MaintenancePlan {
    std::string title;
    Timestamp start;
    // The local time typed for the start (typed_local_time), if it was typed as one: a
    // series typed in a DST gap repeats at the time typed (RFC 5545), not an hour later.
    std::optional<date::local_seconds> start_typed;
    Timestamp end;
    std::vector<std::string> services;
    std::optional<std::string> owner;
    std::optional<std::string> recurrence; // an RRULE
    std::optional<std::string> description;
    std::optional<std::string> impact;
    std::vector<std::string> tasks;
    ConflictPolicy conflicts = ConflictPolicy::warn;
    std::optional<Timestamp> at;
};

struct PlanResult {
    Change change;
    std::vector<std::string> conflicts; // one line per overlapping window
};

PlanResult plan_maintenance(Context& ctx, const MaintenancePlan& plan);

enum class NoticeTiming { on_time_only, allow_late };
enum class RunMode { real, dry_run };

struct NotifyRequest {
    std::vector<std::string> extra_recipients;
    NoticeTiming timing = NoticeTiming::on_time_only;
    RunMode mode = RunMode::real;
    std::optional<Timestamp> at;
};

struct NotifyResult {
    std::string id;
    std::string message;                     // the MIME text (what --dry-run prints)
    std::optional<DeliveryOutcome> delivery; // none for a dry run
    bool retried = false;                    // a failed delivery was retried, no new notice
};

NotifyResult notify_maintenance(Context& ctx, std::string_view id, const NotifyRequest& request);
Change start_maintenance(Context& ctx, std::string_view id, std::optional<Timestamp> at);
Change finish_maintenance(Context& ctx, std::string_view id, const std::string& result,
                          const std::optional<std::string>& notes, std::optional<Timestamp> at);

struct MaintenanceEvaluation {
    int rating = 0; // 1 to 5
    std::optional<std::string> notes;
    Duration window{30, 0}; // the spans compared before and after
    EvaluationTiming timing = EvaluationTiming::complete_windows;
    std::vector<Measure> measures; // --measure
};
// Rates incidents per 30 days on its services before the start and after the end, in
// equal spans; refused (exit 4) before the end plus the window unless partial.
Change evaluate_maintenance(Context& ctx, std::string_view id, const MaintenanceEvaluation& request,
                            std::optional<Timestamp> at);
// `start_typed` as in MaintenancePlan.
Change reschedule_maintenance(Context& ctx, std::string_view id, Timestamp start, Timestamp end,
                              std::optional<Timestamp> at,
                              std::optional<date::local_seconds> start_typed = std::nullopt);
// Cancels; a window whose notice went out gets a cancellation (METHOD:CANCEL), delivered.
NotifyResult cancel_maintenance(Context& ctx, std::string_view id, const std::string& reason,
                                std::optional<Timestamp> at);
Change note_maintenance(Context& ctx, std::string_view id, const std::string& text,
                        std::optional<Timestamp> at);

struct MaintenanceFilter {
    std::vector<std::string> statuses;
    std::optional<std::string> service;
    std::optional<Timestamp> since; // windows starting at or after
    std::optional<Timestamp> until; // windows starting before
};

std::vector<Record> list_maintenance(const Store& store, const MaintenanceFilter& filter,
                                     std::vector<std::string>& problems);

struct Occurrence {
    Timestamp start;
    Timestamp end;
    const Record* window;
};

// The occurrences of non-cancelled windows in [from, to), in time order: all of
// them, up to `per_window` of each window (`cut_short` names the windows that had
// more, with the start of the last one listed).
struct Upcoming {
    std::vector<Occurrence> occurrences;
    std::vector<std::pair<const Record*, Timestamp>> cut_short;
};
inline constexpr std::size_t max_listed_occurrences = 10000;
Upcoming upcoming_occurrences(const std::vector<Record>& windows, const Store& store,
                              Timestamp from, Timestamp to,
                              std::size_t per_window = max_listed_occurrences);

// Every window as one iCalendar feed (METHOD:PUBLISH).
std::string maintenance_calendar(const Store& store, Timestamp now);

} // namespace opsflow
