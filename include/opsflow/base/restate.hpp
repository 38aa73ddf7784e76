#pragma once
// Messages that libraries write in English (CLI11's parse errors, valijson's validation
// errors), said again in the operator's language (opsflow/i18n.hpp): each known shape of
// message is a pattern and the catalogue message that says the same.
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

struct MessageShape {
    std::regex pattern;     // matches a whole message; its groups are the variable parts
    std::string_view msgid; // marked N_ for the catalogue; {} per group, in order
};

// `text` said again by the first shape that matches it whole, in the current language;
// text that no shape matches is returned as it is.
std::string restate(const std::string& text, const std::vector<MessageShape>& shapes);

} // namespace opsflow
