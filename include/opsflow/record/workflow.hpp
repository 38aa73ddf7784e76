#pragma once
// A record kind's state machine as data (SPEC §4): its statuses, which statuses
// each verb may start from and which it may leave, and for a refusal, what the
// current status is waiting for and which command moves it on. The verbs obey
// it when they run; `check` and the merge driver replay a history through it.
#include "opsflow/record/record.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

struct StepHint {
    std::string_view phrase;  // "not yet verified"
    std::string_view command; // "opsflow incident verify {id} --passed"; empty: no next step
};

// What one verb (an event's `action`) does to the status.
struct Step {
    enum class Kind {
        creates,  // the first event of a record: `to` holds the statuses it may begin in
        governed, // may run only from `from`
        any,      // may run whatever the status (a note, a survey); never changes it
    };
    Kind kind = Kind::governed;
    std::vector<std::string_view> from;
    // The statuses it may set; empty: it leaves the status alone.
    std::vector<std::string_view> to;
    // Whether it may also leave the status as it is (assign on an assigned incident).
    bool may_keep = false;
    // Where `to` holds several statuses: the outcome that picks each (verify's `passed`
    // sets `verified`). An outcome may also be one of `to` itself (maintenance `done`).
    std::map<std::string_view, std::string_view> outcomes = {};
    // For a step that may keep the status: the statuses it moves from to its target (an
    // incident is `assigned` when assigned from `new`; from `diagnosing` it stays).
    std::vector<std::string_view> moves_from = {};
};

// Statuses the code asks about by what they mean, named in the table so that no verb
// or report spells them.
enum class StatusGroup {
    unresolved, // an incident's resolution clock still runs (sla watch)
    surveyable, // the user may be asked how it went (a closed incident, an answered ticket)
    cancelled,  // called off (the calendar, the report's maintenance results)
    settled,    // what fixed it is known and confirmed: offered as a similar record
    known,      // a known error: its cause and workaround are offered to a matching incident
    published,  // an article its audience reads (a ticket may be answered with it)
    recurring,  // a maintenance series whose occurrences may be carried out (SPEC §12)
    skipped,    // an occurrence of a series that was not carried out: not in its calendar
};

// A field that a record must hold once it reaches one of `statuses` (SPEC §1: a
// closed incident records its cause and what the user was told...). `check` reports
// each one missing with `message`.
struct Requirement {
    enum class Test {
        present,   // a value that is not empty
        not_empty, // a list or map with something in it
        passed,    // a map whose `result` is `passed`
    };
    std::vector<std::string_view> statuses;
    std::string_view field;
    std::string_view message; // "a closed incident has no feedback"
    Test test = Test::present;
    // A record holding this field need not hold `field` (an occurrence of a maintenance
    // series is announced by its series' notice).
    std::string_view unless = {};
};

// What a status means to someone scanning a list (the CLI colours by it).
enum class Tone { waiting, active, done, paused, ended };

struct Workflow {
    std::vector<std::string_view> statuses;
    std::map<std::string_view, Tone> tones;            // status -> tone
    std::vector<std::string_view> final_statuses;      // closed, cancelled...: no longer open
    std::map<std::string_view, Step> steps;            // verb -> step
    std::map<std::string_view, StepHint> status_hints; // status -> hint
    std::map<std::string_view, StepHint> verb_hints;   // `verb/status` or `verb/*`
    std::vector<Requirement> requirements;
    std::map<StatusGroup, std::vector<std::string_view>> groups;

    // Throws RefusedError (exit 4) unless `verb` may run on the record's status:
    // `cannot close INC-3f9a1c2e: it is 'resolved', not yet verified (run: ...)`.
    void require(const Record& record, std::string_view verb) const;
    bool governs(std::string_view verb) const;
    // Whether `verb` may run when a record is `status` (a verb the workflow does not
    // govern always may).
    bool allows(std::string_view verb, std::string_view status) const;
    bool is_open(std::string_view status) const;
    // The statuses `verb` may set (a maintenance's `done`: completed, partial, failed).
    const std::vector<std::string_view>& targets(std::string_view verb) const;
    // The status `verb` sets: its only target, or the one `outcome` picks. Throws
    // std::logic_error for an outcome the table does not know: a verb and its table
    // disagree, which is a bug, never the user's input (that is checked before).
    std::string_view target(std::string_view verb, std::string_view outcome = {}) const;
    // Whether `verb`, run on a record in `status`, sets a status: a step that may keep
    // the status does so only from the statuses it moves from.
    bool moves(std::string_view verb, std::string_view status) const;
    // The status a record begins in when its kind's creating verb makes it.
    std::string_view initial_status() const;
    bool in(StatusGroup group, std::string_view status) const;
};

const Workflow& workflow_of(RecordKind kind);

// The names of a table as strings (for a list of choices).
std::vector<std::string> as_strings(const std::vector<std::string_view>& names);

// Something wrong in a record's events: `event` is its index, `key` the event's
// field the problem is in ("at", "action", "status").
struct HistoryProblem {
    enum class Cause { invalid_time, time_order, workflow };
    Cause cause;
    std::size_t event;
    std::string key;
    std::string message;
};

// The times of the events: each one a valid time, none earlier than the one before.
std::vector<HistoryProblem> check_event_times(const Node& events);

// Each field the events set, with the value and action of the last event that set
// it: what the record's current state must be.
struct ReplayedField {
    const Node* value;
    std::string action;
};
std::map<std::string, ReplayedField> replayed_fields(const Record& record);

// The events replayed through the kind's workflow: the first creates the record,
// each later one runs from a status its verb may start from and sets only a status
// its verb may set. `status` is where the history ends (empty if it never set one).
struct Replay {
    std::string status;
    std::vector<HistoryProblem> problems;
};
Replay replay_workflow(const Record& record);

} // namespace opsflow
