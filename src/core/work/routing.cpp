#include "opsflow/work/routing.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/store/query.hpp"

#include <fmt/format.h>
#include <limits>

namespace opsflow {

std::map<std::string, int> open_incidents_by_assignee(const Store& store) {
    // From the query index: a team's choice must not read every incident of the store.
    std::map<std::string, int> counts;
    for (const auto& incident :
         load_facts(store, {RecordKind::incident}, FactsScope::open).incidents)
        if (!incident.assignee.empty() &&
            workflow_of(RecordKind::incident).is_open(incident.status))
            ++counts[std::string(incident.assignee)];
    return counts;
}

std::string route_incident(const Store& store, const std::string& category,
                           const std::string& service) {
    for (const auto& rule : store.settings().routing) {
        if (rule.category && *rule.category != category) continue;
        if (rule.service && *rule.service != service) continue;
        if (!rule.assign.starts_with("team:")) {
            if (store.team().find(rule.assign) || store.team().people.empty()) return rule.assign;
            throw RefusedError(
                tr("routing rule assigns to '{}', who is not in team.yaml", rule.assign));
        }
        std::string team = rule.assign.substr(5);
        auto it = store.team().teams.find(team);
        if (it == store.team().teams.end() || it->second.empty())
            throw RefusedError(
                tr("routing rule assigns to team '{}', which team.yaml does not list", team));
        auto load = open_incidents_by_assignee(store);
        std::string best;
        int best_load = std::numeric_limits<int>::max();
        for (const auto& member : it->second) {
            int n = load.contains(member) ? load.at(member) : 0;
            if (n < best_load) best = member, best_load = n;
        }
        return best;
    }
    throw RefusedError(tr("no routing rule matches category '{}' and service '{}'; assign "
                          "by hand (--to PERSON) or add a rule "
                          "under routing: in opsflow.yaml",
                          category.empty() ? "-" : category, service.empty() ? "-" : service));
}

} // namespace opsflow
