#include "opsflow/incident_sla.hpp"

#include "opsflow/error.hpp"

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
            fmt::format("opsflow.yaml: priority_matrix has no entry for impact '{}', "
                        "urgency '{}'",
                        impact, urgency));
    return row->second.at(urgency);
}

std::string derived_priority(const Record& incident, const Settings& settings) {
    const Node* setter = nullptr;
    for (const auto& event : incident.events().items())
        if (event.is_map() && event.find("priority")) setter = &event;
    if (setter && setter->find("reason")) return setter->get("priority").value_or("");
    return matrix_priority(settings, incident.field("impact"), incident.field("urgency"));
}

SlaDeadlines sla_deadlines(const IncidentTimeline& timeline, const std::string& priority,
                           const Settings& settings) {
    SlaDeadlines d;
    auto target = settings.sla.find(priority);
    if (target == settings.sla.end()) return d;
    ClockContext ctx{target->second.clock, &settings.calendar, settings.zone, timeline.holds};
    auto respond = add_counted_time(timeline.reported, target->second.respond, ctx);
    auto resolve = add_counted_time(timeline.reported, target->second.resolve, ctx);
    if (respond != Timestamp::max()) d.respond_by = respond;
    if (resolve != Timestamp::max()) d.resolve_by = resolve;
    return d;
}

void refresh_sla_deadlines(Record& incident, const Settings& settings) {
    auto deadlines =
        sla_deadlines(incident_timeline(incident), incident.field("priority"), settings);
    Node* sla = incident.doc().find("sla");
    if (!sla) sla = &incident.doc().set("sla", Node::map());
    if (deadlines.respond_by)
        sla->set("respond_by", Node::string(format_rfc3339(*deadlines.respond_by, settings.zone)));
    if (deadlines.resolve_by)
        sla->set("resolve_by", Node::string(format_rfc3339(*deadlines.resolve_by, settings.zone)));
}

} // namespace opsflow
