#include "opsflow/work/workflow_step.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

namespace opsflow {

namespace {

// A governed verb that must change the status and did not, or set one its table does
// not name, is a bug in the verb: caught here, before anything is written, rather
// than by `check` on the next run.
void require_table_status(const Workflow& workflow, std::string_view verb, const Node& event) {
    if (!workflow.governs(verb)) return;
    const Step& step = workflow.steps.at(verb);
    auto set = event.get("status");
    if (!set) {
        // One that may keep the status decides from what happened too (an auto-reply
        // does not reopen a ticket).
        if (!step.to.empty() && !step.may_keep)
            throw std::logic_error(
                fmt::format("'{}' did not set the status its table names", verb));
        return;
    }
    if (std::find(step.to.begin(), step.to.end(), *set) == step.to.end())
        throw std::logic_error(
            fmt::format("'{}' set '{}', which its table does not name", verb, *set));
}

} // namespace

ChangeSummary step_record(const Context& ctx, Record& r, std::string_view verb, StepTime time,
                          const StepApply& apply, const StepAfter& after) {
    const Workflow& workflow = workflow_of(r.kind());
    workflow.require(r, verb);
    Timestamp when =
        time.decided ? *time.at : resolve_event_time(ctx, time.at, r.last_event_time());
    Node event = make_event(ctx, when, verb);
    ChangeSummary summary = apply(r, event, when);
    require_table_status(workflow, verb, event);
    summary.verb = std::string(verb);
    r.append_event(std::move(event));
    if (after) after(r, summary);
    return summary;
}

Change apply_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                  std::optional<Timestamp> at, const StepApply& apply, const StepAfter& after) {
    return modify_record(ctx, kind, id, [&](Record& r) {
        return step_record(ctx, r, verb, StepTime::given(at), apply, after);
    });
}

Record preview_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                    std::optional<Timestamp> at, const StepApply& apply, const StepAfter& after) {
    Record r = ctx.store.load(kind, ctx.store.locate(kind, id));
    step_record(ctx, r, verb, StepTime::given(at), apply, after);
    return r;
}

Change note_record(Context& ctx, RecordKind kind, std::string_view id, const std::string& text,
                   std::optional<Timestamp> at) {
    if (text.empty()) throw UsageError(tr("the note must not be empty"));
    return apply_step(ctx, kind, id, "note", at, [&](Record&, Node& event, Timestamp) {
        event.set("text", Node::string(text));
        return ChangeSummary{"note", phrase("note added")};
    });
}

bool enter_status(Record& r, Node& event, std::string_view outcome) {
    const Workflow& workflow = workflow_of(r.kind());
    const std::string verb = event.get("action").value_or("");
    if (outcome.empty() && !workflow.moves(verb, r.status())) return false;
    set_field(r, event, "status", Node::string(std::string(workflow.target(verb, outcome))));
    return true;
}

} // namespace opsflow
