#pragma once
// One workflow step as one change of one record.
#include "opsflow/store.hpp"
#include "opsflow/workflow.hpp"

#include <functional>
#include <optional>

namespace opsflow {

// Checks that `verb` may run on the record (when its kind's workflow governs it),
// makes the event at `at` (checked against the record's history), lets `apply`
// fill the event and the record, appends the event, then runs `after` (which sees
// the record with its new event).
Change apply_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                  std::optional<Timestamp> at,
                  const std::function<ChangeSummary(Record&, Node& event, Timestamp when)>& apply,
                  const std::function<void(Record&)>& after = {});

} // namespace opsflow
