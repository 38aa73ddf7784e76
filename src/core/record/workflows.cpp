// The record kinds' workflows (SPEC §4), as tables: everything that runs a
// verb, refuses one, or replays a history reads them from here. Status names, verbs and
// hints are marked N_ for the catalogue: they are English in records and translated when shown.
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/workflow.hpp"

#include <algorithm>

namespace opsflow {

namespace {

using K = Step::Kind;
using T = Requirement::Test;
using Statuses = std::vector<std::string_view>;
using Outcomes = std::map<std::string_view, std::string_view>;
using G = StatusGroup;

Step creates(Statuses to) {
    return {K::creates, {}, std::move(to), false, {}, {}};
}
// A verb that may run only from `from` and sets one of `to` (none: leaves the status).
Step from(Statuses from, Statuses to = {}) {
    return {K::governed, std::move(from), std::move(to), false, {}, {}};
}
// The same, where what happened picks the status: verify `passed` or `failed`.
Step from_by_outcome(Statuses from, Outcomes outcomes) {
    Statuses to;
    for (const auto& [outcome, status] : outcomes)
        if (std::find(to.begin(), to.end(), status) == to.end()) to.push_back(status);
    return {K::governed, std::move(from), std::move(to), false, std::move(outcomes), {}};
}
// A verb that may also leave the status as it is: it sets `to` only when run from one
// of `moves_from` (all of `from` when empty).
Step from_or_keep(Statuses from, Statuses to, Statuses moves_from = {}) {
    return {K::governed, std::move(from), std::move(to), true, {}, std::move(moves_from)};
}

// Verbs every kind has that do not depend on the status.
void add_common_steps(std::map<std::string_view, Step>& steps) {
    // `merge`: the merge driver's account of a field it set afresh (merge.cpp). `link`: a
    // record linked to a problem (a kind that governs `link` keeps its own step).
    for (auto verb : {N_("note"), N_("survey_sent"), N_("survey_answered"), N_("sla_warning"),
                      N_("merge"), N_("link")})
        steps.emplace(verb, Step{K::any, {}, {}, false, {}, {}});
}

Workflow with_common_steps(Workflow w) {
    add_common_steps(w.steps);
    // An import may begin a record in any status its old system had reached.
    w.steps.emplace(N_("import"), creates(w.statuses));
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
            {N_("report"), creates({"new"})},
            {N_("classify"),
             from({"new", "assigned", "diagnosing", "resolved", "verified", "on_hold"})},
            {N_("assign"), from_or_keep({"new", "assigned", "diagnosing"}, {"assigned"}, {"new"})},
            {N_("diagnose"), from({"assigned", "diagnosing"}, {"diagnosing"})},
            {N_("fix"), from({"assigned", "diagnosing"}, {"resolved"})},
            {N_("verify"),
             from_by_outcome({"resolved"}, {{"passed", "verified"}, {"failed", "diagnosing"}})},
            {N_("close"), from({"verified"}, {"closed"})},
            {N_("hold"), from({"new", "assigned", "diagnosing"}, {"on_hold"})},
            // Back to where it was before the hold.
            {N_("resume"), from({"on_hold"}, {"new", "assigned", "diagnosing"})},
            {N_("cancel"), from({"new", "assigned", "diagnosing", "on_hold"}, {"cancelled"})},
            // Back to its assignee, or to be assigned when it has none.
            {N_("reopen"), from_by_outcome({"resolved", "verified", "closed"},
                                           {{"unassigned", "new"}, {"assigned", "assigned"}})},
            // The reporter wrote again by email: told to the assignee, the status kept.
            {N_("reply"), Step{K::any, {}, {}, false, {}, {}}},
        },
        {
            {"new", {N_("not yet assigned"), "opsflow incident assign {id} --to PERSON"}},
            {"assigned", {N_("not yet resolved"), "opsflow incident fix {id} --resolution TEXT"}},
            {"diagnosing", {N_("not yet resolved"), "opsflow incident fix {id} --resolution TEXT"}},
            {"resolved", {N_("not yet verified"), "opsflow incident verify {id} --passed"}},
            {"verified", {N_("verified and waiting to be closed"), "opsflow incident close {id}"}},
            {"closed", {N_("already closed"), "opsflow incident reopen {id} --reason TEXT"}},
            {"on_hold", {N_("on hold"), "opsflow incident resume {id}"}},
            {"cancelled", {N_("cancelled, which is final"), ""}},
        },
        {
            {"resume/*", {N_("not on hold"), ""}},
            {"hold/on_hold", {N_("already on hold"), ""}},
            {"reopen/new", {N_("still open"), ""}},
            {"reopen/assigned", {N_("still open"), ""}},
            {"reopen/diagnosing", {N_("still open"), ""}},
            {"reopen/on_hold", {N_("still open"), "opsflow incident resume {id}"}},
            {"cancel/resolved",
             {N_("already resolved; a resolved incident is verified and closed"),
              "opsflow incident verify {id} --passed"}},
            {"cancel/verified", {N_("already verified"), "opsflow incident close {id}"}},
        },
        {
            {{"closed"}, "cause", N_("a closed incident has no cause")},
            {{"closed"}, "resolution", N_("a closed incident has no resolution")},
            {{"closed"}, "feedback", N_("a closed incident has no feedback")},
            {{"closed"},
             "verification",
             N_("a closed incident has no passed verification"),
             T::passed},
        },
        {
            {G::unresolved, {"new", "assigned", "diagnosing", "on_hold"}},
            {G::surveyable, {"closed"}},
            {G::cancelled, {"cancelled"}},
            {G::settled, {"closed"}},
        },
    });
}

