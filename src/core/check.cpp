#include "opsflow/check.hpp"

#include "check_cache.hpp"
#include "fingerprint.hpp"
#include "opsflow/confidential.hpp"
#include "opsflow/files.hpp"
#include "opsflow/git.hpp"
#include "opsflow/id.hpp"
#include "opsflow/incident_sla.hpp"
#include "opsflow/parallel.hpp"
#include "opsflow/record.hpp"
#include "opsflow/settings.hpp"
#include "opsflow/workflow.hpp"

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> settings_files = {"opsflow.yaml", "team.yaml", "services.yaml"};

std::vector<std::string> record_directories() {
    std::vector<std::string> dirs;
    for (const auto& kind : all_kinds())
        dirs.emplace_back(kind.directory);
    return dirs;
}

} // namespace

namespace {

// Every .yaml entry below `dir` (relative path `prefix`), at any depth, that is
// not a directory: symbolic links, FIFOs and the like are there to be reported
// (reading them refuses them without following or waiting).
void collect_yaml_files(const fs::path& dir, const std::string& prefix,
                        std::vector<std::string>& out) {
    list_directory(dir, [&](std::string_view name, EntryType type) {
        std::string relative = prefix + "/" + std::string(name);
        if (type == EntryType::directory)
            collect_yaml_files(dir / name, relative, out);
        else if (name.ends_with(".yaml"))
            out.push_back(std::move(relative));
        return true;
    });
}

} // namespace

std::vector<std::string> WorkTreeSnapshot::record_paths() const {
    std::vector<std::string> paths;
    for (const auto& dir : record_directories())
        collect_yaml_files(root_ / dir, dir, paths);
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::optional<std::string> WorkTreeSnapshot::read(const std::string& relative) const {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(root_ / relative, ec))) return std::nullopt;
    return read_text_file(root_ / relative, max_file_bytes, relative, Links::refuse);
}

std::string WorkTreeSnapshot::identity(const std::string& relative) const {
    // Records come in path order, so each thread keeps its current directory open
    // and asks for the file by name: the kernel then resolves one name, not five.
    struct OpenDirectory {
        std::string path;
        int fd = -1;
        ~OpenDirectory() {
            if (fd >= 0) ::close(fd);
        }
    };
    thread_local OpenDirectory current;
    auto slash = relative.rfind('/');
    std::string dir =
        root_.native() + "/" + relative.substr(0, slash == std::string::npos ? 0 : slash);
    if (dir != current.path) {
        if (current.fd >= 0) ::close(current.fd);
        current.fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        current.path = dir;
    }
    struct stat st {};
    std::string name = relative.substr(slash == std::string::npos ? 0 : slash + 1);
    if (current.fd < 0 || ::fstatat(current.fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode))
        return "";
    // A file changed less than 2 s ago may change again within the same time stamp
    // (git's "racily clean" entries): check it again next time.
    auto now = std::chrono::system_clock::now().time_since_epoch();
    if (std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::seconds(2) > now) return "";
    return fmt::format("s{}.{}.{}.{}.{}.{}", st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                       st.st_ctim.tv_sec, st.st_ctim.tv_nsec, st.st_ino);
}

std::optional<fs::path> WorkTreeSnapshot::cache_file() const {
    return root_ / ".opsflow" / "check-cache";
}

std::string StagedSnapshot::identity(const std::string& relative) const {
    auto it = blob_of_path_.find(relative);
    return it == blob_of_path_.end() ? "" : "b" + it->second;
}

std::optional<fs::path> StagedSnapshot::cache_file() const {
    return root_ / ".opsflow" / "check-cache";
}

std::vector<std::string> Snapshot::paths_named(const std::set<std::string>& ids) const {
    auto paths = record_paths();
    std::erase_if(paths, [&](const std::string& path) {
        return !ids.contains(fs::path(path).stem().string());
    });
    return paths;
}

void StagedSnapshot::learn_blobs(const std::vector<std::string>& pathspecs) const {
    for (auto& entry : Git(root_).index_entries(pathspecs))
        blob_of_path_[std::move(entry.path)] = std::move(entry.blob);
}

std::vector<std::string> StagedSnapshot::record_paths() const {
    if (!all_records_) {
        std::vector<std::string> pathspecs;
        for (const auto& dir : record_directories())
            pathspecs.push_back(":(literal)" + dir);
        all_records_.emplace();
        for (auto& entry : Git(root_).index_entries(pathspecs))
            if (entry.path.ends_with(".yaml")) {
                all_records_->push_back(entry.path);
                blob_of_path_[std::move(entry.path)] = std::move(entry.blob);
            }
    }
    return *all_records_; // git lists them sorted
}

