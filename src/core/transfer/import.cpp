// `opsflow import`: rows of another system's CSV or JSON Lines become records, all
// of them in one commit or none. Built for imports of 100,000 rows: rows are read
// one at a time and kept only as their rendered text, IDs are looked up in one
// listing of the store, and paths reach git on standard input.
#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/parallel.hpp"
#include "opsflow/check/check.hpp"
#include "opsflow/git/git.hpp"
#include "opsflow/record/incident_sla.hpp"
#include "opsflow/transfer/transfer.hpp"
#include "store/placed_change.hpp"
#include "transfer/import_rows.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <unistd.h>

namespace opsflow {

namespace fs = std::filesystem;
using namespace import_rows;

namespace {

// IDs in use, where a new ID must not be a prefix of another or the other way
// round (IDs are looked up by prefix).
class IdSet {
  public:
    void insert(std::string id) { ids_.insert(std::move(id)); }
    bool clashes(const std::string& id) const {
        auto next = ids_.lower_bound(id);
        if (next != ids_.end() && next->starts_with(id)) return true;
        if (next == ids_.begin()) return false;
        return id.starts_with(*std::prev(next));
    }

  private:
    std::set<std::string> ids_;
};

IdSet ids_in_store(const Store& store, RecordKind kind) {
    IdSet ids;
    store.for_each_record_file(kind, "", [&](const fs::path& file) {
        ids.insert(file.stem().string());
        return true;
    });
    return ids;
}

// A row made into a record: its text waits in the staging directory.
struct ImportedRow {
    int line;
    std::string id;
    std::string relative; // where it will be, relative to the store root
    std::string blob;     // the git blob its text will be
};

// Where the records of an import wait, under .opsflow/, until every row is known
// to be good: memory holds a few facts per row, not the records. Removed with
// whatever it still holds once they are moved into the store (place_and_commit).
class StagingDirectory {
  public:
    explicit StagingDirectory(fs::path dir) : dir_(std::move(dir)) {
        std::error_code ec;
        fs::remove_all(dir_, ec); // left by an import that was killed
        fs::create_directories(dir_);
    }
    ~StagingDirectory() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    StagingDirectory(const StagingDirectory&) = delete;
    StagingDirectory& operator=(const StagingDirectory&) = delete;
    const fs::path& directory() const { return dir_; }
    fs::path file(const std::string& relative) const { return dir_ / relative; }
    void write(const std::string& relative, const std::string& text) const {
        fs::create_directories(file(relative).parent_path());
        write_new_file(file(relative), text, Durability::cache);
    }

  private:
    fs::path dir_;
};

// The store's files as they would be with the new records added, for `check`.
class WithNewRecords : public Snapshot {
  public:
    WithNewRecords(const fs::path& root, const StagingDirectory& staging,
                   const std::vector<ImportedRow>& added)
        : disk_(root), staging_(staging) {
        for (const auto& row : added)
            added_.emplace(row.relative, &row);
    }
    std::vector<std::string> record_paths() const override {
        auto paths = disk_.record_paths();
        for (const auto& [path, row] : added_)
            paths.push_back(path);
        return paths;
    }
    std::optional<std::string> read(const std::string& relative) const override {
        return added_.contains(relative)
                   ? read_text_file(staging_.file(relative), max_file_bytes, relative)
                   : disk_.read(relative);
    }
    // A new record is named by the git blob it will be, so that the verdicts of this
    // check are found again by the pre-commit hook's `check --staged` of the same
    // files, which then need not read them again.
    std::string identity(const std::string& relative) const override {
        auto it = added_.find(relative);
        return it != added_.end() ? "b" + it->second->blob : disk_.identity(relative);
    }
    std::optional<fs::path> cache_file() const override { return disk_.cache_file(); }

