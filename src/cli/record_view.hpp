#pragma once
// How records look on a terminal, in CSV and in JSON.
#include "opsflow/record/facts.hpp"
#include "opsflow/record/record.hpp"
#include "opsflow/store/store.hpp"
#include "opsflow/work/maintenance.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace opsflow::cli {

nlohmann::ordered_json record_json(const Record& record);
std::string render_incident(const Record& incident, const Store& store, bool color);
std::string render_events(const Record& record, const Store& store, bool color);
// format: table, csv or json
// A JSON array of whole records.
std::string render_records_json(const std::vector<Record>& records);
// format: table or csv, from the query index.
std::string render_incident_list(const std::vector<IncidentFacts>& incidents, const Store& store,
                                 const std::string& format, bool color);

std::string render_maintenance(const Record& window, const Store& store, bool color);
// format: table or json
std::string render_maintenance_list(const std::vector<Record>& windows, const Store& store,
                                    const std::string& format, bool color);
std::string render_occurrences(const std::vector<Occurrence>& occurrences, const Store& store,
                               bool json);

std::string render_ticket(const Record& ticket, const Store& store, bool color);
std::string render_ticket_list(const std::vector<Record>& tickets, const Store& store,
                               const std::string& format, bool color);

std::string render_problem(const Record& problem, const Store& store, bool color);
std::string render_article(const Record& article, const Store& store, bool color);

} // namespace opsflow::cli