std::vector<std::string> StagedSnapshot::paths_named(const std::set<std::string>& ids) const {
    // git matches a few patterns against its index faster than we can list it all.
    constexpr std::size_t few = 8;
    if (ids.size() > few || all_records_) return Snapshot::paths_named(ids);
    std::vector<std::string> pathspecs;
    for (const auto& id : ids)
        for (const auto& dir : record_directories())
            pathspecs.push_back(fmt::format(":(glob){}/**/{}.yaml", dir, id));
    std::vector<std::string> paths;
    for (auto& entry : Git(root_).index_entries(pathspecs)) {
        paths.push_back(entry.path);
        blob_of_path_[std::move(entry.path)] = std::move(entry.blob);
    }
    return paths;
}

void StagedSnapshot::prefetch(const std::vector<std::string>& relative_paths) const {
    fetched_.clear(); // what was read before has been read: hold one batch at a time
    std::vector<std::string> unknown;
    for (const auto& path : relative_paths)
        if (!blob_of_path_.contains(path)) unknown.push_back(":(literal)" + path);
    if (unknown.size() > 64)
        record_paths();
    else if (!unknown.empty())
        learn_blobs(unknown);
    std::vector<std::string> names;
    for (const auto& path : relative_paths)
        if (auto it = blob_of_path_.find(path); it != blob_of_path_.end())
            names.push_back(it->second);
    auto contents = Git(root_).blobs(names);
    for (const auto& path : relative_paths) {
        auto it = blob_of_path_.find(path);
        auto content = it == blob_of_path_.end() ? contents.end() : contents.find(it->second);
        fetched_[path] = content == contents.end() ? std::nullopt : std::optional(content->second);
    }
}

std::optional<std::string> StagedSnapshot::read(const std::string& relative) const {
    if (!fetched_.contains(relative)) prefetch({relative});
    const auto& text = fetched_.at(relative);
    if (text && text->size() > max_file_bytes)
        throw InvalidDataError({Diagnostic{relative, 0, 0, "", "file is larger than 1 MiB"}});
    return text;
}

std::vector<std::string> StagedSnapshot::changed() const {
    std::vector<std::string> paths;
    for (auto& entry : Git(root_).staged_changes()) {
        paths.push_back(entry.path);
        blob_of_path_[std::move(entry.path)] = std::move(entry.blob);
    }
    return paths;
}

std::size_t CheckResult::count(Severity severity) const {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [&](const Finding& f) { return f.severity == severity; }));
}

namespace {

// Fields whose job is to hold contact data: personal data there is expected.
const std::set<std::string_view> contact_fields = {"reporter",   "requester", "recipients",
                                                   "message_id", "notice",    "to"};

// Where the findings of the current thread go: record checks run on every core,
// each thread into its own result, merged and sorted at the end.
thread_local std::vector<Finding>* current_sink = nullptr;

class Checker {
  public:
    Checker(const Snapshot& snapshot, CheckResult& result) : snapshot_(snapshot), result_(result) {}

    void run(const std::optional<std::vector<std::string>>& only) {
        current_sink = &result_.findings;
        whole_store_ = !only;
        // The records themselves are fetched a slice at a time by check_records.
        auto to_read = only && only->size() <= few_records ? *only : std::vector<std::string>{};
        to_read.insert(to_read.end(), settings_files.begin(), settings_files.end());
        snapshot_.prefetch(to_read);
        paths_ = only && only->size() <= few_records ? snapshot_.paths_named(ids_needed_by(*only))
                                                     : snapshot_.record_paths();
        index_ids();
        load_settings_files(!only || std::any_of(only->begin(), only->end(), [](const auto& f) {
            return std::find(settings_files.begin(), settings_files.end(), f) !=
                   settings_files.end();
        }));
        check_records(only ? *only : paths_);
        std::sort(result_.findings.begin(), result_.findings.end(),
                  [](const Finding& a, const Finding& b) {
                      return std::tie(a.where.file, a.where.line, a.where.column) <
                             std::tie(b.where.file, b.where.line, b.where.column);
                  });
    }

  private:
    // Up to this many records are checked against the store by asking for the few
    // IDs they name (their own and their links), not by listing every record.
    static constexpr std::size_t few_records = 8;

