#include "opsflow/store/store.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/parallel.hpp"
#include "store/index_file.hpp"
#include "store/journal.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {
constexpr const char* settings_file = "opsflow.yaml";
} // namespace

fs::path Store::find_root(const std::optional<fs::path>& explicit_dir,
                          const std::optional<fs::path>& environment_dir, const fs::path& cwd) {
    auto is_store = [](const fs::path& dir) {
        std::error_code ec;
        return fs::is_regular_file(dir / settings_file, ec);
    };
    std::optional<fs::path> given = explicit_dir;
    std::string source = "-C";
    if (!given && environment_dir && !environment_dir->empty()) {
        given = environment_dir;
        source = "$OPSFLOW_DIR";
    }
    if (given) {
        fs::path dir = given->is_absolute() ? *given : cwd / *given;
        if (is_store(dir)) return fs::weakly_canonical(dir);
        // Not "no store" when the file may well be there: say what failed, for whom
        // (an MTA runs commands as a user of its own choosing).
        struct stat st {};
        if (::stat((dir / settings_file).c_str(), &st) != 0 && errno != ENOENT &&
            errno != ENOTDIR) {
            std::string error = std::strerror(errno);
            throw RuntimeError(
                fmt::format("{} {}: {}", source, given->string(),
                            tr("cannot read {0} as user {1}: {2}", (dir / settings_file).string(),
                               effective_user(), error)));
        }
        throw NotFoundError(
            tr("{} {}: not an opsflow store (no {}); create one with: opsflow init {}", source,
               given->string(), settings_file, given->string()));
    }
    for (fs::path dir = cwd; !dir.empty(); dir = dir.parent_path()) {
        if (is_store(dir)) return dir;
        if (dir == dir.parent_path()) break;
    }
    throw NotFoundError(tr(
        "not in an opsflow store (no {} here or in any parent directory); create one with: opsflow "
        "init [DIR], or point at one with -C DIR or $OPSFLOW_DIR",
        settings_file));
}

Store::Store(fs::path root)
    : root_(std::move(root)), settings_(load_settings(root_ / settings_file)),
      team_(load_team(root_ / "team.yaml")), services_(load_services(root_ / "services.yaml")) {}

std::string Store::relative_path_for(RecordKind kind, const std::string& id,
                                     Timestamp first_event) const {
    return fmt::format("{}/{}/{}.yaml", kind_info(kind).directory,
                       month_directory(first_event, settings_.zone), id);
}

std::string Store::display(const fs::path& absolute) const {
    return absolute.lexically_relative(root_).string();
}

namespace {

// Subdirectory names of `dir`, newest (largest) first.
std::vector<std::string> subdirectories_newest_first(const fs::path& dir) {
    std::vector<std::string> names;
    list_directory(dir, [&](std::string_view name, EntryType type) {
        if (type == EntryType::directory) names.emplace_back(name);
        return true;
    });
    std::sort(names.rbegin(), names.rend());
    return names;
}

} // namespace

void Store::for_each_record_file(RecordKind kind, std::string_view name_prefix,
                                 const std::function<bool(const fs::path&)>& visit) const {
    fs::path base = root_ / kind_info(kind).directory;
    std::string prefix = std::string(kind_info(kind).prefix) + "-" + std::string(name_prefix);
    // Newest months first: the records people work on are mostly recent ones.
    for (const auto& year : subdirectories_newest_first(base))
        for (const auto& month : subdirectories_newest_first(base / year)) {
            fs::path dir = base / year / month;
            bool go_on = true;
            // Symbolic links, FIFOs and the like are visited too, so that reading them
            // refuses them by name rather than as records that are not there.
            list_directory(dir, [&](std::string_view name, EntryType type) {
                if (type != EntryType::directory && name.starts_with(prefix) &&
                    name.ends_with(".yaml"))
                    go_on = visit(dir / name);
                return go_on;
            });
            if (!go_on) return;
        }
}

std::vector<fs::path> Store::record_files(RecordKind kind) const {
    std::vector<fs::path> files;
    for_each_record_file(kind, "", [&](const fs::path& p) {
        files.push_back(p);
        return true;
    });
    // Comparing the strings is many times faster than comparing paths.
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); });
    return files;
}

