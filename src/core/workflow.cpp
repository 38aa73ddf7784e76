#include "opsflow/workflow.hpp"

#include "opsflow/error.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace opsflow {

void Workflow::require(const Record& record, std::string_view verb) const {
    const std::string status = record.status();
    const auto& from = allowed_from.at(verb);
    if (std::find(from.begin(), from.end(), status) != from.end()) return;
    auto it = verb_hints.find(fmt::format("{}/{}", verb, status));
    if (it == verb_hints.end()) it = verb_hints.find(fmt::format("{}/*", verb));
    StepHint hint{"", ""};
    if (it != verb_hints.end())
        hint = it->second;
    else if (auto s = status_hints.find(status); s != status_hints.end())
        hint = s->second;
    std::string command(hint.command);
    if (auto pos = command.find("{id}"); pos != std::string::npos)
        command.replace(pos, 4, record.id());
    throw RefusedError(fmt::format("cannot {} {}: it is '{}'{}{}", verb, record.id(), status,
                                   hint.phrase.empty() ? "" : ", " + std::string(hint.phrase),
                                   command.empty() ? "" : fmt::format(" (run: {})", command)));
}

} // namespace opsflow