// A window, or a series of them (`recurrence`): a series is planned and announced once;
// each occurrence is then its own record (`series`, `occurrence`), begun or skipped, and
// goes on like a window (SPEC §12).
Workflow maintenance_workflow() {
    const Statuses finished_maintenance = {"completed", "partial", "failed", "evaluated"};
    const Statuses announced_or_finished = {"notified", "completed", "partial", "failed",
                                            "evaluated"};
    auto announced = [](Statuses statuses, std::string_view message) {
        // An occurrence is announced by its series' notice.
        return Requirement{std::move(statuses), "notices", message, T::not_empty, "series"};
    };
    return with_common_steps({
        {N_("planned"), N_("notified"), N_("in_progress"), N_("completed"), N_("partial"),
         N_("failed"), N_("evaluated"), N_("skipped"), N_("cancelled")},
        {{"planned", Tone::waiting},
         {"notified", Tone::waiting},
         {"in_progress", Tone::active},
         {"completed", Tone::done},
         {"partial", Tone::done},
         {"failed", Tone::done},
         {"evaluated", Tone::ended},
         {"skipped", Tone::ended},
         {"cancelled", Tone::ended}},
        {"evaluated", "skipped", "cancelled"},
        {
            {N_("plan"), creates({"planned"})},
            // An occurrence of a series begun, or skipped: the record of that occurrence.
            {N_("begin"), creates({"in_progress"})},
            {N_("skip"), creates({"skipped"})},
            {N_("notify"), from_or_keep({"planned", "notified"}, {"notified"})},
            {N_("start"), from({"notified"}, {"in_progress"})},
            {N_("done"), from({"in_progress"}, {"completed", "partial", "failed"})},
            {N_("evaluate"), from({"completed", "partial", "failed"}, {"evaluated"})},
            {N_("task"), from({"in_progress"})},
            // A new time after a notice needs a new notice: back to planned.
            {N_("reschedule"), from_or_keep({"planned", "notified"}, {"planned"}, {"notified"})},
            {N_("cancel"), from({"planned", "notified"}, {"cancelled"})},
        },
        {
            {"planned", {N_("not yet announced"), "opsflow maint notify {id}"}},
            {"notified", {N_("announced and waiting to start"), "opsflow maint start {id}"}},
            {"in_progress",
             {N_("under way"), "opsflow maint done {id} --result completed --notes TEXT"}},
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
            {"skipped", {N_("skipped, which is final"), ""}},
            {"cancelled", {N_("cancelled, which is final"), ""}},
        },
        {
            {"notify/in_progress", {N_("already under way"), ""}},
            {"reschedule/in_progress", {N_("already under way"), ""}},
            {"cancel/in_progress",
             {N_("already under way; record how it ended"),
              "opsflow maint done {id} --result failed --notes TEXT"}},
        },
        {
            announced({"completed"}, N_("a completed maintenance has no notice to its users")),
            announced({"partial"}, N_("a partial maintenance has no notice to its users")),
            announced({"failed"}, N_("a failed maintenance has no notice to its users")),
            announced({"evaluated"}, N_("an evaluated maintenance has no notice to its users")),
            {finished_maintenance, "result", N_("a finished maintenance has no result")},
            {finished_maintenance, "notes", N_("a finished maintenance has no notes")},
            {{"skipped"}, "skip_reason", N_("a skipped occurrence has no reason")},
        },
        {{G::cancelled, {"cancelled"}},
         {G::recurring, announced_or_finished},
         {G::skipped, {"skipped"}}},
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
            {N_("receive"), creates({"new"})},
            {N_("analyze"), from({"new", "analyzing"}, {"analyzing"})},
            {N_("answer"), from({"new", "analyzing"}, {"answered"})},
            {N_("close"), from({"answered"}, {"closed"})},
            {N_("reopen"), from({"answered", "closed"}, {"analyzing"})},
            {N_("escalate"), from({"new", "analyzing", "answered"}, {"escalated"})},
            // The requester wrote again by email: an answered or closed ticket is looked
            // at again (SPEC §9); otherwise the status stays.
            {N_("reply"), from_or_keep({"new", "analyzing", "answered", "closed", "escalated"},
                                       {"analyzing"}, {"answered", "closed"})},
        },
        {
            {"new", {N_("not yet answered"), "opsflow ticket answer {id} --answer TEXT"}},
            {"analyzing", {N_("not yet answered"), "opsflow ticket answer {id} --answer TEXT"}},
            {"answered", {N_("answered and waiting to be closed"), "opsflow ticket close {id}"}},
            {"closed", {N_("already closed"), "opsflow ticket reopen {id} --reason TEXT"}},
            {"escalated", {N_("escalated to an incident; follow the incident"), ""}},
        },
        {
            {"reopen/new", {N_("still open"), ""}},
            {"reopen/analyzing", {N_("still open"), ""}},
            {"answer/answered",
             {N_("already answered"), "opsflow ticket reopen {id} --reason TEXT"}},
        },
        {
            {{"answered"}, "answer", N_("an answered ticket has no answer")},
            {{"closed"}, "answer", N_("a closed ticket has no answer")},
        },
        {{G::surveyable, {"answered", "closed"}}, {G::settled, {"answered", "closed"}}},
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
            {N_("propose"), creates({"proposed"})},
            {N_("start"), from({"proposed"}, {"in_progress"})},
            {N_("done"), from({"in_progress"}, {"implemented"})},
            {N_("evaluate"), from({"implemented"}, {"evaluated"})},
            // Called off before it is implemented; an implemented one is measured instead.
            {N_("cancel"), from({"proposed", "in_progress"}, {"cancelled"})},
        },
        {
            {"proposed", {N_("not yet started"), "opsflow improve start {id}"}},
            {"in_progress", {N_("not yet implemented"), "opsflow improve done {id}"}},
            {"implemented",
             {N_("implemented and waiting for its evaluation"), "opsflow improve evaluate {id}"}},
            {"evaluated", {N_("already evaluated"), ""}},
            {"cancelled", {N_("cancelled"), ""}},
        },
        {
            {"cancel/implemented",
             {N_("already implemented; measure what it did instead"),
              "opsflow improve evaluate {id}"}},
        },
        {
            {{"evaluated"}, "baseline", N_("an evaluated improvement has no baseline")},
            {{"evaluated"},
             "evaluation",
             N_("an evaluated improvement has no result"),
             T::not_empty},
        },
        {{G::cancelled, {"cancelled"}}},
    });
}

