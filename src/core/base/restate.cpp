#include "opsflow/base/restate.hpp"

#include "opsflow/base/i18n.hpp"

#include <fmt/args.h>

namespace opsflow {

std::string restate(const std::string& text, const std::vector<MessageShape>& shapes) {
    std::smatch match;
    for (const auto& shape : shapes) {
        if (!std::regex_match(text, match, shape.pattern)) continue;
        fmt::dynamic_format_arg_store<fmt::format_context> args;
        for (std::size_t i = 1; i < match.size(); ++i)
            args.push_back(match[i].str());
        return fmt::vformat(translate(current_language(), shape.msgid), args);
    }
    return text;
}

} // namespace opsflow
