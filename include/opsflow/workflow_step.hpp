#pragma once
// One workflow step as one change of one record: the one path every verb takes.
#include "opsflow/store.hpp"
#include "opsflow/workflow.hpp"

#include <functional>
#include <optional>

namespace opsflow {

// Fills the step's event and the record; returns what happened, for the message
// and the commit (a notice attached to it goes with the change).
using StepApply = std::function<ChangeSummary(Record&, Node& event, Timestamp when)>;
// Runs after the event is appended: deadlines that follow from it, a further event
// (a survey request after a close).
using StepAfter = std::function<void(Record&, ChangeSummary&)>;

// Checks that `verb` may run on the record (when its kind's workflow governs it),
// makes the event at `at` (checked against the record's history), lets `apply`
// fill the event and the record, appends the event, then runs `after`; writes and
// commits the record.
Change apply_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                  std::optional<Timestamp> at, const StepApply& apply, const StepAfter& after = {});

// The same step on a copy of the record, which is returned and never written: a
// dry run sees what the step would do, refusals included.
Record preview_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                    std::optional<Timestamp> at, const StepApply& apply,
                    const StepAfter& after = {});

} // namespace opsflow
