#pragma once
// A record kind's state machine as data: which statuses each verb may start
// from, and for a refusal, what the current status is waiting for and which
// command moves it on (SPEC §4).
#include "opsflow/record.hpp"
#include "opsflow/store.hpp"

#include <map>
#include <string_view>
#include <vector>

namespace opsflow {

struct StepHint {
    std::string_view phrase;  // "not yet verified"
    std::string_view command; // "opsflow incident verify {id} --passed"; empty: no next step
};

struct Workflow {
    std::map<std::string_view, std::vector<std::string_view>> allowed_from; // verb -> statuses
    std::map<std::string_view, StepHint> status_hints;                      // status -> hint
    std::map<std::string_view, StepHint> verb_hints; // `verb/status` or `verb/*`

    // Throws RefusedError (exit 4) unless `verb` may run on the record's status:
    // `cannot close INC-3f9a1c2e: it is 'resolved', not yet verified (run: ...)`.
    void require(const Record& record, std::string_view verb) const;
    bool governs(std::string_view verb) const { return allowed_from.contains(verb); }
};

// One workflow step as one change of one record: checks that `verb` may run (when the
// workflow governs it), makes the event at `at` (checked against the record's history),
// lets `apply` fill the event and the record, appends the event, then runs `after`
// (which sees the record with its new event).
Change apply_step(Context& ctx, RecordKind kind, const Workflow& workflow, std::string_view id,
                  std::string_view verb, std::optional<Timestamp> at,
                  const std::function<ChangeSummary(Record&, Node& event, Timestamp when)>& apply,
                  const std::function<void(Record&)>& after = {});

} // namespace opsflow
