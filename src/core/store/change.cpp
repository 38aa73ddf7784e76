// The write side of the store: a change's time and event, and a Batch of record
// changes written and committed together, or not at all.
#include "opsflow/store/change.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "store/journal.hpp"
#include "store/placed_change.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <set>
#include <stdio.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {
// How far ahead of this machine's clock an `--at` may be (another machine's clock).
constexpr auto clock_skew = std::chrono::seconds(60);
} // namespace

Timestamp resolve_event_time(const Context& ctx, std::optional<Timestamp> at,
                             Timestamp not_before) {
    Timestamp now = ctx.clock();
    if (!at) return std::max(now, not_before);
    Timestamp t = *at;
    const auto* zone = ctx.store.settings().zone;
    if (t > now + clock_skew)
        throw UsageError(tr("--at {} is in the future (now is {})", format_rfc3339(t, zone),
                            format_rfc3339(now, zone)));
    if (t < not_before)
        throw UsageError(tr("--at {} is earlier than the record's last event ({}); events are "
                            "kept in time order",
                            format_rfc3339(t, zone), format_rfc3339(not_before, zone)));
    return t;
}

Node make_event(const Context& ctx, Timestamp at, std::string_view action) {
    Node e = Node::map();
    e.set("at", Node::string(format_rfc3339(at, ctx.store.settings().zone)));
    e.set("by", Node::string(ctx.actor.id));
    e.set("action", Node::string(std::string(action)));
    return e;
}

Batch::Batch(Context& ctx) : ctx_(ctx), lock_(ctx.store.lock(ctx.lock_wait)) {}

Record& Batch::open(RecordKind kind, std::string_view id_or_prefix) {
    fs::path file = ctx_.store.locate(kind, id_or_prefix);
    for (auto& e : entries_)
        if (e->file == file) return e->record;
    entries_.push_back(std::make_unique<Entry>(Entry{ctx_.store.load(kind, file), file, false}));
    return entries_.back()->record;
}

Record& Batch::add(RecordKind kind, const std::function<Node(const std::string& id)>& build,
                   const std::optional<std::string>& wanted) {
    std::string id = wanted.value_or("");
    for (int attempt = 0; id.empty(); ++attempt) {
        id = generate_id(kind, ctx_.random, attempt < 8 ? 8 : 12);
        if (ctx_.store.id_exists(kind, id)) id.clear();
    }
    Record record(kind, build(id), "");
    auto first = parse_rfc3339(record.events().items().at(0).get("at").value_or(""));
    std::string relative = ctx_.store.relative_path_for(kind, id, *first);
    entries_.push_back(std::make_unique<Entry>(
        Entry{Record(kind, record.doc(), relative), ctx_.store.root() / relative, true}));
    return entries_.back()->record;
}

namespace {

std::string commit_subject(RecordKind kind, const std::string& subject_id,
                           const ChangeSummary& summary) {
    return fmt::format("{} {}: {}", kind_info(kind).name, subject_id, summary.description.english);
}

} // namespace

bool commit_change(const Context& ctx, std::vector<std::string> paths, RecordKind kind,
                   const std::string& subject_id, const ChangeSummary& summary) {
    auto git = ctx.commit_mode == CommitMode::commit ? ctx.store.git() : std::nullopt;
    if (!git) return false;
    const auto& info = kind_info(kind);
    git->commit(CommitRequest{std::move(paths), commit_subject(kind, subject_id, summary),
                              fmt::format("{}.{}", info.name, summary.verb), subject_id,
                              ctx.actor.email.empty() ? "" : ctx.actor.name, ctx.actor.email});
    return true;
}

namespace {

// Creates the directories missing above `target`, adding them to `made`, deepest last.
// `ensured` holds the directories known to be there: an import of 100,000 records
// into a few dozen month directories looks at each of them once.
void create_parents(const fs::path& root, const fs::path& target, std::vector<fs::path>& made,
                    std::set<fs::path>& ensured) {
    if (ensured.contains(target.parent_path())) return;
    std::vector<fs::path> missing;
    for (fs::path dir = target.parent_path();
         dir != root && dir != dir.parent_path() && !fs::exists(dir); dir = dir.parent_path())
        missing.push_back(dir);
    fs::create_directories(target.parent_path());
    made.insert(made.end(), missing.rbegin(), missing.rend());
    ensured.insert(target.parent_path());
}

// What every change does once its journal is written: `write` puts its files in the
// store (adding the directories it creates to `made`), then `paths` are committed. On
// any failure the journal puts everything back, the directories it made go, and the
// error is rethrown. Returns whether it committed.
bool journaled_change(const Context& ctx, ChangeJournal& journal, std::vector<std::string> paths,
                      RecordKind kind, const std::string& subject_id, const ChangeSummary& summary,
                      const std::function<void(std::vector<fs::path>& made)>& write) {
    std::vector<fs::path> made; // directories this change created, deepest last
    bool committed = false;
    const std::vector<std::string> written = paths;
    try {
        write(made);
        committed = commit_change(ctx, std::move(paths), kind, subject_id, summary);
    } catch (...) {
        try {
            auto notes = journal.roll_back();
            ctx.store.add_recovery_notes(notes);
            // Rolled back: no empty month or notice directory stays behind.
            for (auto dir = made.rbegin(); dir != made.rend(); ++dir) {
                std::error_code ec;
                fs::remove(*dir, ec); // only when empty
            }
        } catch (const std::exception&) {
            // the journal stays: the next command rolls the change back
        }
        throw;
    }
    journal.close();
    ctx.store.tell_changed(written);
    return committed;
}

} // namespace