// Problem management (SPEC §11): the cause behind incidents, found, worked around, fixed.
Workflow problem_workflow() {
    const Statuses unfixed = {"open", "investigating", "known_error"};
    return with_common_steps({
        {N_("open"), N_("investigating"), N_("known_error"), N_("resolved"), N_("closed"),
         N_("cancelled")},
        {{"open", Tone::waiting},
         {"investigating", Tone::active},
         {"known_error", Tone::active},
         {"resolved", Tone::done},
         {"closed", Tone::ended},
         {"cancelled", Tone::ended}},
        {"closed", "cancelled"},
        {
            {N_("identify"), creates({"open"})},
            // An incident linked to it: the status stays (a closed problem takes none).
            {N_("link"), from({"open", "investigating", "known_error", "resolved"})},
            {N_("investigate"), from({"open"}, {"investigating"})},
            // Its cause and workaround found, or said again better.
            {N_("known_error"), from_or_keep(unfixed, {"known_error"}, {"open", "investigating"})},
            {N_("resolve"), from(unfixed, {"resolved"})},
            {N_("close"), from({"resolved"}, {"closed"})},
            {N_("cancel"), from(unfixed, {"cancelled"})},
        },
        {
            {"open", {N_("not yet investigated"), "opsflow problem investigate {id}"}},
            {"investigating",
             {N_("its cause is not yet known"),
              "opsflow problem known-error {id} --cause TEXT --workaround TEXT"}},
            {"known_error",
             {N_("a known error, not yet fixed"), "opsflow problem resolve {id} --fix TEXT"}},
            {"resolved", {N_("fixed and waiting to be closed"), "opsflow problem close {id}"}},
            {"closed", {N_("already closed"), ""}},
            {"cancelled", {N_("cancelled, which is final"), ""}},
        },
        {
            {"investigate/investigating", {N_("already under investigation"), ""}},
            {"investigate/known_error", {N_("already a known error"), ""}},
        },
        {
            {{"known_error"}, "cause", N_("a known error has no cause")},
            {{"known_error"}, "workaround", N_("a known error has no workaround")},
            {{"resolved", "closed"}, "fix", N_("a resolved problem has no fix")},
        },
        {{G::known, {"known_error"}}, {G::cancelled, {"cancelled"}}},
    });
}

