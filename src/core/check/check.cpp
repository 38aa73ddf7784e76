#include "opsflow/check/check.hpp"

#include "base/fingerprint.hpp"
#include "check/check_cache.hpp"
#include "check/check_record.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/id.hpp"
#include "opsflow/base/parallel.hpp"
#include "opsflow/git/git.hpp"
#include "opsflow/record/record.hpp"
#include "opsflow/record/schema.hpp"
#include "opsflow/record/settings.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> settings_files = {"opsflow.yaml", "team.yaml", "services.yaml"};

} // namespace

std::size_t CheckResult::count(Severity severity) const {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [&](const CheckFinding& f) { return f.severity == severity; }));
}

namespace {

class Checker {
  public:
    Checker(const Snapshot& snapshot, CheckResult& result) : snapshot_(snapshot), result_(result) {}

    void run(const std::optional<std::vector<std::string>>& only) {
        whole_store_ = !only;
        // The records themselves are fetched a slice at a time by check_records.
        auto to_read = only && only->size() <= few_records ? *only : std::vector<std::string>{};
        to_read.insert(to_read.end(), settings_files.begin(), settings_files.end());
        if (only && only->size() <= few_records) snapshot_.expect_named(own_ids(*only));
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
                  [](const CheckFinding& a, const CheckFinding& b) {
                      return std::tie(a.where.file, a.where.line, a.where.column) <
                             std::tie(b.where.file, b.where.line, b.where.column);
                  });
    }

  private:
    // Up to this many records are checked against the store by asking for the few
    // IDs they name (their own and their links), not by listing every record.
    static constexpr std::size_t few_records = 8;

    // The IDs of the records among `targets`, from their file names.
    static std::set<std::string> own_ids(const std::vector<std::string>& targets) {
        std::set<std::string> ids;
        for (const auto& path : targets)
            if (kind_of_path(path)) ids.insert(fs::path(path).stem().string());
        return ids;
    }

    std::set<std::string> ids_needed_by(const std::vector<std::string>& targets) const {
        std::set<std::string> ids = own_ids(targets);
        for (const auto& path : targets) {
            auto kind = kind_of_path(path);
            if (!kind) continue;
            try {
                auto text = snapshot_.read(path);
                if (!text) continue;
                Record record(
                    *kind, parse_yaml_map(*text, std::string(kind_info(*kind).name), path), path);
                for (const auto& link : named_links(record))
                    ids.insert(link.node->text());
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
        // The cache pays for itself over many records; for the few a commit stages, reading
        // and rewriting every record's verdict would cost more than checking them.
        bool worth_a_cache = whole_store_ || records.size() > few_records;
        if (auto file = snapshot_.cache_file();
            file && worth_a_cache && settings_ && team_ && services_) {
            // A verdict keeps its messages in the language they were made in: one cache
            // per language (check-cache, check-cache.zh-CN), so that neither evicts the other.
            if (current_language() != Language::en)
                *file += "." + std::string(language_tag(current_language()));
            cache.emplace(*file, cache_fingerprint(settings_texts_));
        }

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
            StoreSettings store{settings_ ? &*settings_ : nullptr, team_ ? &*team_ : nullptr,
                                services_ ? &*services_ : nullptr};
            run_on_threads(workers, [&](unsigned t) {
                for (std::size_t u = first + t; u < last; u += workers) {
                    std::size_t k = unknown[u];
                    verdicts[k] = check_record(snapshot_, store, records[k].first, *paths[k]);
                }
            });
        }
        // Who names whom in a field kept on both records, to see that the other names back,
        // and which of those others were read in this run: few records have such links.
        for (const auto& verdict : verdicts)
            for (const auto& link : verdict.links)
                if (!link.back.empty()) linked_both_ways_[verdict.id].insert(link.target);
        if (!linked_both_ways_.empty()) {
            std::unordered_set<std::string_view> named;
            for (const auto& [id, others] : linked_both_ways_)
                named.insert(others.begin(), others.end());
            for (const auto& verdict : verdicts)
                if (verdict.read && named.contains(verdict.id)) checked_ids_.insert(verdict.id);
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
                                             tr("duplicate id {}: also in {}", verdict.id,
                                                fmt::format("{}", fmt::join(others, ", ")))}});
        }
        // A warning: the other record may come with the next pull or import.
        for (const auto& link : verdict.links) {
            if (count_named(link.target) == 0) {
                result_.findings.push_back(
                    {Severity::warning,
                     Diagnostic{path, link.line, link.column, link.pointer,
                                tr("links to {}, which is not in the store", link.target)}});
                continue;
            }
            // Only where the other record was read in this run (a push checks its own).
            auto other = linked_both_ways_.find(link.target);
            if (link.back.empty() || !checked_ids_.contains(link.target)) continue;
            if (other == linked_both_ways_.end() || !other->second.contains(verdict.id))
                result_.findings.push_back(
                    {Severity::error,
                     Diagnostic{path, link.line, link.column, link.pointer,
                                tr("names {0}, but {0} does not name {1} in its {2}", link.target,
                                   verdict.id, link.back)}});
        }
    }

    void add(Severity severity, const std::string& file, const Node* at, std::string pointer,
             std::string message) {
        add_finding(result_.findings, severity, file, at, std::move(pointer), std::move(message));
    }
    void add_all(const std::vector<Diagnostic>& diagnostics, const std::string& file,
                 const std::string& fallback) {
        add_errors(result_.findings, diagnostics, file, fallback);
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
            add(Severity::error, "opsflow.yaml", nullptr, "", tr("the store has no opsflow.yaml"));
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
        if (report && settings_)
            if (auto missing = missing_catalogue(settings_->language))
                add(Severity::warning, "opsflow.yaml",
                    settings_doc_ ? settings_doc_->find("language") : nullptr, "/language",
                    *missing);
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
                    tr("routing assigns to '{}', who is not in team.yaml", assign));
        }
    }

    void index_ids() {
        // Sorted by their first eight bytes as a number, then as text: the same order
        // as the text alone (names hold no NUL), with a fraction of the calls to
        // memcmp, which dominated a warm check of 100,000 records.
        struct Keyed {
            std::uint64_t first_bytes;
            std::string_view id;
            std::size_t place;
        };
        std::vector<Keyed> keyed;
        keyed.reserve(paths_.size());
        for (std::size_t i = 0; i < paths_.size(); ++i) {
            std::string_view p = paths_[i];
            p.remove_prefix(p.rfind('/') + 1); // npos + 1 == 0
            if (p.ends_with(".yaml")) p.remove_suffix(5);
            std::uint64_t first_bytes = 0;
            for (std::size_t b = 0; b < 8; ++b)
                first_bytes =
                    first_bytes << 8 | (b < p.size() ? static_cast<unsigned char>(p[b]) : 0u);
            keyed.push_back({first_bytes, p, i});
        }
        std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
            if (a.first_bytes != b.first_bytes) return a.first_bytes < b.first_bytes;
            return std::tie(a.id, a.place) < std::tie(b.id, b.place);
        });
        ids_.reserve(keyed.size());
        for (const auto& k : keyed)
            ids_.emplace_back(k.id, k.place);
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

    const Snapshot& snapshot_;
    CheckResult& result_;
    std::vector<std::string> paths_;
    // (ID, index into paths_), sorted: 100,000 records without a node per record.
    std::vector<std::pair<std::string_view, std::size_t>> ids_;
    std::set<std::string_view> duplicated_; // IDs that more than one file has
    // The records read in this run, and whom each names in a field kept on both records.
    std::unordered_set<std::string> checked_ids_;
    std::unordered_map<std::string, std::unordered_set<std::string>> linked_both_ways_;
    std::vector<std::string> settings_texts_; // for the cache's fingerprint
    bool whole_store_ = false;
    std::optional<Node> settings_doc_;
    std::optional<Settings> settings_;
    std::optional<Team> team_;
    std::optional<ServiceCatalog> services_;
};

} // namespace