void write_and_commit(const Context& ctx, const std::vector<FileWrite>& files, RecordKind kind,
                      const std::string& subject_id, const ChangeSummary& summary) {
    const fs::path& root = ctx.store.root();
    // One fsync per file is what keeps a single change safe. A change of many files
    // is written without: its files are then as durable as the loose objects git
    // writes for the same commit (git does not fsync those either by default), and a
    // crash before the commit leaves files that are not committed, as with any change.
    bool many = files.size() > 16;
    auto durability = many ? Durability::cache : Durability::durable;
    // What is about to happen, so that a change that dies half way is finished or
    // undone by the next command.
    ChangeJournal journal({root, ctx.store.git()}, files,
                          commit_subject(kind, subject_id, summary));
    std::vector<std::string> paths;
    paths.reserve(files.size());
    for (const auto& file : files)
        paths.push_back(file.relative);
    journaled_change(ctx, journal, std::move(paths), kind, subject_id, summary,
                     [&](std::vector<fs::path>& made) {
                         std::set<fs::path> ensured;
                         for (const auto& file : files) {
                             fs::path target = root / file.relative;
                             create_parents(root, target, made, ensured);
                             if (file.previous)
                                 write_file_atomic(target, file.text, durability);
                             else // refuses one that exists
                                 write_new_file(target, file.text, durability);
                         }
                     });
}

bool place_and_commit(const Context& ctx, const fs::path& staging,
                      const std::vector<PlacedFile>& files, RecordKind kind,
                      const std::string& subject_id, const ChangeSummary& summary) {
    const fs::path& root = ctx.store.root();
    ChangeJournal journal({root, ctx.store.git()}, {}, commit_subject(kind, subject_id, summary),
                          files);
    std::vector<std::string> paths;
    paths.reserve(files.size());
    for (const auto& file : files)
        paths.push_back(file.relative);
    return journaled_change(
        ctx, journal, std::move(paths), kind, subject_id, summary,
        [&](std::vector<fs::path>& made) {
            std::set<fs::path> ensured;
            for (const auto& file : files) {
                fs::path target = root / file.relative;
                create_parents(root, target, made, ensured);
                if (::renameat2(AT_FDCWD, (staging / file.relative).c_str(), AT_FDCWD,
                                target.c_str(), RENAME_NOREPLACE) != 0)
                    throw RuntimeError(tr("cannot write {}: {}", file.relative,
                                          errno == EEXIST ? tr("it exists already")
                                                          : std::string(std::strerror(errno))));
            }
        });
}

void Batch::commit(const Record& subject, const ChangeSummary& summary) {
    // Render and check everything before the first byte is written.
    std::vector<FileWrite> files;
    std::vector<Entry*> changed;
    for (const auto& [relative, content] : summary.new_files)
        files.push_back({relative, content, std::nullopt});
    files.insert(files.end(), summary.rewritten_files.begin(), summary.rewritten_files.end());
    const std::size_t before_records = files.size();
    for (auto& e : entries_) {
        std::string text = e->record.render();
        if (!e->is_new && text == e->record.original_text()) continue;
        if (!e->is_new) e->record.check_rewritable();
        files.push_back({ctx_.store.display(e->file), std::move(text),
                         e->is_new ? std::nullopt : std::optional(e->record.original_text())});
        changed.push_back(e.get());
    }
    if (files.empty()) return;
    write_and_commit(ctx_, files, subject.kind(), subject.id(), summary);
    for (std::size_t i = 0; i < changed.size(); ++i) {
        Entry& entry = *changed[i];
        const std::string& text = files[before_records + i].text;
        entry.record =
            Record(entry.record.kind(), entry.record.doc(), entry.record.display_path(), text);
        entry.is_new = false;
    }
}

Change modify_record(Context& ctx, RecordKind kind, std::string_view id_or_prefix,
                     const std::function<ChangeSummary(Record&)>& apply) {
    parse_id_query(id_or_prefix); // refuse a malformed ID before taking the lock
    Batch batch(ctx);
    Record& record = batch.open(kind, id_or_prefix);
    ChangeSummary summary = apply(record);
    batch.commit(record, summary);
    return {record, summary};
}

Change
create_record(Context& ctx, RecordKind kind,
              const std::function<std::pair<Node, ChangeSummary>(const std::string& id)>& build) {
    Batch batch(ctx);
    ChangeSummary summary;
    Record& record = batch.add(kind, [&](const std::string& id) {
        auto [doc, s] = build(id);
        summary = std::move(s);
        return doc;
    });
    batch.commit(record, summary);
    return {record, summary};
}

} // namespace opsflow
