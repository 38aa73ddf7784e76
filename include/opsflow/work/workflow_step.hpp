#pragma once
// One workflow step as one change of one record: the one path every verb takes.
#include "opsflow/record/workflow.hpp"
#include "opsflow/store/change.hpp"

#include <functional>
#include <optional>

namespace opsflow {

// Fills the step's event and the record; returns what happened, for the message
// and the commit (a notice attached to it goes with the change).
using StepApply = std::function<ChangeSummary(Record&, Node& event, Timestamp when)>;
// Runs after the event is appended: deadlines that follow from it, a further event
// (a survey request after a close).
using StepAfter = std::function<void(Record&, ChangeSummary&)>;

// When a step happens: `--at` or now, checked against the record's history (exit 2
// when it is earlier than the last event), or a time already decided (a message's
// arrival, never earlier than the record's last event).
struct StepTime {
    std::optional<Timestamp> at;
    bool decided = false;
    static StepTime given(std::optional<Timestamp> at) { return {at, false}; }
    static StepTime exactly(Timestamp when) { return {when, true}; }
};

// The step on a record in memory: checks that `verb` may run on it (when its kind's
// workflow governs it), makes the event, lets `apply` fill the event and the record,
// checks the status it set against the table, appends the event, then runs `after`.
// For a change of several records at once (a batch, a mail message); the others
// below write and commit the one record.
ChangeSummary step_record(const Context& ctx, Record& r, std::string_view verb, StepTime time,
                          const StepApply& apply, const StepAfter& after = {});

// step_record on the stored record, which is then written and committed.
Change apply_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                  std::optional<Timestamp> at, const StepApply& apply, const StepAfter& after = {});

// The same step on a copy of the record, which is returned and never written: a
// dry run sees what the step would do, refusals included.
Record preview_step(Context& ctx, RecordKind kind, std::string_view id, std::string_view verb,
                    std::optional<Timestamp> at, const StepApply& apply,
                    const StepAfter& after = {});

// A note in a record's history (`note` of every kind): its text, the status kept.
Change note_record(Context& ctx, RecordKind kind, std::string_view id, const std::string& text,
                   std::optional<Timestamp> at);

// Sets the status the event's verb moves the record to, as its kind's table says (the
// verb's only target, or the one `outcome` picks), on the record and the event. A verb
// that may keep the status sets it only from the statuses its table moves it from.
// Returns whether it set one. Where in the event the status goes is the verb's choice
// (it is written in the order it was set), so a verb calls this where it always has.
bool enter_status(Record& r, Node& event, std::string_view outcome = {});

} // namespace opsflow