  private:
    WorkTreeSnapshot disk_;
    const StagingDirectory& staging_;
    std::map<std::string, const ImportedRow*> added_;
};

// Refuses the import listing every bad row, in line order.
[[noreturn]] void refuse(std::vector<std::string> errors, const std::string& source) {
    auto line_of = [&](const std::string& e) { return std::atoi(e.c_str() + source.size() + 1); };
    std::stable_sort(errors.begin(), errors.end(), [&](const std::string& a, const std::string& b) {
        return line_of(a) < line_of(b);
    });
    errors.erase(std::unique(errors.begin(), errors.end()), errors.end());
    std::set<int> bad_lines;
    for (const auto& e : errors)
        bad_lines.insert(line_of(e));
    throw InvalidDataError(ntr("{} bad row in {}; nothing was imported:\n{}",
                               "{} bad rows in {}; nothing was imported:\n{}", bad_lines.size(),
                               bad_lines.size(), source,
                               fmt::format("{}", fmt::join(errors, "\n"))));
}

// The rows of an import, each checked and given its ID in file order, then made into
// a record on every core a slice at a time and written to the staging directory.
// What is wrong with any of them is collected in `errors`, in no particular order.
class RowsToRecords {
  public:
    RowsToRecords(Context& ctx, RecordKind kind, const std::string& source,
                  const StagingDirectory& staging)
        : ctx_(ctx), kind_(kind), source_(source), staging_(staging), now_(ctx.clock()),
          in_store_(ids_in_store(ctx.store, kind)) {}

    // A row read from the file.
    void take(int line, Node doc) {
        try {
            std::string id = checked_id(doc);
            in_file_.insert(id);
            slice_.push_back({line, std::move(id), std::move(doc)});
            if (slice_.size() == 1024) make_slice();
        } catch (const Error& e) {
            auto* invalid = dynamic_cast<const InvalidDataError*>(&e);
            errors.push_back(
                fmt::format("{}:{}: {}", source_, line, invalid ? row_error(*invalid) : e.what()));
        }
    }

    // After the last row: the rows still waiting are made into records.
    void finish() { make_slice(); }

    // What the pre-commit hook will require of the new records: references,
    // completeness, no secrets.
    void check_with_store() {
        if (rows.empty()) return;
        std::map<std::string, int> line_of_path;
        std::vector<std::string> paths;
        for (const auto& row : rows) {
            line_of_path.emplace(row.relative, row.line);
            paths.push_back(row.relative);
        }
        auto result = check_store(WithNewRecords(ctx_.store.root(), staging_, rows), paths);
        for (const auto& f : result.findings)
            if (f.severity == Severity::error)
                errors.push_back(
                    fmt::format("{}:{}: {}", source_, line_of_path[f.where.file], f.where.message));
    }

    std::vector<std::string> errors;
    std::vector<ImportedRow> rows; // made and staged, in file order

  private:
    struct Pending {
        int line;
        std::string id;
        Node doc;
    };

    // The row's own ID if it has a good one, else a new one.
    std::string checked_id(const Node& doc) {
        const auto& info = kind_info(kind_);
        std::optional<std::string> id = doc.get("id");
        if (!id) return new_id();
        if (!is_full_id(*id) || !id->starts_with(std::string(info.prefix) + "-"))
            throw InvalidDataError(
                tr("id '{}' is not a valid ID for {} records ({}- and hex digits)", *id,
                   kind_noun(kind_), info.prefix));
        if (in_store_.clashes(*id)) throw InvalidDataError(tr("{} is already in the store", *id));
        if (!kept_in_file_.insert(*id).second)
            throw InvalidDataError(tr("{} is already in this file", *id));
        if (in_file_.clashes(*id))
            throw InvalidDataError(
                tr("{} and another ID of this file are prefixes of each other", *id));
        return *id;
    }

    std::string new_id() {
        for (int attempt = 0;; ++attempt) {
            std::string id = generate_id(kind_, ctx_.random, attempt < 8 ? 8 : 12);
            if (!in_store_.clashes(id) && !in_file_.clashes(id)) return id;
        }
    }

