#pragma once
// What reports need from each record, in a compact form: computed once from the
// record's events (and kept in the query index), never from the YAML at report time.
#include "opsflow/record.hpp"
#include "opsflow/settings.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsflow {

struct SurveyFacts {
    std::optional<Timestamp> sent;
    std::optional<int> score;
    std::optional<Timestamp> answered;
};

struct IncidentFacts {
    std::string id, title, status, priority, service, category, channel, assignee, impact, urgency,
        reporter;
    Timestamp reported{};
    std::optional<Timestamp> first_assign, first_diagnose, resolution, verified;
    std::optional<Timestamp> respond_by, resolve_by; // on the priority's clock, holds excluded
    std::vector<Interval> holds;
    int verifications = 0;
    int failed_verifications = 0;
    bool warned_respond = false; // an sla_warning event for the stage exists
    bool warned_resolve = false;
    SurveyFacts survey;
};

struct TicketFacts {
    std::string id, status, service, category;
    Timestamp received{};
    std::optional<Timestamp> answered;
    bool escalated = false;
    SurveyFacts survey;
};

struct MaintenanceFacts {
    std::string id, title, status, result;
    std::vector<std::string> services;
    Timestamp start{}, end{};
    std::optional<Timestamp> actual_end;
    std::optional<Timestamp> first_announce;
    bool late_notice = false;
};

IncidentFacts incident_facts(const Record& incident, const Settings& settings);
TicketFacts ticket_facts(const Record& ticket);
MaintenanceFacts maintenance_facts(const Record& window);

// Every fact of a store, for one report run.
struct StoreFacts {
    std::vector<IncidentFacts> incidents;
    std::vector<TicketFacts> tickets;
    std::vector<MaintenanceFacts> maintenance;
    std::vector<std::string> problems; // records that could not be read
};

} // namespace opsflow
