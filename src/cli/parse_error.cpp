#include "parse_error.hpp"

#include "opsflow/i18n.hpp"

#include <fmt/args.h>
#include <regex>

namespace opsflow::cli {

namespace {

// One shape of CLI11 message (CLI11 2.1, CLI/Error.hpp and CLI/Validators.hpp) and the
// catalogue message that says it; the pattern's groups fill the placeholders in order.
struct Shape {
    std::regex pattern;
    std::string_view msgid;
};

const std::vector<Shape>& shapes() {
    static const std::vector<Shape> table = [] {
        std::vector<std::pair<const char*, std::string_view>> rows = {
            {"A subcommand is required", N_("A subcommand is required")},
            {"(.+) is required", N_("{} is required")},
            {"The following argument was not expected: (.*)",
             N_("The following argument was not expected: {}")},
            {"The following arguments were not expected: (.*)",
             N_("The following arguments were not expected: {}")},
            {"(.+) excludes (.+)", N_("{} excludes {}")},
            {"(.+) requires (.+)", N_("{} requires {}")},
            {"(.+): 1 required (.+) missing", N_("{} needs a value ({})")},
            // TRANSLATORS: {{ and }} are literal braces around the list of allowed values.
            {"(.+): (.*) not in \\{(.*)\\}", N_("{}: {} not in {{{}}}")},
            {"(.+): Value (.*) not in range (.+) to (.+)", N_("{}: {} is not between {} and {}")},
            {"(.+): Failed parsing (.*) as a (.+)", N_("{}: '{}' is not a valid {}")},
            {"Could not convert: (.+) = (.*)", N_("{}: cannot read '{}'")},
        };
        std::vector<Shape> shapes;
        for (const auto& [pattern, msgid] : rows)
            shapes.push_back({std::regex(pattern), msgid});
        return shapes;
    }();
    return table;
}

} // namespace

std::string parse_error_text(const CLI::ParseError& error) {
    const std::string text = error.what();
    std::smatch match;
    for (const auto& shape : shapes()) {
        if (!std::regex_match(text, match, shape.pattern)) continue;
        fmt::dynamic_format_arg_store<fmt::format_context> args;
        for (std::size_t i = 1; i < match.size(); ++i)
            args.push_back(match[i].str());
        return fmt::vformat(translate(current_language(), shape.msgid), args);
    }
    return text;
}

} // namespace opsflow::cli
