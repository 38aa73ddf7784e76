// `opsflow import`: rows of another system's CSV or JSON Lines become records, all
// of them in one commit or none. Built for imports of 100,000 rows: rows are read
// one at a time and kept only as their rendered text, IDs are looked up in one
// listing of the store, and paths reach git on standard input.
#include "import_rows.hpp"
#include "opsflow/check.hpp"
#include "opsflow/error.hpp"
#include "opsflow/files.hpp"
#include "opsflow/git.hpp"
#include "opsflow/i18n.hpp"
#include "opsflow/incident_sla.hpp"
#include "opsflow/parallel.hpp"
#include "opsflow/transfer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
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
// whatever it still holds, unless the records were moved into the store.
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

// Moves the staged records into the store (never over an existing file), or puts
// the store back as it was.
class Placement {
  public:
    Placement(const fs::path& root, const StagingDirectory& staging)
        : root_(root), staging_(staging) {}
    ~Placement() {
        if (kept_) return;
        std::error_code ec;
        for (const auto& relative : placed_)
            fs::remove(root_ / relative, ec);
    }
    Placement(const Placement&) = delete;
    Placement& operator=(const Placement&) = delete;
    void place(const std::string& relative) {
        fs::path target = root_ / relative;
        fs::create_directories(target.parent_path());
        if (::renameat2(AT_FDCWD, staging_.file(relative).c_str(), AT_FDCWD, target.c_str(),
                        RENAME_NOREPLACE) != 0)
            throw RuntimeError(
                tr("cannot write {}: {}", relative,
                   errno == EEXIST ? tr("it exists already") : std::string(std::strerror(errno))));
        placed_.push_back(relative);
    }
    void keep() { kept_ = true; }

  private:
    fs::path root_;
    const StagingDirectory& staging_;
    std::vector<std::string> placed_;
    bool kept_ = false;
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

} // namespace

ImportResult import_records(Context& ctx, RecordKind kind, const std::string& text,
                            TransferFormat format, const std::string& source, bool dry_run) {
    FileLock lock = ctx.store.lock();
    Timestamp now = ctx.clock();
    const auto& info = kind_info(kind);
    IdSet in_store = ids_in_store(ctx.store, kind);
    IdSet in_file;
    std::set<std::string> kept_in_file;
    std::vector<std::string> errors;
    std::vector<ImportedRow> rows;
    StagingDirectory staging(ctx.store.root() / ".opsflow" / fmt::format("import-{}", ::getpid()));

    auto new_id = [&] {
        for (int attempt = 0;; ++attempt) {
            std::string id = generate_id(kind, ctx.random, attempt < 8 ? 8 : 12);
            if (!in_store.clashes(id) && !in_file.clashes(id)) return id;
        }
    };
    auto report = [&](int line, const std::exception& e) {
        auto* invalid = dynamic_cast<const InvalidDataError*>(&e);
        errors.push_back(
            fmt::format("{}:{}: {}", source, line, invalid ? row_error(*invalid) : e.what()));
    };

    // Rows are given their IDs in file order, then made into records on every core a
    // slice at a time, and each record written to the staging directory.
    struct Pending {
        int line;
        std::string id;
        Node doc;
    };
    std::vector<Pending> slice;
    auto make_slice = [&] {
        std::vector<std::optional<ImportedRow>> made(slice.size());
        std::vector<std::string> texts(slice.size()), failures(slice.size());
        unsigned threads = worker_count(slice.size(), 64);
        run_on_threads(threads, [&](unsigned t) {
            for (std::size_t k = t; k < slice.size(); k += threads) {
                auto& [line, id, doc] = slice[k];
                try {
                    complete_row(ctx, kind, doc, now);
                    Timestamp first = first_time(doc);
                    if (first == Timestamp::min())
                        throw InvalidDataError(tr("its first event has no valid time"));
                    doc.set("id", Node::string(id));
                    std::string relative = ctx.store.relative_path_for(kind, id, first);
                    Record record(kind, std::move(doc), relative);
                    if (kind == RecordKind::incident)
                        refresh_sla_deadlines(record, ctx.store.settings());
                    canonicalize(record.doc(), kind);
                    texts[k] = record.render();
                    made[k] = ImportedRow{line, id, relative, git_blob_name(texts[k])};
                } catch (const InvalidDataError& e) {
                    failures[k] = row_error(e);
                } catch (const std::exception& e) {
                    failures[k] = e.what();
                }
            }
        });
        for (std::size_t k = 0; k < slice.size(); ++k) {
            if (!made[k]) {
                errors.push_back(fmt::format("{}:{}: {}", source, slice[k].line, failures[k]));
                continue;
            }
            staging.write(made[k]->relative, texts[k]);
            rows.push_back(std::move(*made[k]));
        }
        slice.clear();
    };
    for_each_row(kind, text, format, source, errors, [&](int line, Node doc) {
        try {
            std::optional<std::string> id = doc.get("id");
            if (id && (!is_full_id(*id) || !id->starts_with(std::string(info.prefix) + "-")))
                throw InvalidDataError(
                    tr("id '{}' is not a valid ID for {} records ({}- and hex digits)", *id,
                       kind_noun(kind), info.prefix));
            if (id && in_store.clashes(*id))
                throw InvalidDataError(tr("{} is already in the store", *id));
            if (id && !kept_in_file.insert(*id).second)
                throw InvalidDataError(tr("{} is already in this file", *id));
            if (id && in_file.clashes(*id))
                throw InvalidDataError(
                    tr("{} and another ID of this file are prefixes of each other", *id));
            std::string record_id = id ? *id : new_id();
            in_file.insert(record_id);
            slice.push_back({line, std::move(record_id), std::move(doc)});
            if (slice.size() == 1024) make_slice();
        } catch (const Error& e) {
            report(line, e);
        }
    });
    make_slice();

    // What the pre-commit hook will require: references, completeness, no secrets.
    if (!rows.empty()) {
        std::map<std::string, int> line_of_path;
        std::vector<std::string> paths;
        for (const auto& row : rows) {
            line_of_path.emplace(row.relative, row.line);
            paths.push_back(row.relative);
        }
        auto result = check_store(WithNewRecords(ctx.store.root(), staging, rows), paths);
        for (const auto& f : result.findings)
            if (f.severity == Severity::error)
                errors.push_back(
                    fmt::format("{}:{}: {}", source, line_of_path[f.where.file], f.where.message));
    }
    if (!errors.empty()) refuse(std::move(errors), source);

    ImportResult result;
    for (const auto& row : rows)
        result.ids.push_back(row.id);
    if (rows.empty() || dry_run) return result;
    Placement placement(ctx.store.root(), staging);
    std::vector<std::string> paths;
    paths.reserve(rows.size());
    for (const auto& row : rows) {
        placement.place(row.relative);
        paths.push_back(row.relative);
    }
    // The commit message names the kind as records spell it (`maintenance`); the
    // operator reads its noun in their language.
    std::string file = fs::path(source).filename().string();
    result.summary = Phrase(fmt::format("imported {} {} record{} from {}", rows.size(), info.name,
                                        rows.size() == 1 ? "" : "s", file),
                            ntr("imported {} {} record from {}", "imported {} {} records from {}",
                                rows.size(), rows.size(), kind_noun(kind), file));
    result.committed = commit_change(ctx, std::move(paths), kind, result.ids.front(),
                                     ChangeSummary{"import", result.summary});
    placement.keep();
    return result;
}

} // namespace opsflow
