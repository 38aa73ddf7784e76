#include "check_cache.hpp"

#include "opsflow/files.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view format_line = "opsflow check cache 1";

// `path \t identity \t id \t id_line \t id_column \t extra`, where extra is empty
// or a JSON object with the links ("k") and findings ("f"): most records have neither.
std::string encode(const std::string& path, const std::string& identity, const RecordVerdict& v) {
    std::string extra;
    if (!v.links.empty() || !v.findings.empty()) {
        nlohmann::json links = nlohmann::json::array(), findings = nlohmann::json::array();
        for (const auto& l : v.links)
            links.push_back({l.target, l.line, l.column, l.index});
        for (const auto& f : v.findings)
            findings.push_back({f.severity == Severity::error ? 1 : 0, f.where.line, f.where.column,
                                f.where.path, f.where.message});
        extra = nlohmann::json{{"k", links}, {"f", findings}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", path, identity, v.id, v.id_line, v.id_column,
                       extra);
}

bool decode(std::string_view line, std::string& path, std::string& identity, RecordVerdict& v) {
    std::string_view fields[6];
    for (int i = 0; i < 6; ++i) {
        auto tab = i < 5 ? line.find('\t') : line.size();
        if (tab == std::string_view::npos) return false;
        fields[i] = line.substr(0, tab);
        line.remove_prefix(i < 5 ? tab + 1 : tab);
    }
    path = fields[0];
    identity = fields[1];
    v.read = true;
    v.id = fields[2];
    v.id_line = std::atoi(std::string(fields[3]).c_str());
    v.id_column = std::atoi(std::string(fields[4]).c_str());
    if (fields[5].empty()) return !path.empty() && !identity.empty();
    auto extra = nlohmann::json::parse(fields[5], nullptr, false);
    if (!extra.is_object()) return false;
    for (const auto& l : extra.value("k", nlohmann::json::array()))
        v.links.push_back({l.at(0).get<std::string>(), l.at(1).get<int>(), l.at(2).get<int>(),
                           l.at(3).get<std::size_t>()});
    for (const auto& f : extra.value("f", nlohmann::json::array()))
        v.findings.push_back({f.at(0).get<int>() ? Severity::error : Severity::warning,
                              Diagnostic{path, f.at(1).get<int>(), f.at(2).get<int>(),
                                         f.at(3).get<std::string>(), f.at(4).get<std::string>()}});
    return !path.empty() && !identity.empty();
}

} // namespace

CheckCache::CheckCache(fs::path file, std::string fingerprint)
    : file_(std::move(file)), fingerprint_(std::move(fingerprint)) {
    mapped_ = std::make_unique<const MappedText>(file_); // empty when there is none yet
    std::string_view rest = mapped_->text();
    auto first = rest.find('\n');
    if (first == std::string_view::npos ||
        rest.substr(0, first) != fmt::format("{}\t{}", format_line, fingerprint_))
        return; // another opsflow or other settings: every record is checked again
    rest.remove_prefix(first + 1);
    while (!rest.empty()) {
        auto nl = rest.find('\n');
        if (nl == std::string_view::npos) break; // cut short: the last line is lost
        std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(nl + 1);
        auto tab1 = line.find('\t');
        auto tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
        if (tab2 == std::string_view::npos) continue;
        stored_.push_back({line.substr(0, tab1), line.substr(tab1 + 1, tab2 - tab1 - 1), line});
    }
    if (!std::is_sorted(stored_.begin(), stored_.end(),
                        [](const Stored& a, const Stored& b) { return a.path < b.path; }))
        stored_.clear(); // not written by us: start again
}

std::vector<std::optional<RecordVerdict>>
CheckCache::find(const std::vector<const std::string*>& paths,
                 const std::vector<std::string>& identities) const {
    std::vector<std::optional<RecordVerdict>> out(paths.size());
    std::size_t s = 0;
    for (std::size_t k = 0; k < paths.size(); ++k) {
        std::string_view path = *paths[k];
        while (s < stored_.size() && stored_[s].path < path)
            ++s;
        if (s == stored_.size()) break;
        if (stored_[s].path != path || identities[k].empty() ||
            stored_[s].identity != identities[k])
            continue;
        RecordVerdict verdict;
        std::string p, identity;
        try {
            if (decode(stored_[s].line, p, identity, verdict)) out[k] = std::move(verdict);
        } catch (const std::exception&) {
            // a damaged line: that record is checked again
        }
    }
    return out;
}

void CheckCache::save(const std::vector<const std::string*>& paths,
                      const std::vector<std::string>& identities,
                      const std::vector<RecordVerdict>& verdicts, bool complete) const {
    std::string text = fmt::format("{}\t{}\n", format_line, fingerprint_);
    std::size_t s = 0;
    auto keep_stored_before = [&](std::string_view path) {
        for (; s < stored_.size() && stored_[s].path < path; ++s)
            if (!complete) text.append(stored_[s].line).push_back('\n');
        if (s < stored_.size() && stored_[s].path == path) ++s; // replaced
    };
    for (std::size_t k = 0; k < paths.size(); ++k) {
        keep_stored_before(*paths[k]);
        // A path the line format cannot hold, or content without a settled
        // identity, is simply checked again next time.
        if (identities[k].empty() || !verdicts[k].read ||
            paths[k]->find_first_of("\t\n") != std::string::npos)
            continue;
        text += encode(*paths[k], identities[k], verdicts[k]);
    }
    keep_stored_before(std::string_view("\x7f\x7f\x7f"));
    for (; !complete && s < stored_.size(); ++s)
        text.append(stored_[s].line).push_back('\n');
    if (text == mapped_->text()) return;
    try {
        fs::create_directories(file_.parent_path());
        write_file_atomic(file_, text, Durability::cache);
    } catch (const std::exception&) {
        // a read-only store is still checked, just not remembered
    }
}

} // namespace opsflow
