#pragma once
// Problem management (SPEC §11): the cause behind incidents. A problem is opened
// (from incidents or a report finding), investigated, recorded as a known error with
// its cause and workaround (offered to every new incident like it), resolved by a fix,
// closed. The incidents it explains are linked on both records in one commit.
#include "opsflow/store/change.hpp"
#include "opsflow/work/recent_finding.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsflow {

struct NewProblem {
    std::string title;
    std::vector<std::string> incidents; // IDs or prefixes, linked both ways
    std::optional<FindingRef> finding;  // a finding of a report
    std::optional<std::string> service;
    std::optional<std::string> category;
    std::optional<std::string> owner;
    std::optional<std::string> description;
    std::optional<Timestamp> at;
};

Change open_problem(Context& ctx, const NewProblem& request);
// Links an incident to the problem: the problem lists it in `incidents`, the incident
// names it in `problem`. Refused for an incident linked to another problem.
Change link_problem(Context& ctx, std::string_view id, std::string_view incident,
                    std::optional<Timestamp> at);
Change investigate_problem(Context& ctx, std::string_view id, std::optional<Timestamp> at);
Change record_known_error(Context& ctx, std::string_view id, const std::string& cause,
                          const std::string& workaround, std::optional<Timestamp> at);
// `via`: the maintenance window or improvement that carried the fix (linked).
Change resolve_problem(Context& ctx, std::string_view id, const std::string& fix,
                       const std::optional<std::string>& via, std::optional<Timestamp> at);
Change close_problem(Context& ctx, std::string_view id, std::optional<Timestamp> at);
Change cancel_problem(Context& ctx, std::string_view id, const std::string& reason,
                      std::optional<Timestamp> at);

std::vector<Record> list_problems(const Store& store, const std::vector<std::string>& statuses,
                                  std::vector<std::string>& problems);

} // namespace opsflow