    std::set<std::string> ids_needed_by(const std::vector<std::string>& targets) const {
        std::set<std::string> ids;
        for (const auto& path : targets) {
            auto kind = kind_of_path(path);
            if (!kind) continue;
            ids.insert(fs::path(path).stem().string());
            try {
                auto text = snapshot_.read(path);
                if (!text) continue;
                Record record(
                    *kind, parse_yaml_map(*text, std::string(kind_info(*kind).name), path), path);
                if (const Node* links = record.doc().find("links"))
                    for (const auto& link : links->items())
                        if (link.is_scalar()) ids.insert(link.text());
            } catch (const Error&) {
                // reported when the record is checked
            }
        }
        return ids;
    }

    // Each record is checked on its own against the shared, read-only store state
    // (settings, team, services), on every core, unless the cache holds its verdict;
    // then the checks across records (duplicate IDs, links) run over all verdicts.
    void check_records(const std::vector<std::string>& targets) {
        std::vector<std::pair<RecordKind, const std::string*>> records;
        for (const auto& path : targets) {
            if (std::find(settings_files.begin(), settings_files.end(), path) !=
                settings_files.end())
                continue; // already checked
            if (auto kind = kind_of_path(path)) records.emplace_back(*kind, &path);
        }
        // Sorted by path, as the cache keeps them.
        auto by_path = [](const auto& a, const auto& b) { return *a.second < *b.second; };
        if (!std::is_sorted(records.begin(), records.end(), by_path))
            std::sort(records.begin(), records.end(), by_path);
        std::vector<const std::string*> paths;
        for (const auto& record : records)
            paths.push_back(record.second);
        std::optional<CheckCache> cache;
        if (auto file = snapshot_.cache_file(); file && settings_ && team_ && services_)
            cache.emplace(*file, cache_fingerprint(settings_texts_));

        std::vector<std::string> identities(records.size());
        if (cache) {
            unsigned threads = worker_count(records.size(), 2000);
            run_on_threads(threads, [&](unsigned t) {
                std::size_t first = records.size() * t / threads;
                std::size_t last = records.size() * (t + 1) / threads;
                for (std::size_t k = first; k < last; ++k)
                    identities[k] = snapshot_.identity(*paths[k]);
            });
        }
        std::vector<RecordVerdict> verdicts(records.size());
        std::vector<std::size_t> unknown;
        auto known = cache ? cache->find(paths, identities)
                           : std::vector<std::optional<RecordVerdict>>(records.size());
        for (std::size_t k = 0; k < records.size(); ++k) {
            if (known[k])
                verdicts[k] = std::move(*known[k]);
            else
                unknown.push_back(k);
        }

        // In slices, so that a snapshot that fetches files (git's index) holds only
        // a slice of them at a time.
        constexpr std::size_t slice = 4096;
        for (std::size_t first = 0; first < unknown.size(); first += slice) {
            std::size_t last = std::min(unknown.size(), first + slice);
            std::vector<std::string> slice_paths;
            for (std::size_t u = first; u < last; ++u)
                slice_paths.push_back(*paths[unknown[u]]);
            snapshot_.prefetch(slice_paths);
            unsigned workers = worker_count(last - first, 200);
            run_on_threads(workers, [&](unsigned t) {
                for (std::size_t u = first + t; u < last; u += workers) {
                    std::size_t k = unknown[u];
                    verdicts[k] = examine(records[k].first, *paths[k]);
                }
            });
        }
        for (std::size_t k = 0; k < records.size(); ++k) {
            const auto& verdict = verdicts[k];
            if (!verdict.read) continue;
            ++result_.files_checked;
            result_.findings.insert(result_.findings.end(), verdict.findings.begin(),
                                    verdict.findings.end());
            check_across(*paths[k], verdict);
        }
        if (cache && !unknown.empty()) cache->save(paths, identities, verdicts, whole_store_);
    }

    // The checks that need the other records: a duplicate ID, a link to nothing.
    void check_across(const std::string& path, const RecordVerdict& verdict) {
        if (verdict.id.empty()) return;
        if (duplicated_.contains(verdict.id)) {
            auto others = paths_of(verdict.id);
            std::erase(others, path);
            result_.findings.push_back(
                {Severity::error, Diagnostic{path, verdict.id_line, verdict.id_column, "/id",
                                             fmt::format("duplicate id {}: also in {}", verdict.id,
                                                         fmt::join(others, ", "))}});
        }
        // A warning: the other record may come with the next pull or import.
        for (const auto& link : verdict.links)
            if (count_named(link.target) == 0)
                result_.findings.push_back(
                    {Severity::warning,
                     Diagnostic{
                         path, link.line, link.column, fmt::format("/links/{}", link.index),
                         fmt::format("links to {}, which is not in the store", link.target)}});
    }

