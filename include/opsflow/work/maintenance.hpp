#pragma once
// Scheduled maintenance (SPEC §1 steps 2.1-2.5): plan a window, notify the
// affected users with a calendar invitation, carry it out, record and evaluate.
#include "opsflow/notice/notify.hpp"
#include "opsflow/record/facts.hpp"
#include "opsflow/store/change.hpp"
#include "opsflow/work/evaluation.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsflow {

enum class ConflictPolicy { warn, refuse };

// Which occurrence of a series a verb acts on (`--occurrence`): the first on the store's
// calendar day of `at` when `whole_day`, else the one whose window holds `at`.
struct OccurrenceRef {
    Timestamp at;
    bool whole_day = false;
};

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

// The ID of the record of a series' occurrence starting at `start`: derived from both,
// the same at every site.
std::string occurrence_id(std::string_view series_id, Timestamp start);

// `maint start`: a window; or an occurrence of a series, whose record it begins (the
// one `occurrence` names, or else the one under way at the time of the change or the next
// one not recorded yet).
Change start_maintenance(Context& ctx, std::string_view id,
                         const std::optional<OccurrenceRef>& occurrence,
                         std::optional<Timestamp> at);
// Skips one occurrence of a series, with the reason, as a record of its own; once the
// series was announced, its recipients get the update (METHOD:CANCEL for that instance).
NotifyResult skip_occurrence(Context& ctx, std::string_view id, const OccurrenceRef& occurrence,
                             const std::string& reason, std::optional<Timestamp> at);
// The record a verb (`done`, `evaluate`, `task`) on `id` acts on: `id` for a window or
// an occurrence; for a series, the occurrence `occurrence` names, or the only one waiting
// for the verb (UsageError when several are: name one).
std::string acting_window(const Store& store, std::string_view id, std::string_view verb,
                          const std::optional<OccurrenceRef>& occurrence);

// An occurrence of a series as `maint show` lists it: its record, if it has one (the
// series itself for a first occurrence recorded before occurrences had records).
struct SeriesEntry {
    Timestamp start, end;
    std::string id, status, result; // empty: no record (due and not recorded)
};
// The series' occurrences up to `now` and those recorded after it, in time order.
std::vector<SeriesEntry> series_history(const Store& store, const Record& series, Timestamp now);
// The starts of a series' skipped occurrences (its invitation's EXDATEs).
std::vector<Timestamp> skipped_occurrences(const StoreFacts& facts, std::string_view series);
struct MaintenanceFinish {
    std::string result; // completed, partial or failed
    std::optional<std::string> notes;
    std::optional<std::string> skip_tasks; // why steps were left unticked
    std::optional<std::string> docs;       // what else changed in the documentation
    std::optional<OccurrenceRef> occurrence;
};
// Records how the work ended; appends a dated entry to each affected service's document
// (services.yaml `docs:`) in the same commit. Refused (exit 4) without notes, or with
// unticked task steps unless `skip_tasks` says why.
Change finish_maintenance(Context& ctx, std::string_view id, const MaintenanceFinish& request,
                          std::optional<Timestamp> at);
// Ticks task step `step` (from 1) of the window, or of the series' occurrence under way.
Change tick_task(Context& ctx, std::string_view id, const std::optional<OccurrenceRef>& occurrence,
                 std::size_t step, const std::optional<std::string>& note,
                 std::optional<Timestamp> at);
// The maintenance document of a service (services.yaml `docs:`), relative to the store
// root; empty if it names none.
std::string service_docs_path(const Store& store, const std::string& service);

// `opsflow docs SERVICE`: the document and its history from git, newest first.
struct DocsChange {
    std::string date, commit, author, subject;
};
struct ServiceDocs {
    std::string path; // relative to the store root
    bool exists = false;
    std::vector<DocsChange> history;
};
// Throws NotFoundError for an unknown service, NotFoundError too when it names no document.
ServiceDocs service_docs(const Store& store, const std::string& service);

struct MaintenanceEvaluation {
    int rating = 0; // 1 to 5
    std::optional<std::string> notes;
    Duration window{30, 0}; // the spans compared before and after
    EvaluationTiming timing = EvaluationTiming::complete_windows;
    std::vector<Measure> measures; // --measure
    std::optional<OccurrenceRef> occurrence;
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
    // The record of this occurrence of a series, once it is begun or skipped, and its
    // status; else the window's own.
    std::string id, status;
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