namespace {

// PATH arguments, relative to `cwd`, as paths relative to the store root.
std::vector<std::string> store_relative(const fs::path& root, const fs::path& cwd,
                                        const std::vector<std::string>& args,
                                        const Snapshot& snapshot) {
    std::vector<std::string> out;
    auto records = snapshot.record_paths();
    for (const auto& arg : args) {
        auto relative =
            fs::weakly_canonical(cwd / arg).lexically_relative(fs::weakly_canonical(root));
        std::string r = relative.generic_string();
        if (r.empty() || r == ".")
            r = "";
        else if (r.starts_with(".."))
            throw UsageError(tr("{} is outside the store at {}", arg, root.string()));
        bool matched = false;
        for (const auto& p : records)
            if (r.empty() || p == r || p.starts_with(r + "/")) {
                out.push_back(p);
                matched = true;
            }
        if (!matched) out.push_back(r); // a settings file, or a missing file to report
    }
    return out;
}

} // namespace

CheckResult check_request(const fs::path& root, const CheckRequest& request) {
    std::unique_ptr<Snapshot> snapshot;
    std::optional<std::vector<std::string>> only;
    if (request.staged) {
        if (!Git::find_work_tree(root))
            throw UsageError(tr("--staged needs a git work tree, and the store is not in one"));
        auto staged = std::make_unique<StagedSnapshot>(root);
        only = staged->changed();
        snapshot = std::move(staged);
    } else {
        snapshot = std::make_unique<WorkTreeSnapshot>(root);
    }
    if (!request.paths.empty()) {
        auto named = store_relative(root, request.cwd, request.paths, *snapshot);
        if (only)
            std::erase_if(named, [&](const std::string& p) {
                return std::find(only->begin(), only->end(), p) == only->end();
            });
        only = named;
    }
    return check_store(*snapshot, only);
}

CheckResult check_store(const Snapshot& snapshot,
                        const std::optional<std::vector<std::string>>& only) {
    CheckResult result;
    Checker(snapshot, result).run(only);
    return result;
}

} // namespace opsflow
