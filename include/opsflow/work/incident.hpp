#pragma once
// The incident process (SPEC §1 steps 1.1-1.7, §4): every verb checks the
// workflow, appends an event and updates the current-state fields.
#include "opsflow/notice/notify.hpp"
#include "opsflow/record/facts.hpp"
#include "opsflow/store/change.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsflow {

// Classification given on the command line; unset fields stay as they are.
struct Classification {
    std::optional<std::string> service;
    std::optional<std::string> category;
    std::optional<std::string> impact;
    std::optional<std::string> urgency;
    std::optional<std::string> priority; // an override of the matrix: needs `reason`
    std::optional<std::string> reason;
};

enum class AssignMode { none, person, automatic };

struct NewIncident {
    std::string title;
    Classification classification;
    std::optional<std::string> reporter; // default: the operator
    std::string channel = "other";
    std::optional<std::string> description;
    AssignMode assign_mode = AssignMode::none;
    std::string assignee;
    std::optional<Timestamp> at;
};

enum class VerifyResult { passed, failed };
enum class NoticeMode { send, suppress };

Change report_incident(Context& ctx, const NewIncident& request);

// A new incident's record, with its `report` event and, when asked, its first
// assignment: what `incident new` and a ticket's escalation both write. `on_report`
// may add to the report event. The request is taken as checked.
struct ReportedIncident {
    Record record;
    Phrase message; // "reported", or "assigned to lisi"
};
ReportedIncident build_incident(const Context& ctx, const std::string& id,
                                const NewIncident& request, Timestamp at,
                                const std::function<void(Node& event)>& on_report = {});
Change classify_incident(Context& ctx, std::string_view id, const Classification& c,
                         std::optional<Timestamp> at);
// `assignee` is ignored with AssignMode::automatic (routing rules decide).
Change assign_incident(Context& ctx, std::string_view id, AssignMode mode,
                       const std::string& assignee, const std::optional<std::string>& note,
                       std::optional<Timestamp> at);
Change diagnose_incident(Context& ctx, std::string_view id, const std::string& cause,
                         std::optional<Timestamp> at);
Change fix_incident(Context& ctx, std::string_view id, const std::string& resolution,
                    const std::optional<std::string>& cause, std::optional<Timestamp> at);
Change verify_incident(Context& ctx, std::string_view id, VerifyResult result,
                       const std::optional<std::string>& note, std::optional<Timestamp> at);
// Closes; the feedback goes to the reporter (unless suppressed) and, with
// survey.auto_send, a survey request too.
NoticeRun close_incident(Context& ctx, std::string_view id,
                         const std::optional<std::string>& feedback, NoticeMode mode,
                         std::optional<Timestamp> at);
Change hold_incident(Context& ctx, std::string_view id, const std::string& reason,
                     std::optional<Timestamp> at);
Change resume_incident(Context& ctx, std::string_view id, const std::optional<std::string>& note,
                       std::optional<Timestamp> at);
Change cancel_incident(Context& ctx, std::string_view id, const std::string& reason,
                       const std::optional<std::string>& duplicate_of, std::optional<Timestamp> at);
Change reopen_incident(Context& ctx, std::string_view id, const std::string& reason,
                       std::optional<Timestamp> at);
Change note_incident(Context& ctx, std::string_view id, const std::string& text,
                     std::optional<Timestamp> at);

struct IncidentFilter {
    std::vector<std::string> statuses;
    std::vector<std::string> priorities;
    std::optional<std::string> service;
    std::optional<std::string> category;
    std::optional<std::string> assignee;
    std::optional<Timestamp> since; // reported at or after
    std::optional<Timestamp> until; // reported before
    bool open_only = false;
};

// The facts (from the query index) of the incidents matching `filter`, oldest first.
std::vector<IncidentFacts> filter_incidents(std::vector<IncidentFacts> incidents,
                                            const IncidentFilter& filter);

// The facts of the store's incidents that match `filter` (from the query index),
// oldest first, with the problems of records that could not be read.
StoreFacts select_incidents(const Store& store, const IncidentFilter& filter);

// Incidents matching `filter`, oldest report first, each turned into text by
// `render` (on every core; it must be safe to call from several threads) and the
// texts handed to `emit` in order: chosen from the query index, then only those
// records are read, a slice at a time. Records that cannot be read are reported
// through `problems` (file:line: message) and skipped.
void list_incidents(const Store& store, const IncidentFilter& filter,
                    const std::function<std::string(const Record&)>& render,
                    const std::function<void(std::string&&)>& emit,
                    std::vector<std::string>& problems);

} // namespace opsflow