// Knowledge articles for user support (SPEC §11): written, published, retired.
Workflow article_workflow() {
    return with_common_steps({
        {N_("draft"), N_("published"), N_("retired")},
        {{"draft", Tone::waiting}, {"published", Tone::done}, {"retired", Tone::ended}},
        {"retired"},
        {
            {N_("write"), creates({"draft"})},
            {N_("publish"), from({"draft"}, {"published"})},
            {N_("retire"), from({"draft", "published"}, {"retired"})},
        },
        {
            {"draft", {N_("a draft, not yet published"), "opsflow article publish {id}"}},
            {"published", {N_("already published"), "opsflow article retire {id}"}},
            {"retired", {N_("retired, which is final"), ""}},
        },
        {},
        {
            {{"published"}, "body", N_("a published article has no text")},
        },
        {{G::published, {"published"}}},
    });
}

} // namespace

const Workflow& workflow_of(RecordKind kind) {
    static const std::map<RecordKind, Workflow> workflows = {
        {RecordKind::incident, incident_workflow()},
        {RecordKind::maintenance, maintenance_workflow()},
        {RecordKind::ticket, ticket_workflow()},
        {RecordKind::improvement, improvement_workflow()},
        {RecordKind::problem, problem_workflow()},
        {RecordKind::article, article_workflow()},
    };
    return workflows.at(kind);
}

} // namespace opsflow
