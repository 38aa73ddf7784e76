#include "opsflow/workflow.hpp"

#include "opsflow/error.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace opsflow {

void Workflow::require(const Record& record, std::string_view verb) const {
    const std::string status = record.status();
    const auto& from = allowed_from.at(verb);
    if (std::find(from.begin(), from.end(), status) != from.end()) return;
    auto it = verb_hints.find(fmt::format("{}/{}", verb, status));
    if (it == verb_hints.end()) it = verb_hints.find(fmt::format("{}/*", verb));
    StepHint hint{"", ""};
    if (it != verb_hints.end())
        hint = it->second;
    else if (auto s = status_hints.find(status); s != status_hints.end())
        hint = s->second;
    std::string command(hint.command);
    if (auto pos = command.find("{id}"); pos != std::string::npos)
        command.replace(pos, 4, record.id());
    throw RefusedError(fmt::format("cannot {} {}: it is '{}'{}{}", verb, record.id(), status,
                                   hint.phrase.empty() ? "" : ", " + std::string(hint.phrase),
                                   command.empty() ? "" : fmt::format(" (run: {})", command)));
}

Change apply_step(Context& ctx, RecordKind kind, const Workflow& workflow, std::string_view id,
                  std::string_view verb, std::optional<Timestamp> at,
                  const std::function<ChangeSummary(Record&, Node& event, Timestamp when)>& apply,
                  const std::function<void(Record&)>& after) {
    return modify_record(ctx, kind, id, [&](Record& r) {
        if (workflow.governs(verb)) workflow.require(r, verb);
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
