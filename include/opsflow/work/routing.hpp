#pragma once
// Routing rules (SPEC §4): the first rule that matches an incident's category
// and/or service names a person, or a team whose least-loaded member is chosen.
#include "opsflow/store/store.hpp"

#include <map>
#include <string>

namespace opsflow {

// Throws RefusedError if no rule matches, or the rule names nobody known.
std::string route_incident(const Store& store, const std::string& category,
                           const std::string& service);

// Open incidents per assignee. Reads only the top-level `status:` and `assignee:`
// lines of each file, which the canonical writer always puts at the start of a line.
std::map<std::string, int> open_incidents_by_assignee(const Store& store);

} // namespace opsflow
