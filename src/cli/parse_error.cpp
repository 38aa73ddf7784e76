#include "parse_error.hpp"

#include "opsflow/base/i18n.hpp"
#include "opsflow/base/restate.hpp"

namespace opsflow::cli {

namespace {

// The shapes of CLI11's messages (CLI11 2.1, CLI/Error.hpp and CLI/Validators.hpp).
const std::vector<MessageShape>& shapes() {
    static const std::vector<MessageShape> table = [] {
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
        std::vector<MessageShape> shapes;
        for (const auto& [pattern, msgid] : rows)
            shapes.push_back({std::regex(pattern), msgid});
        return shapes;
    }();
    return table;
}

} // namespace

std::string parse_error_text(const CLI::ParseError& error) {
    return restate(error.what(), shapes());
}

} // namespace opsflow::cli