    // One row made into a record: its text, and the row as the import keeps it.
    ImportedRow make_record(Pending& row, std::string& text) const {
        complete_row(ctx_, kind_, row.doc, now_);
        Timestamp first = first_time(row.doc);
        if (first == Timestamp::min())
            throw InvalidDataError(tr("its first event has no valid time"));
        row.doc.set("id", Node::string(row.id));
        std::string relative = ctx_.store.relative_path_for(kind_, row.id, first);
        Record record(kind_, std::move(row.doc), relative);
        if (kind_ == RecordKind::incident) refresh_sla_deadlines(record, ctx_.store.settings());
        canonicalize(record.doc(), kind_);
        text = record.render();
        return ImportedRow{row.line, row.id, relative, git_blob_name(text)};
    }

    void make_slice() {
        std::vector<std::optional<ImportedRow>> made(slice_.size());
        std::vector<std::string> texts(slice_.size()), failures(slice_.size());
        unsigned threads = worker_count(slice_.size(), 64);
        run_on_threads(threads, [&](unsigned t) {
            for (std::size_t k = t; k < slice_.size(); k += threads) {
                try {
                    made[k] = make_record(slice_[k], texts[k]);
                } catch (const InvalidDataError& e) {
                    failures[k] = row_error(e);
                } catch (const std::exception& e) {
                    failures[k] = e.what();
                }
            }
        });
        for (std::size_t k = 0; k < slice_.size(); ++k) {
            if (!made[k]) {
                errors.push_back(fmt::format("{}:{}: {}", source_, slice_[k].line, failures[k]));
                continue;
            }
            staging_.write(made[k]->relative, texts[k]);
            rows.push_back(std::move(*made[k]));
        }
        slice_.clear();
    }

    Context& ctx_;
    RecordKind kind_;
    const std::string& source_;
    const StagingDirectory& staging_;
    Timestamp now_;
    IdSet in_store_;
    IdSet in_file_;
    std::set<std::string> kept_in_file_;
    std::vector<Pending> slice_;
};

// `imported 2 incident records from helpdesk.csv`: the commit message names the kind
// as records spell it (`maintenance`); the operator reads its noun in their language.
Phrase import_summary(RecordKind kind, std::size_t count, const std::string& source) {
    std::string file = fs::path(source).filename().string();
    return Phrase(fmt::format("imported {} {} record{} from {}", count, kind_info(kind).name,
                              count == 1 ? "" : "s", file),
                  ntr("imported {} {} record from {}", "imported {} {} records from {}", count,
                      count, kind_noun(kind), file));
}

} // namespace

ImportResult import_records(Context& ctx, RecordKind kind, const std::string& text,
                            TransferFormat format, const std::string& source, bool dry_run) {
    FileLock lock = ctx.store.lock();
    StagingDirectory staging(ctx.store.root() / ".opsflow" / fmt::format("import-{}", ::getpid()));
    RowsToRecords rows(ctx, kind, source, staging);
    for_each_row(kind, text, format, source, rows.errors,
                 [&](int line, Node doc) { rows.take(line, std::move(doc)); });
    rows.finish();
    rows.check_with_store();
    if (!rows.errors.empty()) refuse(std::move(rows.errors), source);

    ImportResult result;
    for (const auto& row : rows.rows)
        result.ids.push_back(row.id);
    if (rows.rows.empty() || dry_run) return result;
    std::vector<PlacedFile> files;
    files.reserve(rows.rows.size());
    for (auto& row : rows.rows)
        files.push_back({std::move(row.relative), std::move(row.blob)});
    result.summary = import_summary(kind, files.size(), source);
    result.committed = place_and_commit(ctx, staging.directory(), files, kind, result.ids.front(),
                                        ChangeSummary{"import", result.summary});
    return result;
}

} // namespace opsflow
