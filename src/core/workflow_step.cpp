#include "opsflow/workflow_step.hpp"

namespace opsflow {

namespace {

ChangeSummary run_step(Context& ctx, Record& r, std::string_view verb, std::optional<Timestamp> at,
                       const StepApply& apply, const StepAfter& after) {
    workflow_of(r.kind()).require(r, verb);
    Timestamp when = resolve_event_time(ctx, at, r.last_event_time());
    Node event = make_event(ctx, when, verb);
    ChangeSummary summary = apply(r, event, when);
    summary.verb = std::string(verb);
    r.append_event(std::move(event));
    if (after) after(r, summary);
    return summary;
}

} // namespace

Change apply_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                  std::optional<Timestamp> at, const StepApply& apply, const StepAfter& after) {
    return modify_record(ctx, kind, id,
                         [&](Record& r) { return run_step(ctx, r, verb, at, apply, after); });
}

Record preview_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                    std::optional<Timestamp> at, const StepApply& apply, const StepAfter& after) {
    Record r = ctx.store.load(kind, ctx.store.locate(kind, id));
    run_step(ctx, r, verb, at, apply, after);
    return r;
}

} // namespace opsflow
