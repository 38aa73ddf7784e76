#include "opsflow/record/incident_sla.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <fmt/format.h>

namespace opsflow {

IncidentTimeline incident_timeline(const Record& incident) {
    IncidentTimeline t;
    t.reported = parse_rfc3339(incident.field("reported_at")).value_or(Timestamp{});
    std::optional<Timestamp> last_fix, verified_fix;
    for (const auto& event : incident.events().items()) {
        auto at = parse_rfc3339(event.get("at").value_or(""));
        if (!at) continue;
        auto action = event.get("action").value_or("");
        if (action == "assign" && !t.first_assign) t.first_assign = at;
        if (action == "fix") last_fix = at;
        if (action == "verify") {
            if (event.get("result") == "passed")
                verified_fix = last_fix;
            else
                ++t.failed_verifications;
        }
        if (action == "hold") t.holds.push_back({*at, Timestamp::max()});
        bool ends_hold = action == "resume" || action == "cancel";
        if (ends_hold && !t.holds.empty() && t.holds.back().end == Timestamp::max())
            t.holds.back().end = *at;
    }
    t.resolution = verified_fix ? verified_fix : last_fix;
    return t;
}

std::string matrix_priority(const Settings& settings, const std::string& impact,
                            const std::string& urgency) {
    auto row = settings.priority_matrix.find(impact);
    if (row == settings.priority_matrix.end() || !row->second.contains(urgency))
        throw InvalidDataError(
            tr("opsflow.yaml: priority_matrix has no entry for impact '{}', urgency '{}'", impact,
               urgency));
    return row->second.at(urgency);
}

std::string derived_priority(const Record& incident, const Settings& settings) {
    const Node* setter = nullptr;
    for (const auto& event : incident.events().items())
        if (event.is_map() && event.find("priority")) setter = &event;
    if (setter && setter->find("reason")) return setter->get("priority").value_or("");
    return matrix_priority(settings, incident.field("impact"), incident.field("urgency"));
}

namespace {

// The deadline of one step on `target`'s clock, counting only the holds before the
// step was reached: time on hold after the response does not move the response
// deadline, only the ones still running.
std::optional<Timestamp> step_deadline(const IncidentTimeline& timeline,
                                       const std::optional<Timestamp>& reached,
                                       const SlaTarget& target, const Duration& allowed,
                                       const Settings& settings) {
    std::vector<Interval> holds = timeline.holds;
    if (reached) {
        std::erase_if(holds, [&](const Interval& h) { return h.begin >= *reached; });
        for (auto& h : holds)
            h.end = std::min(h.end, *reached);
    }
    ClockContext ctx{target.clock, &settings.calendar, settings.zone, holds};
    auto deadline = add_counted_time(timeline.reported, allowed, ctx);
    if (deadline == Timestamp::max()) return std::nullopt;
    return deadline;
}

} // namespace

SlaDeadlines sla_deadlines(const IncidentTimeline& timeline, const std::string& priority,
                           const Settings& settings) {
    SlaDeadlines d;
    auto target = settings.sla.find(priority);
    if (target == settings.sla.end()) return d;
    d.respond_by = step_deadline(timeline, timeline.first_assign, target->second,
                                 target->second.respond, settings);
    d.resolve_by = step_deadline(timeline, timeline.resolution, target->second,
                                 target->second.resolve, settings);
    return d;
}

void refresh_sla_deadlines(Record& incident, const Settings& settings) {
    auto deadlines =
        sla_deadlines(incident_timeline(incident), incident.field("priority"), settings);
    Node sla = Node::map();
    if (deadlines.respond_by)
        sla.set("respond_by", Node::string(format_rfc3339(*deadlines.respond_by, settings.zone)));
    if (deadlines.resolve_by)
        sla.set("resolve_by", Node::string(format_rfc3339(*deadlines.resolve_by, settings.zone)));
    if (sla.entries().empty())
        incident.doc().erase("sla");
    else
        incident.doc().set("sla", std::move(sla));
}

} // namespace opsflow
