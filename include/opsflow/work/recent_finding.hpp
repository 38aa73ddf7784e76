#pragma once
// A finding of a report, by its ID (`recurring:mail:email`) and the period that report
// covered: what `improve new --finding` and `problem new --finding` start from. The
// finding is built again over that same period, so its figures are the ones read.
#include "opsflow/report/report.hpp"
#include "opsflow/store/change.hpp"

#include <optional>
#include <string>

namespace opsflow {

// The default period of a report, and so of a finding named without one: the 30 days
// before the change.
inline constexpr auto finding_span = std::chrono::hours(24 * 30);

// A finding as the operator names it: its ID and the period of the report it was
// read in (`--from`/`--to`, as `opsflow report` takes them).
struct FindingRef {
    std::string id;
    std::optional<Timestamp> from, to;
};

struct FoundFinding {
    Finding finding;
    ReportPeriod period;
};

// Built in the store's language, like what the store sends to others. Throws
// NotFoundError naming the findings there are; UsageError for a period that ends
// before it begins or after `at`.
FoundFinding find_finding(const Context& ctx, const StoreFacts& facts, const FindingRef& ref,
                          Timestamp at);

// What the finding observed, in its period, in the store's language, without advice or
// commands: "Report finding recurring:wifi:network (2026-11-30 to 2026-12-07): 5 network
// incidents on wifi."
std::string finding_statement(const Context& ctx, const FoundFinding& found);

} // namespace opsflow
