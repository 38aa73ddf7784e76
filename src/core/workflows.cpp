// The four record kinds' workflows (SPEC §4), as tables: everything that runs a
// verb, refuses one, or replays a history reads them from here. Status names and hints
// are marked N_ for the catalogue: they are English in records and translated when shown.
#include "opsflow/i18n.hpp"
#include "opsflow/workflow.hpp"

namespace opsflow {

namespace {

using K = Step::Kind;
using T = Requirement::Test;
using Statuses = std::vector<std::string_view>;

Step creates(Statuses to) {
    return {K::creates, {}, std::move(to), false};
}
// A verb that may run only from `from` and sets one of `to` (none: leaves the status).
Step from(Statuses from, Statuses to = {}) {
    return {K::governed, std::move(from), std::move(to), false};
}
// The same, but it may also leave the status as it is.
Step from_or_keep(Statuses from, Statuses to) {
    return {K::governed, std::move(from), std::move(to), true};
}

// Verbs every kind has that do not depend on the status.
void add_common_steps(std::map<std::string_view, Step>& steps) {
    // `merge`: the merge driver's account of a field it set afresh (merge.cpp).
    for (auto verb : {"note", "survey_sent", "survey_answered", "sla_warning", "merge"})
        steps.emplace(verb, Step{K::any, {}, {}, false});
}

Workflow with_common_steps(Workflow w) {
    add_common_steps(w.steps);
    // An import may begin a record in any status its old system had reached.
    w.steps.emplace("import", creates(w.statuses));
    return w;
}

Workflow incident_workflow() {
    return with_common_steps({
        {N_("new"), N_("assigned"), N_("diagnosing"), N_("resolved"), N_("verified"), N_("closed"),
         N_("on_hold"), N_("cancelled")},
        {{"new", Tone::waiting},
         {"assigned", Tone::active},
         {"diagnosing", Tone::active},
         {"resolved", Tone::done},
         {"verified", Tone::done},
         {"closed", Tone::ended},
         {"on_hold", Tone::paused},
         {"cancelled", Tone::ended}},
        {"closed", "cancelled"},
        {
            {"report", creates({"new"})},
            {"classify",
             from({"new", "assigned", "diagnosing", "resolved", "verified", "on_hold"})},
            {"assign", from_or_keep({"new", "assigned", "diagnosing"}, {"assigned"})},
            {"diagnose", from({"assigned", "diagnosing"}, {"diagnosing"})},
            {"fix", from({"assigned", "diagnosing"}, {"resolved"})},
            {"verify", from({"resolved"}, {"verified", "diagnosing"})},
            {"close", from({"verified"}, {"closed"})},
            {"hold", from({"new", "assigned", "diagnosing"}, {"on_hold"})},
            // Back to where it was before the hold.
            {"resume", from({"on_hold"}, {"new", "assigned", "diagnosing"})},
            {"cancel", from({"new", "assigned", "diagnosing", "on_hold"}, {"cancelled"})},
            {"reopen", from({"resolved", "verified", "closed"}, {"new", "assigned"})},
            // The reporter wrote again by email: told to the assignee, the status kept.
            {"reply", Step{K::any, {}, {}, false}},
        },
        {
            {"new", {"not yet assigned", "opsflow incident assign {id} --to PERSON"}},
            {"assigned", {"not yet resolved", "opsflow incident fix {id} --resolution TEXT"}},
            {"diagnosing", {"not yet resolved", "opsflow incident fix {id} --resolution TEXT"}},
            {"resolved", {"not yet verified", "opsflow incident verify {id} --passed"}},
            {"verified", {"verified and waiting to be closed", "opsflow incident close {id}"}},
            {"closed", {"already closed", "opsflow incident reopen {id} --reason TEXT"}},
            {"on_hold", {"on hold", "opsflow incident resume {id}"}},
            {"cancelled", {"cancelled, which is final", ""}},
        },
        {
            {"resume/*", {"not on hold", ""}},
            {"hold/on_hold", {"already on hold", ""}},
            {"reopen/new", {"still open", ""}},
            {"reopen/assigned", {"still open", ""}},
            {"reopen/diagnosing", {"still open", ""}},
            {"reopen/on_hold", {"still open", "opsflow incident resume {id}"}},
            {"cancel/resolved",
             {"already resolved; a resolved incident is verified and closed",
              "opsflow incident verify {id} --passed"}},
            {"cancel/verified", {"already verified", "opsflow incident close {id}"}},
        },
        {
            {{"closed"}, "cause", "a closed incident has no cause"},
            {{"closed"}, "resolution", "a closed incident has no resolution"},
            {{"closed"}, "feedback", "a closed incident has no feedback"},
            {{"closed"}, "verification", "a closed incident has no passed verification", T::passed},
        },
    });
}

Workflow maintenance_workflow() {
    const Statuses finished_maintenance = {"completed", "partial", "failed", "evaluated"};
    return with_common_steps({
        {N_("planned"), N_("notified"), N_("in_progress"), N_("completed"), N_("partial"),
         N_("failed"), N_("evaluated"), N_("cancelled")},
        {{"planned", Tone::waiting},
         {"notified", Tone::waiting},
         {"in_progress", Tone::active},
         {"completed", Tone::done},
         {"partial", Tone::done},
         {"failed", Tone::done},
         {"evaluated", Tone::ended},
         {"cancelled", Tone::ended}},
        {"evaluated", "cancelled"},
        {
            {"plan", creates({"planned"})},
            {"notify", from_or_keep({"planned", "notified"}, {"notified"})},
            {"start", from({"notified"}, {"in_progress"})},
            {"done", from({"in_progress"}, {"completed", "partial", "failed"})},
            {"evaluate", from({"completed", "partial", "failed"}, {"evaluated"})},
            // A new time after a notice needs a new notice: back to planned.
            {"reschedule", from_or_keep({"planned", "notified"}, {"planned"})},
            {"cancel", from({"planned", "notified"}, {"cancelled"})},
        },
        {
            {"planned", {N_("not yet announced"), "opsflow maint notify {id}"}},
            {"notified", {N_("announced and waiting to start"), "opsflow maint start {id}"}},
            {"in_progress", {N_("under way"), "opsflow maint done {id} --result completed"}},
            {"completed",
             {N_("done and waiting for its evaluation"),
              "opsflow maint evaluate {id} --rating 1-5"}},
            {"partial",
             {N_("done and waiting for its evaluation"),
              "opsflow maint evaluate {id} --rating 1-5"}},
            {"failed",
             {N_("done and waiting for its evaluation"),
              "opsflow maint evaluate {id} --rating 1-5"}},
            {"evaluated", {N_("finished"), ""}},
            {"cancelled", {N_("cancelled, which is final"), ""}},
        },
        {
            {"notify/in_progress", {N_("already under way"), ""}},
            {"reschedule/in_progress", {N_("already under way"), ""}},
            {"cancel/in_progress",
             {N_("already under way; record how it ended"),
              "opsflow maint done {id} --result failed"}},
        },
        {
            {{"completed"},
             "notices",
             "a completed maintenance has no notice to its users",
             T::not_empty},
            {{"partial"},
             "notices",
             "a partial maintenance has no notice to its users",
             T::not_empty},
            {{"failed"},
             "notices",
             "a failed maintenance has no notice to its users",
             T::not_empty},
            {{"evaluated"},
             "notices",
             "an evaluated maintenance has no notice to its users",
             T::not_empty},
            {finished_maintenance, "result", "a finished maintenance has no result"},
            {finished_maintenance, "notes", "a finished maintenance has no notes"},
        },
    });
}

Workflow ticket_workflow() {
    return with_common_steps({
        {N_("new"), N_("analyzing"), N_("answered"), N_("closed"), N_("escalated")},
        {{"new", Tone::waiting},
         {"analyzing", Tone::active},
         {"answered", Tone::done},
         {"closed", Tone::ended},
         {"escalated", Tone::ended}},
        {"closed", "escalated"},
        {
            {"receive", creates({"new"})},
            {"analyze", from({"new", "analyzing"}, {"analyzing"})},
            {"answer", from({"new", "analyzing"}, {"answered"})},
            {"close", from({"answered"}, {"closed"})},
            {"reopen", from({"answered", "closed"}, {"analyzing"})},
            {"escalate", from({"new", "analyzing", "answered"}, {"escalated"})},
            // The requester wrote again by email: an answered or closed ticket is looked
            // at again (SPEC §9); otherwise the status stays.
            {"reply",
             from_or_keep({"new", "analyzing", "answered", "closed", "escalated"}, {"analyzing"})},
        },
        {
            {"new", {"not yet answered", "opsflow ticket answer {id} --answer TEXT"}},
            {"analyzing", {"not yet answered", "opsflow ticket answer {id} --answer TEXT"}},
            {"answered", {"answered and waiting to be closed", "opsflow ticket close {id}"}},
            {"closed", {"already closed", "opsflow ticket reopen {id} --reason TEXT"}},
            {"escalated", {"escalated to an incident; follow the incident", ""}},
        },
        {
            {"reopen/new", {"still open", ""}},
            {"reopen/analyzing", {"still open", ""}},
            {"answer/answered", {"already answered", "opsflow ticket reopen {id} --reason TEXT"}},
        },
        {
            {{"answered"}, "answer", "an answered ticket has no answer"},
            {{"closed"}, "answer", "a closed ticket has no answer"},
        },
    });
}

Workflow improvement_workflow() {
    return with_common_steps({
        {N_("proposed"), N_("in_progress"), N_("implemented"), N_("evaluated"), N_("cancelled")},
        {{"proposed", Tone::waiting},
         {"in_progress", Tone::active},
         {"implemented", Tone::done},
         {"evaluated", Tone::ended},
         {"cancelled", Tone::ended}},
        {"evaluated", "cancelled"},
        {
            {"propose", creates({"proposed"})},
            {"start", from({"proposed"}, {"in_progress"})},
            {"done", from({"in_progress"}, {"implemented"})},
            {"evaluate", from({"implemented"}, {"evaluated"})},
        },
        {
            {"proposed", {"not yet started", "opsflow improve start {id}"}},
            {"in_progress", {"not yet implemented", "opsflow improve done {id}"}},
            {"implemented",
             {"implemented and waiting for its evaluation", "opsflow improve evaluate {id}"}},
            {"evaluated", {"already evaluated", ""}},
            {"cancelled", {"cancelled", ""}},
        },
        {},
        {
            {{"evaluated"}, "baseline", "an evaluated improvement has no baseline"},
            {{"evaluated"}, "evaluation", "an evaluated improvement has no result", T::not_empty},
        },
    });
}

} // namespace

const Workflow& workflow_of(RecordKind kind) {
    static const std::map<RecordKind, Workflow> workflows = {
        {RecordKind::incident, incident_workflow()},
        {RecordKind::maintenance, maintenance_workflow()},
        {RecordKind::ticket, ticket_workflow()},
        {RecordKind::improvement, improvement_workflow()},
    };
    return workflows.at(kind);
}

} // namespace opsflow
