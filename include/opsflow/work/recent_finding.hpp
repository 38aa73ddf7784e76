#pragma once
// A finding of the report of the last 30 days, by its ID (`recurring:mail:email`): what
// `improve new --finding` and `problem new --finding` start from.
#include "opsflow/report/report.hpp"
#include "opsflow/store/change.hpp"

#include <string>

namespace opsflow {

// The span of the report a finding is looked up in: the 30 days before the change.
inline constexpr auto finding_span = std::chrono::hours(24 * 30);

// Built in the store's language, like what the store sends to others. Throws
// NotFoundError naming the findings there are.
Finding recent_finding(const Context& ctx, const StoreFacts& facts, const std::string& id,
                       Timestamp at);

} // namespace opsflow