    static std::vector<Finding>& sink() { return *current_sink; }

    void add(Severity severity, const std::string& file, const Node* at, std::string pointer,
             std::string message) {
        sink().push_back({severity, Diagnostic{file, at ? at->line() : 1, at ? at->column() : 1,
                                               std::move(pointer), std::move(message)}});
    }
    void add_all(const std::vector<Diagnostic>& diagnostics, const std::string& file,
                 const std::string& fallback) {
        if (diagnostics.empty())
            sink().push_back({Severity::error, Diagnostic{file, 1, 1, "", fallback}});
        for (const auto& d : diagnostics)
            sink().push_back({Severity::error, d});
    }

    // Parses one settings file; returns its document if it is valid.
    std::optional<Node> settings_document(const std::string& name, const std::string& schema,
                                          bool report) {
        std::optional<std::string> text;
        try {
            text = snapshot_.read(name);
        } catch (const InvalidDataError& e) {
            if (report) add_all(e.diagnostics(), name, e.what());
            return std::nullopt;
        }
        if (!text) return std::nullopt;
        settings_texts_.push_back(*text);
        if (report) ++result_.files_checked;
        try {
            return parse_yaml_map(*text, schema, name);
        } catch (const InvalidDataError& e) {
            if (report) add_all(e.diagnostics(), name, e.what());
        }
        return std::nullopt;
    }

    void load_settings_files(bool report) {
        if (auto doc = settings_document("opsflow.yaml", "opsflow", report)) {
            settings_doc_ = doc;
            try {
                settings_ = settings_from(*doc, "opsflow.yaml");
            } catch (const InvalidDataError& e) {
                if (report) add_all(e.diagnostics(), "opsflow.yaml", e.what());
            }
        } else if (report && !snapshot_.read("opsflow.yaml")) {
            add(Severity::error, "opsflow.yaml", nullptr, "", "the store has no opsflow.yaml");
        }
        if (auto doc = settings_document("team.yaml", "team", report)) {
            try {
                team_ = team_from(*doc, "team.yaml");
            } catch (const InvalidDataError& e) {
                if (report) add_all(e.diagnostics(), "team.yaml", e.what());
            }
        }
        if (auto doc = settings_document("services.yaml", "services", report))
            services_ = services_from(*doc, "services.yaml");
        if (report && settings_ && team_) check_routing();
    }

    void check_routing() {
        const Node* routing = settings_doc_ ? settings_doc_->find("routing") : nullptr;
        if (!routing) return;
        for (const auto& rule : routing->items()) {
            auto assign = rule.get("assign").value_or("");
            bool known = assign.starts_with("team:") ? team_->teams.contains(assign.substr(5))
                                                     : team_->find(assign) != nullptr;
            if (!known)
                add(Severity::error, "opsflow.yaml", rule.find("assign"), "",
                    fmt::format("routing assigns to '{}', who is not in team.yaml", assign));
        }
    }

    void index_ids() {
        ids_.reserve(paths_.size());
        for (std::size_t i = 0; i < paths_.size(); ++i) {
            std::string_view p = paths_[i];
            p.remove_prefix(p.rfind('/') + 1); // npos + 1 == 0
            if (p.ends_with(".yaml")) p.remove_suffix(5);
            ids_.emplace_back(p, i);
        }
        std::sort(ids_.begin(), ids_.end());
        for (std::size_t i = 1; i < ids_.size(); ++i)
            if (ids_[i].first == ids_[i - 1].first) duplicated_.insert(ids_[i].first);
    }

    std::size_t count_named(std::string_view id) const {
        auto [first, last] =
            std::equal_range(ids_.begin(), ids_.end(), std::pair{id, std::size_t{0}},
                             [](const auto& a, const auto& b) { return a.first < b.first; });
        return static_cast<std::size_t>(last - first);
    }

