#pragma once
// The one way to change a store: who acts and when (Context), a change's summary,
// and the paths through the store lock, the journal and the commit that every verb
// takes (modify_record, create_record, Batch).
#include "opsflow/base/environment.hpp"
#include "opsflow/store/store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opsflow {

// Who is acting: the `by` of events and, when known, the author of commits.
struct Actor {
    std::string id; // a team.yaml id, or the operator's name
    std::string name;
    std::string email;
};

enum class CommitMode { commit, no_commit };

// What a command runs with: the store, the operator, the time and the ID source.
struct Context {
    Store& store;
    Actor actor;
    // Read when a change is made, inside the lock, so that changes queued behind
    // one another get times in the order they are written.
    std::function<Timestamp()> clock;
    CommitMode commit_mode = CommitMode::commit;
    RandomSource random;
    // How long a change waits for the store lock; none: as long as it takes
    // (`mail receive` and `mail fetch` wait `mail.lock_wait`, then exit 75).
    std::optional<std::chrono::milliseconds> lock_wait = std::nullopt;
    // Secrets and switches from the process environment (the CLI reads it).
    Environment environment = {};
};

// What a change did, for its commit message and confirmation line.
struct ChangeSummary {
    std::string verb; // assign
    // `assigned to lisi`: English in the commit message, the operator's language on screen.
    Phrase description;
    // New files that belong to the change (archived notices), relative to the
    // store root; written and committed with the record.
    std::vector<std::pair<std::string, std::string>> new_files = {};
    // Files of the store that are not records and that the change rewrites, with the
    // text they had (a service's maintenance document): written and committed with it.
    std::vector<FileWrite> rewritten_files = {};
};

// The when of a change: `--at`, checked against the clock and the record's history
// (exit 2 if in the future or before `not_before`); without `--at`, now, or
// `not_before` if the clock is behind the record.
Timestamp resolve_event_time(const Context& ctx, std::optional<Timestamp> at,
                             Timestamp not_before = Timestamp::min());

// With autocommit in a git work tree, commits `paths` (written already) as one
// commit `<kind> <subject_id>: <summary.description>`; returns whether it did.
bool commit_change(const Context& ctx, std::vector<std::string> paths, RecordKind kind,
                   const std::string& subject_id, const ChangeSummary& summary);

// Writes `files` and, with autocommit in a git work tree, commits them as one
// commit `<kind> <subject_id>: <summary.description>`. On any failure every file is
// put back as it was and the error rethrown. The caller holds the store lock.
void write_and_commit(const Context& ctx, const std::vector<FileWrite>& files, RecordKind kind,
                      const std::string& subject_id, const ChangeSummary& summary);

// Several records changed together: under the store lock, written and committed
// as one commit, or not at all (an escalated ticket and its new incident; a survey import).
class Batch {
  public:
    explicit Batch(Context& ctx); // takes the store lock
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

    // The record an ID names, loaded once per batch; the reference stays valid.
    Record& open(RecordKind kind, std::string_view id_or_prefix);
    // A new record: `build` gets its ID and returns its content. The ID is `wanted`
    // if given (an import keeping another system's ID), else a fresh one.
    Record& add(RecordKind kind, const std::function<Node(const std::string& id)>& build,
                const std::optional<std::string>& wanted = std::nullopt);
    // Writes every changed record and `summary.new_files`, then commits them with a
    // message about `subject`. On any failure every file is put back as it was.
    void commit(const Record& subject, const ChangeSummary& summary);

  private:
    struct Entry {
        Record record;
        std::filesystem::path file;
        bool is_new;
    };
    Context& ctx_;
    FileLock lock_;
    std::vector<std::unique_ptr<Entry>> entries_;
};

// A record as written by a change, and what the change did.
struct Change {
    Record record;
    ChangeSummary summary;
};

// Read-modify-write of one record under the store lock: `apply` changes it (or
// throws, and nothing is written); it is then validated, written atomically and
// committed. A failed commit restores the file.
Change modify_record(Context& ctx, RecordKind kind, std::string_view id_or_prefix,
                     const std::function<ChangeSummary(Record&)>& apply);

// Creates a record: `build` gets the new ID and returns its content.
Change
create_record(Context& ctx, RecordKind kind,
              const std::function<std::pair<Node, ChangeSummary>(const std::string& id)>& build);

// A new event with `at`, `by` and `action`; the caller adds the fields the action changed.
Node make_event(const Context& ctx, Timestamp at, std::string_view action);

} // namespace opsflow
