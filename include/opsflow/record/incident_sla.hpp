#pragma once
// What the events of an incident say about its SLA: when it was reported,
// assigned, resolved, and the time it spent on hold.
#include "opsflow/record/record.hpp"
#include "opsflow/record/settings.hpp"

#include <optional>
#include <vector>

namespace opsflow {

struct IncidentTimeline {
    Timestamp reported;
    std::optional<Timestamp> first_assign;
    // The last fix followed by a passed verification, or the last fix if not yet verified.
    std::optional<Timestamp> resolution;
    std::vector<Interval> holds; // an open hold ends at Timestamp::max()
    int failed_verifications = 0;
};

IncidentTimeline incident_timeline(const Record& incident);

struct SlaDeadlines {
    std::optional<Timestamp> respond_by; // none while the clock is stopped on hold
    std::optional<Timestamp> resolve_by;
};

SlaDeadlines sla_deadlines(const IncidentTimeline& timeline, const std::string& priority,
                           const Settings& settings);

// Writes `sla.respond_by` and `sla.resolve_by` from the events. A deadline whose clock
// is stopped (on hold before its step was reached) has no time yet: it is left out
// until the incident resumes, in the record as in every list and report.
void refresh_sla_deadlines(Record& incident, const Settings& settings);

// The priority the matrix gives for an impact and urgency.
std::string matrix_priority(const Settings& settings, const std::string& impact,
                            const std::string& urgency);

// The priority an incident must have: the one its last priority-setting event gave
// with a reason (an override), else the matrix's for its impact and urgency.
// Throws InvalidDataError if the matrix has no entry for them.
std::string derived_priority(const Record& incident, const Settings& settings);

} // namespace opsflow