    std::vector<std::string> paths_of(std::string_view id) const {
        std::vector<std::string> out;
        auto it = std::lower_bound(ids_.begin(), ids_.end(), std::pair{id, std::size_t{0}});
        for (; it != ids_.end() && it->first == id; ++it)
            out.push_back(paths_[it->second]);
        return out;
    }

    static std::optional<RecordKind> kind_of_path(const std::string& path) {
        for (const auto& kind : all_kinds())
            if (path.starts_with(std::string(kind.directory) + "/")) return kind.kind;
        return std::nullopt;
    }

    // Checks one record on its own: everything but what needs the other records.
    RecordVerdict examine(RecordKind kind, const std::string& path) {
        RecordVerdict verdict;
        current_sink = &verdict.findings;
        std::optional<Record> record;
        try {
            auto text = snapshot_.read(path);
            if (!text) return verdict; // deleted: nothing to check
            verdict.read = true;
            record =
                Record::from_text(kind, std::move(*text), fs::path(path).filename().string(), path);
        } catch (const InvalidDataError& e) {
            verdict.read = true; // there, but not a record that can be read: reported
            add_all(e.diagnostics(), path, e.what());
            return verdict;
        }
        const auto& expected_dir = kind_info(kind).directory;
        if (path.starts_with(std::string(expected_dir) + "/") &&
            fs::path(path).stem() == record->id()) {
            verdict.id = record->id();
            if (const Node* id = record->doc().find("id")) {
                verdict.id_line = id->line();
                verdict.id_column = id->column();
            }
        }
        if (const Node* links = record->doc().find("links"))
            for (std::size_t i = 0; i < links->items().size(); ++i) {
                const Node& link = links->items()[i];
                if (link.is_scalar())
                    verdict.links.push_back({link.text(), link.line(), link.column(), i});
            }
        check_location(*record, path);
        check_references(*record, path);
        check_events(*record, path);
        check_derived_fields(*record, path);
        check_completeness(*record, path);
        check_confidentiality(*record, path);
        return verdict;
    }

    void check_location(const Record& r, const std::string& path) {
        const auto& expected_dir = kind_info(r.kind()).directory;
        if (!path.starts_with(std::string(expected_dir) + "/") || fs::path(path).stem() != r.id())
            return; // the name was already checked when the record was read
        if (!settings_ || r.events().items().empty()) return;
        auto first = parse_rfc3339(r.events().items().front().get("at").value_or(""));
        if (!first) return;
        auto month = month_directory(*first, settings_->zone);
        if (path.find("/" + month + "/") == std::string::npos)
            add(Severity::warning, path, r.doc().find("id"), "/id",
                fmt::format("record is filed under the wrong month: its first event is in {}, so "
                            "it belongs in {}/{}/",
                            month, expected_dir, month));
    }

    void require_person(const std::string& path, const Node* value, const std::string& pointer) {
        if (!value || !value->is_scalar() || value->is_null() || !team_) return;
        if (!team_->find(value->text()))
            add(Severity::error, path, value, pointer,
                fmt::format("'{}' is not a person in team.yaml", value->text()));
    }
    void require_service(const std::string& path, const Node* value, const std::string& pointer) {
        if (!value || !value->is_scalar() || value->is_null() || !services_) return;
        if (!services_->find(value->text()))
            add(Severity::error, path, value, pointer,
                fmt::format("service '{}' is not in services.yaml", value->text()));
    }
    void require_category(const std::string& path, const Node* value, const std::string& pointer) {
        if (!value || !value->is_scalar() || value->is_null() || !settings_) return;
        const auto& cats = settings_->categories;
        if (std::find(cats.begin(), cats.end(), value->text()) == cats.end())
            add(Severity::error, path, value, pointer,
                fmt::format("category '{}' is not in opsflow.yaml's categories", value->text()));
    }

    void check_references(const Record& r, const std::string& path) {
        const Node& doc = r.doc();
        switch (r.kind()) {
        case RecordKind::incident:
        case RecordKind::ticket:
            require_service(path, doc.find("service"), "/service");
            require_category(path, doc.find("category"), "/category");
            require_person(path, doc.find("assignee"), "/assignee");
            break;
        case RecordKind::maintenance:
            if (const Node* services = doc.find("services"))
                for (std::size_t i = 0; i < services->items().size(); ++i)
                    require_service(path, &services->items()[i], fmt::format("/services/{}", i));
            require_person(path, doc.find("owner"), "/owner");
            break;
        case RecordKind::improvement:
            if (const Node* scope = doc.find("scope")) {
                require_service(path, scope->find("service"), "/scope/service");
                require_category(path, scope->find("category"), "/scope/category");
            }
            require_person(path, doc.find("owner"), "/owner");
            break;
        }
    }

