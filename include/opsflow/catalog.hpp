#pragma once
// Checks that a service, category or person named on the command line is one
// the store knows, with a "did you mean" for a near miss.
#include "opsflow/store.hpp"

#include <string>
#include <vector>

namespace opsflow {

// Levenshtein distance, for suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Throws InvalidDataError (exit 5) if `value` is not in `known`, listing the known
// values and the closest one. An empty `known` list accepts anything.
void require_known(const std::string& what, const std::string& value,
                   const std::vector<std::string>& known);

void require_service(const Store& store, const std::string& service);
void require_category(const Store& store, const std::string& category);
void require_person(const Store& store, const std::string& person);

} // namespace opsflow
