#include "opsflow/record/workflow.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace opsflow {

namespace {

bool contains(const std::vector<std::string_view>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

std::string quoted_list(const std::vector<std::string_view>& list) {
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i)
        out += fmt::format("{}'{}'",
                           i == 0                 ? ""
                           : i + 1 == list.size() ? tr(" or ")
                                                  : tr(", "),
                           list[i]);
    return out;
}

} // namespace

std::vector<std::string> as_strings(const std::vector<std::string_view>& names) {
    return {names.begin(), names.end()};
}

bool Workflow::governs(std::string_view verb) const {
    auto it = steps.find(verb);
    return it != steps.end() && it->second.kind == Step::Kind::governed;
}

bool Workflow::allows(std::string_view verb, std::string_view status) const {
    return !governs(verb) || contains(steps.at(verb).from, status);
}

const std::vector<std::string_view>& Workflow::targets(std::string_view verb) const {
    return steps.at(verb).to;
}

std::string_view Workflow::target(std::string_view verb, std::string_view outcome) const {
    const Step& step = steps.at(verb);
    if (outcome.empty()) {
        if (step.to.size() != 1)
            throw std::logic_error(
                fmt::format("'{}' sets one of several statuses: name one", verb));
        return step.to.front();
    }
    if (auto it = step.outcomes.find(outcome); it != step.outcomes.end()) return it->second;
    if (contains(step.to, outcome)) return outcome;
    throw std::logic_error(fmt::format("'{}' cannot set the status '{}'", verb, outcome));
}

bool Workflow::moves(std::string_view verb, std::string_view status) const {
    auto it = steps.find(verb);
    if (it == steps.end() || it->second.to.empty()) return false;
    const Step& step = it->second;
    return !step.may_keep || step.moves_from.empty() || contains(step.moves_from, status);
}

std::string_view Workflow::initial_status() const {
    // The first of the statuses a creating verb begins in: a maintenance is planned (an
    // occurrence of a series begins under way, as the series' own later step).
    for (auto status : statuses)
        for (const auto& [verb, step] : steps)
            if (step.kind == Step::Kind::creates && verb != "import" && contains(step.to, status))
                return status;
    throw std::logic_error("a workflow without a creating verb");
}

bool Workflow::in(StatusGroup group, std::string_view status) const {
    auto it = groups.find(group);
    return it != groups.end() && contains(it->second, status);
}

bool Workflow::is_open(std::string_view status) const {
    return !contains(final_statuses, status);
}

void Workflow::require(const Record& record, std::string_view verb) const {
    const std::string status = record.status();
    if (allows(verb, status)) return;
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
    // TRANSLATORS: {0} is the command's verb (assign), {1} the record's ID, {2} its status.
    std::string message = tr("cannot {0} {1}: it is '{2}'", tr(verb), record.id(), tr(status));
    if (!hint.phrase.empty()) message += tr(", {}", tr(hint.phrase));
    if (!command.empty()) message += tr(" (run: {})", command);
    throw RefusedError(message);
}

std::vector<HistoryProblem> check_event_times(const Node& events) {
    std::vector<HistoryProblem> problems;
    if (!events.is_sequence()) return problems;
    std::optional<Timestamp> previous;
    for (std::size_t i = 0; i < events.items().size(); ++i) {
        const Node& event = events.items()[i];
        const Node* at = event.is_map() ? event.find("at") : nullptr;
        auto when = at && at->is_scalar() ? parse_rfc3339(at->text()) : std::nullopt;
        if (!when) {
            problems.push_back({HistoryProblem::Cause::invalid_time, i, "at",
                                tr("event {} has no valid time", i + 1)});
            continue;
        }
        if (previous && *when < *previous)
            problems.push_back({HistoryProblem::Cause::time_order, i, "at",
                                tr("event {} ({}) is earlier than the event before it", i + 1,
                                   event.get("action").value_or("?"))});
        previous = when;
    }
    return problems;
}

std::map<std::string, ReplayedField> replayed_fields(const Record& record) {
    const auto& fields = record_fields(record.kind());
    std::map<std::string, ReplayedField> replayed;
    for (const auto& event : record.events().items()) {
        if (!event.is_map()) continue;
        for (const auto& [key, value] : event.entries()) {
            if (key == "at" || key == "by" || key == "action" || key == "events" ||
                std::find(fields.begin(), fields.end(), key) == fields.end())
                continue;
            replayed[key] = {&value, event.get("action").value_or("?")};
        }
    }
    return replayed;
}

Replay replay_workflow(const Record& record) {
    const Workflow& workflow = workflow_of(record.kind());
    Replay replay;
    const auto& events = record.events().items();
    for (std::size_t i = 0; i < events.size(); ++i) {
        const Node& event = events[i];
        if (!event.is_map()) continue; // the schema reports it
        const std::string verb = event.get("action").value_or("");
        const Node* set = event.find("status");
        const std::string to = set && set->is_scalar() ? set->text() : "";
        auto problem = [&](std::string key, std::string message) {
            replay.problems.push_back({HistoryProblem::Cause::workflow, i, std::move(key),
                                       tr("event {} ('{}' at {}): {}", i + 1, verb,
                                          event.get("at").value_or("?"), std::move(message))});
        };
        auto it = workflow.steps.find(verb);
        const Step* step = it == workflow.steps.end() ? nullptr : &it->second;
        const bool first = i == 0;
        if (first != (step && step->kind == Step::Kind::creates)) {
            problem("action", first ? tr("a record's history begins with the event that creates it")
                                    : tr("only the first event can create the record"));
            if (!to.empty()) replay.status = to;
            continue;
        }
        if (step && step->kind == Step::Kind::governed && !contains(step->from, replay.status))
            problem("action", tr("the workflow does not allow {} when it is '{}' "
                                 "(only when it is {})",
                                 verb, replay.status, quoted_list(step->from)));
        if (!to.empty()) {
            bool allowed =
                step && (contains(step->to, to) || (step->may_keep && to == replay.status));
            if (!allowed)
                problem("status",
                        step && !step->to.empty()
                            ? tr("{} cannot make it '{}', only {}", verb, to, quoted_list(step->to))
                            : tr("{} does not change the status", verb));
            replay.status = to;
        } else if (step && !step->to.empty() && !step->may_keep) {
            problem("status", tr("it does not record the status {} set", verb));
        }
    }
    return replay;
}

} // namespace opsflow