    // Equal, where a map entry whose value is null counts as absent: the writer drops
    // nulls from a record's current state, while events keep what the step computed.
    static bool same_content(const Node& a, const Node& b) {
        if (!a.is_map() || !b.is_map()) return a == b;
        auto without_nulls = [](const Node& map) {
            std::vector<const Node::Entry*> kept;
            for (const auto& entry : map.entries())
                if (!entry.second.is_null()) kept.push_back(&entry);
            return kept;
        };
        auto x = without_nulls(a), y = without_nulls(b);
        if (x.size() != y.size()) return false;
        for (const auto* entry : x) {
            const Node* other = b.find(entry->first);
            if (!other || !same_content(entry->second, *other)) return false;
        }
        return true;
    }

    // The events are the history: they must be in time order, follow the workflow,
    // and replaying the fields they set must give the record's current state.
    void check_events(const Record& r, const std::string& path) {
        const auto& events = r.events().items();
        auto report = [&](const HistoryProblem& problem) {
            const Node& event = events[problem.event];
            const Node* at = event.is_map() ? event.find(problem.key) : nullptr;
            add(Severity::error, path, at ? at : &event,
                fmt::format("/events/{}/{}", problem.event, problem.key), problem.message);
        };
        for (const auto& problem : check_event_times(r.events()))
            if (problem.cause == HistoryProblem::Cause::time_order) // invalid: see check_times
                report(problem);
        for (const auto& problem : replay_workflow(r).problems)
            report(problem);
        for (const auto& [key, source] : replayed_fields(r)) {
            const Node* current = r.doc().find(key);
            const Node& expected = *source.value;
            bool same = current ? same_content(*current, expected) : expected.is_null();
            if (same) continue;
            auto shown = [](const Node* n) {
                return !n || n->is_null() ? std::string("(none)")
                       : n->is_scalar()   ? "'" + n->text() + "'"
                                          : std::string("a different value");
            };
            add(Severity::error, path, current ? current : r.doc().find("id"), "/" + key,
                fmt::format("{} is {} but the events say {} (set by the last '{}' event)", key,
                            shown(current), shown(&expected), source.action));
        }
    }

    // An incident's priority is the matrix's for its impact and urgency, unless the
    // last event that set it gave a reason (an override); its deadlines are what its
    // events and the SLA settings give. Each side of a merge can agree with its own
    // events and the merge still not: impact raised on one side, urgency on the other,
    // priority left at what each side computed alone.
    void check_derived_fields(const Record& r, const std::string& path) {
        if (r.kind() != RecordKind::incident || !settings_) return;
        std::string expected;
        try {
            expected = derived_priority(r, *settings_);
        } catch (const InvalidDataError&) {
            return; // an unknown impact or urgency is reported by the schema and settings
        }
        std::string impact = r.field("impact"), urgency = r.field("urgency");
        if (r.field("priority") != expected) {
            add(Severity::error, path, r.doc().find("priority"), "/priority",
                fmt::format("priority {} disagrees with impact {} and urgency {}: the priority "
                            "matrix gives {}, and no event overrides it with a reason (run: "
                            "opsflow incident classify {} --impact {} --urgency {})",
                            r.field("priority"), impact, urgency, expected, r.id(), impact,
                            urgency));
            return; // the deadlines follow the priority: fixing it fixes them
        }
        // A warning: a change of the SLA targets in opsflow.yaml moves the deadlines
        // of records written before it, and that is no error in the record.
        Record derived = r;
        refresh_sla_deadlines(derived, *settings_);
        const Node* sla = r.doc().find("sla");
        const bool can_classify = workflow_of(r.kind()).allows("classify", r.status());
        for (std::string_view key : {"respond_by", "resolve_by"}) {
            auto have = sla && sla->is_map() ? sla->get(key) : std::nullopt;
            const Node* derived_sla = derived.doc().find("sla");
            auto want = derived_sla ? derived_sla->get(key) : std::nullopt;
            if (have == want) continue;
            const Node* at = sla && sla->is_map() && sla->find(key) ? sla->find(key) : sla;
            add(Severity::warning, path, at ? at : r.doc().find("id"), fmt::format("/sla/{}", key),
                fmt::format(
                    "sla.{} is {} but its events and the SLA targets in opsflow.yaml give "
                    "{} ({})",
                    key, have.value_or("(none)"), want.value_or("(none)"),
                    can_classify
                        ? fmt::format("run: opsflow incident classify {} to set it again", r.id())
                        : std::string("set it by hand if the targets have not changed")));
        }
    }

