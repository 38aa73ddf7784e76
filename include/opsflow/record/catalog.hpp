#pragma once
// Checks that a service, category or person named on the command line is one
// the store knows, with a "did you mean" for a near miss.
#include "opsflow/record/settings.hpp"

#include <string>
#include <vector>

namespace opsflow {

// Levenshtein distance, for suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Throws InvalidDataError (exit 5) if `value` is not in `known`, listing the known
// values and the closest one. An empty `known` list accepts anything.
void require_known(const std::string& what, const std::string& value,
                   const std::vector<std::string>& known);

// Against what the store's settings files list (services.yaml, opsflow.yaml, team.yaml).
void require_service(const ServiceCatalog& services, const std::string& service);
void require_category(const Settings& settings, const std::string& category);
void require_person(const Team& team, const std::string& person);

} // namespace opsflow
