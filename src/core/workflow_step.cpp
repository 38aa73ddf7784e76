#include "opsflow/workflow_step.hpp"

namespace opsflow {

Change apply_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                  std::optional<Timestamp> at,
                  const std::function<ChangeSummary(Record&, Node& event, Timestamp when)>& apply,
                  const std::function<void(Record&)>& after) {
    const Workflow& workflow = workflow_of(kind);
    return modify_record(ctx, kind, id, [&](Record& r) {
        workflow.require(r, verb);
        Timestamp when = resolve_event_time(ctx, at, r.last_event_time());
        Node event = make_event(ctx, when, verb);
        ChangeSummary summary = apply(r, event, when);
        summary.verb = std::string(verb);
        r.append_event(std::move(event));
        if (after) after(r);
        return summary;
    });
}

} // namespace opsflow