    // What a record must hold in its status (the workflow's requirements).
    void check_completeness(const Record& r, const std::string& path) {
        const std::string status = r.status();
        for (const auto& req : workflow_of(r.kind()).requirements) {
            if (std::find(req.statuses.begin(), req.statuses.end(), status) == req.statuses.end())
                continue;
            const Node* value = r.doc().find(req.field);
            bool held = false;
            switch (req.test) {
            case Requirement::Test::present:
                held = value && !value->is_null() && !(value->is_scalar() && value->text().empty());
                break;
            case Requirement::Test::not_empty:
                held = value && ((value->is_sequence() && !value->items().empty()) ||
                                 (value->is_map() && !value->entries().empty()));
                break;
            case Requirement::Test::passed:
                held = value && value->is_map() && value->get("result") == "passed";
                break;
            }
            if (!held)
                add(Severity::error, path, r.doc().find("status"), "/" + std::string(req.field),
                    std::string(req.message));
        }
    }

    // Where `needle` starts in the file, searching from the node's own position, so
    // that a finding inside a block of text points at its line.
    static std::pair<int, int> locate(const std::string& text, const Node& node,
                                      std::string_view needle) {
        std::size_t pos = 0;
        for (int line = 1; line < node.line() && pos != std::string::npos; ++line)
            pos = text.find('\n', pos) == std::string::npos ? std::string::npos
                                                            : text.find('\n', pos) + 1;
        if (pos == std::string::npos) return {node.line(), node.column()};
        auto found = text.find(needle, pos);
        if (found == std::string::npos) return {node.line(), node.column()};
        int line = node.line();
        auto line_start = pos;
        for (auto p = text.find('\n', pos); p != std::string::npos && p < found;
             p = text.find('\n', p + 1)) {
            ++line;
            line_start = p + 1;
        }
        return {line, static_cast<int>(found - line_start) + 1};
    }

    void scan(const Record& r, const std::string& path, const Node& node,
              const std::string& pointer, std::string_view key) {
        if (node.is_map()) {
            for (const auto& [k, v] : node.entries())
                scan(r, path, v, pointer + "/" + k, k);
        } else if (node.is_sequence()) {
            for (std::size_t i = 0; i < node.items().size(); ++i)
                scan(r, path, node.items()[i], fmt::format("{}/{}", pointer, i), key);
        } else if (node.kind() == ScalarKind::string && !node.text().empty()) {
            auto matches = find_secrets(node.text());
            if (!contact_fields.contains(key)) {
                auto personal = find_personal_data(node.text());
                matches.insert(matches.end(), personal.begin(), personal.end());
            }
            for (const auto& m : matches) {
                auto [line, column] =
                    locate(r.original_text(), node,
                           std::string_view(node.text()).substr(m.offset, m.length));
                sink().push_back(
                    {m.secret ? Severity::error : Severity::warning,
                     Diagnostic{path, line, column, pointer,
                                m.secret
                                    ? fmt::format("{} in a record: remove it and rotate it", m.what)
                                    : fmt::format("{} in free text: keep personal data in the "
                                                  "reporter/requester field",
                                                  m.what)}});
            }
        }
    }

    void check_confidentiality(const Record& r, const std::string& path) {
        scan(r, path, r.doc(), "", "");
    }

    const Snapshot& snapshot_;
    CheckResult& result_;
    std::vector<std::string> paths_;
    // (ID, index into paths_), sorted: 100,000 records without a node per record.
    std::vector<std::pair<std::string_view, std::size_t>> ids_;
    std::set<std::string_view> duplicated_;   // IDs that more than one file has
    std::vector<std::string> settings_texts_; // for the cache's fingerprint
    bool whole_store_ = false;
    std::optional<Node> settings_doc_;
    std::optional<Settings> settings_;
    std::optional<Team> team_;
    std::optional<ServiceCatalog> services_;
};

} // namespace

CheckResult check_store(const Snapshot& snapshot,
                        const std::optional<std::vector<std::string>>& only) {
    CheckResult result;
    Checker(snapshot, result).run(only);
    return result;
}

} // namespace opsflow
