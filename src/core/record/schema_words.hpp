#pragma once
// The words of schema validation messages in the operator's language (core-internal):
// valijson's own, and the `description`s of schemas/*.json that messages quote.
#include <string>

namespace opsflow {

// valijson's message in the current language: the English stays valijson's, a
// translation says the same; a message not known here is returned as it is.
std::string from_valijson(const std::string& description);

} // namespace opsflow