fs::path Store::locate(RecordKind kind, std::string_view id_or_prefix) const {
    IdQuery query = parse_id_query(id_or_prefix);
    const auto& info = kind_info(kind);
    if (query.kind && *query.kind != kind)
        throw NotFoundError(tr("{} names a {}; this command takes {} IDs ({}-...)", id_or_prefix,
                               kind_noun(*query.kind), kind_noun(kind), info.prefix));
    std::string wanted = fmt::format("{}-{}", info.prefix, query.hex);
    std::vector<fs::path> matches;
    std::optional<fs::path> exact;
    auto& known = files_by_name_[static_cast<std::size_t>(kind)];
    // The first lookup scans the directories and stops at the record; a command that
    // looks up more (an import of survey answers) lists the store once and then
    // looks in that list, so that it costs the store once, not once per row.
    if (++lookups_ > 1 && !known) {
        known.emplace();
        for_each_record_file(kind, "", [&](const fs::path& file) {
            known->emplace(file.stem().string(), file);
            return true;
        });
    }
    if (known) {
        for (auto it = known->lower_bound(wanted);
             it != known->end() && it->first.starts_with(wanted); ++it) {
            if (it->first == wanted) exact = it->second;
            matches.push_back(it->second);
        }
    }
    if (!known || matches.empty()) { // not listed: perhaps created since
        matches.clear();
        for_each_record_file(kind, query.hex, [&](const fs::path& file) {
            if (file.stem().string() == wanted) exact = file;
            matches.push_back(file);
            return !exact; // a whole ID names its record even when a longer one extends it
        });
    }
    if (exact) return *exact;
    if (matches.size() == 1) return matches.front();
    if (matches.empty())
        throw NotFoundError(tr("no {} {} in this store (list them with: opsflow {} list)",
                               kind_noun(kind), wanted, info.command));
    std::string list;
    for (const auto& m : matches)
        list += "\n  " + m.stem().string();
    throw NotFoundError(ntr("{} is ambiguous: it matches {} {}; give more digits:{}",
                            "{} is ambiguous: it matches {} {}s; give more digits:{}",
                            matches.size(), wanted, matches.size(), kind_noun(kind), list));
}

bool Store::id_exists(RecordKind kind, const std::string& id) const {
    // A new ID must not be a prefix of an existing one or the other way round; IDs
    // have at least 8 digits, so only files that share the first 8 can clash.
    const std::string prefix =
        fmt::format("{}-{}", kind_info(kind).prefix, id.substr(id.find('-') + 1, 8));
    bool clash = false;
    auto check = [&](std::string_view name) {
        if (!name.starts_with(prefix) || !name.ends_with(".yaml")) return;
        std::string_view stem = name.substr(0, name.size() - 5);
        if (stem.starts_with(id) || std::string_view(id).starts_with(stem)) clash = true;
    };
    // A month directory that has not changed since its index file was written (the
    // same stamp) is looked up there, a search through a few hundred kilobytes;
    // only the others are listed. A new record's ID is checked against the whole store,
    // so at 100,000 records this saves listing them all. (The index holds regular files
    // only: a symbolic link named like a record is `check`'s to report.)
    const std::string_view directory = kind_info(kind).directory;
    for (const auto& year : subdirectories_newest_first(root_ / directory))
        for (const auto& month : subdirectories_newest_first(root_ / directory / year)) {
            const std::string relative = fmt::format("{}/{}/{}", directory, year, month);
            const fs::path dir = root_ / relative;
            struct stat st {};
            const MappedText index(root_ / ".opsflow" / "index" / relative, IfMissing::empty);
            auto listed = index_file::listed_stamp(index.text(), kind, relative);
            if (listed && ::stat(dir.c_str(), &st) == 0 && file_stamp(st) == *listed) {
                index_file::for_each_listed_name(index.text(), prefix, check);
            } else {
                list_directory(dir, [&](std::string_view name, EntryType type) {
                    if (type != EntryType::directory) check(name);
                    return !clash;
                });
            }
            if (clash) return true;
        }
    return false;
}

Record Store::load(RecordKind kind, const fs::path& file) const {
    return Record::load(kind, file, display(file));
}

Record Store::load(RecordKind kind, const RecordFile& file) const {
    const fs::path path(file.path);
    return Record::load(kind, path, display(path), file.passed_at);
}

namespace {

// Reads `files` a slice at a time: on every core each record is loaded and given
// to `work`, whose results are then handed to `emit` in the order of `files`.
template <class Result, class File, class Work, class Emit>
void in_slices(const Store& store, RecordKind kind, const std::vector<File>& files,
               const Work& work, const Emit& emit, std::vector<std::string>& problems) {
    constexpr std::size_t slice = 1024;
    std::vector<std::optional<Result>> results;
    std::vector<std::string> failures;
    for (std::size_t first = 0; first < files.size(); first += slice) {
        std::size_t last = std::min(files.size(), first + slice);
        results.assign(last - first, std::nullopt);
        failures.assign(last - first, std::string());
        unsigned threads = worker_count(last - first, 64);
        run_on_threads(threads, [&](unsigned t) {
            for (std::size_t k = first + t; k < last; k += threads) {
                try {
                    results[k - first].emplace(work(store.load(kind, files[k])));
                } catch (const InvalidDataError& e) {
                    failures[k - first] = e.what();
                }
            }
        });
        for (std::size_t k = 0; k < results.size(); ++k) {
            if (results[k])
                emit(std::move(*results[k]));
            else if (!failures[k].empty())
                problems.push_back(std::move(failures[k]));
        }
    }
}

} // namespace

void Store::for_each_record(RecordKind kind, const std::vector<fs::path>& files,
                            const std::function<void(const Record&)>& visit,
                            std::vector<std::string>& problems) const {
    in_slices<Record>(
        *this, kind, files, [](Record&& r) { return std::move(r); }, [&](Record&& r) { visit(r); },
        problems);
}

std::vector<Record> Store::load_all(RecordKind kind, const std::function<bool(const Record&)>& keep,
                                    std::vector<std::string>& problems) const {
    std::vector<Record> out;
    in_slices<Record>(
        *this, kind, record_files(kind), [](Record&& r) { return std::move(r); },
        [&](Record&& r) {
            if (keep(r)) out.push_back(std::move(r));
        },
        problems);
    return out;
}

void Store::for_each_record(RecordKind kind, const std::vector<RecordFile>& files,
                            const std::function<void(const Record&)>& visit,
                            std::vector<std::string>& problems) const {
    in_slices<Record>(
        *this, kind, files, [](Record&& r) { return std::move(r); }, [&](Record&& r) { visit(r); },
        problems);
}

void Store::render_records(RecordKind kind, const std::vector<fs::path>& files,
                           const std::function<std::string(const Record&)>& render,
                           const std::function<void(std::string&&)>& emit,
                           std::vector<std::string>& problems) const {
    in_slices<std::string>(
        *this, kind, files, [&](Record&& r) { return render(r); },
        [&](std::string&& text) { emit(std::move(text)); }, problems);
}

void Store::render_records(RecordKind kind, const std::vector<RecordFile>& files,
                           const std::function<std::string(const Record&)>& render,
                           const std::function<void(std::string&&)>& emit,
                           std::vector<std::string>& problems) const {
    in_slices<std::string>(
        *this, kind, files, [&](Record&& r) { return render(r); },
        [&](std::string&& text) { emit(std::move(text)); }, problems);
}

FileLock Store::lock(std::optional<std::chrono::milliseconds> wait) const {
    fs::path dir = root_ / ".opsflow";
    std::error_code ec;
    fs::create_directories(dir, ec);
    fs::path file = dir / "lock";
    if (!wait) {
        FileLock lock(file);
        recover_locked();
        return lock;
    }
    auto lock = FileLock::lock_within(file, *wait);
    if (!lock) {
        std::string holder = lock_holder(file);
        auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*wait).count();
        throw TempFailError(
            holder.empty()
                ? tr("the store is busy ({} is locked by another command); gave up after {} s "
                     "(mail.lock_wait)",
                     file.string(), seconds)
                : tr("the store is busy ({} is locked by {}); gave up after {} s (mail.lock_wait)",
                     file.string(), holder, seconds));
    }
    recover_locked();
    return std::move(*lock);
}

void Store::recover() const {
    std::error_code ec;
    if (!fs::exists(root_ / ".opsflow" / "journal", ec)) return;
    if (auto lock = FileLock::try_lock(root_ / ".opsflow" / "lock")) {
        // A read goes on over the work tree as it is; a change (Store::lock) stops.
        try {
            recover_locked();
        } catch (const Error& e) {
            add_recovery_notes({tr("an interrupted change is not recovered yet: {}", e.what())});
        }
    }
}

namespace {

// The staging directories (`.opsflow/import-<pid>`) of imports whose process is
// gone: a directory cannot be removed from a signal handler, so it is named by its
// owner and removed here.
void remove_staging_of_dead_imports(const fs::path& dir, std::vector<std::string>& notes) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string name = entry.path().filename().string();
        if (!name.starts_with("import-")) continue;
        pid_t pid = 0;
        auto digits = std::string_view(name).substr(7);
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
        if (error != std::errc() || end != digits.data() + digits.size() || pid <= 0) continue;
        if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
        if (fs::remove_all(entry.path(), ec) > 0)
            notes.push_back(
                fmt::format("removed {}, which an interrupted import left", entry.path().string()));
    }
}

} // namespace

void Store::recover_locked() const {
    std::vector<std::string> notes;
    remove_staging_of_dead_imports(root_ / ".opsflow", notes);
    add_recovery_notes(notes);
    add_recovery_notes(recover_interrupted_change({root_, git()}));
}

void Store::add_recovery_notes(const std::vector<std::string>& notes) const {
    recovery_notes_.insert(recovery_notes_.end(), notes.begin(), notes.end());
}

std::vector<std::string> Store::take_recovery_notes() const {
    return std::exchange(recovery_notes_, {});
}

std::optional<Git> Store::git() const {
    if (!settings_.autocommit || !Git::find_work_tree(root_)) return std::nullopt;
    return Git(root_);
}

void Store::add_change_listener(ChangeListener listener) {
    change_listeners_.push_back(std::move(listener));
}

void Store::tell_changed(const std::vector<std::string>& paths) const {
    for (const auto& listener : change_listeners_)
        listener(*this, paths);
}

} // namespace opsflow
