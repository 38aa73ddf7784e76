#include "check/check_cache.hpp"

#include "base/checksum.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/parallel.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

// Version 2: sealed with a checksum (checksum.hpp). Version 3: links with their
// pointer and the field that must link back.
constexpr std::string_view format_line = "opsflow check cache 3";

// `path \t identity \t id \t id_line \t id_column \t extra`, where extra is empty
// or a JSON object with the links ("k") and findings ("f"): most records have neither.
std::string encode(const std::string& path, const std::string& identity, const RecordVerdict& v) {
    std::string extra;
    if (!v.links.empty() || !v.findings.empty()) {
        nlohmann::json links = nlohmann::json::array(), findings = nlohmann::json::array();
        for (const auto& l : v.links)
            links.push_back({l.target, l.line, l.column, l.pointer, l.back});
        for (const auto& f : v.findings)
            findings.push_back({f.severity == Severity::error ? 1 : 0, f.where.line, f.where.column,
                                f.where.path, f.where.message});
        extra = nlohmann::json{{"k", links}, {"f", findings}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", path, identity, v.id, v.id_line, v.id_column,
                       extra);
}

// A whole decimal number, or 0 (as atoi gives for what is not one).
int number(std::string_view text) {
    int value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

bool decode(std::string_view line, RecordVerdict& v) {
    std::string_view fields[6];
    for (int i = 0; i < 6; ++i) {
        auto tab = i < 5 ? line.find('\t') : line.size();
        if (tab == std::string_view::npos) return false;
        fields[i] = line.substr(0, tab);
        line.remove_prefix(i < 5 ? tab + 1 : tab);
    }
    std::string_view path = fields[0], identity = fields[1];
    v.read = true;
    v.id = fields[2];
    v.id_line = number(fields[3]);
    v.id_column = number(fields[4]);
    if (fields[5].empty()) return !path.empty() && !identity.empty();
    auto extra = nlohmann::json::parse(fields[5], nullptr, false);
    if (!extra.is_object()) return false;
    for (const auto& l : extra.value("k", nlohmann::json::array()))
        v.links.push_back({l.at(0).get<std::string>(), l.at(1).get<int>(), l.at(2).get<int>(),
                           l.at(3).get<std::string>(), l.at(4).get<std::string>()});
    for (const auto& f : extra.value("f", nlohmann::json::array()))
        v.findings.push_back({f.at(0).get<int>() ? Severity::error : Severity::warning,
                              Diagnostic{std::string(path), f.at(1).get<int>(), f.at(2).get<int>(),
                                         f.at(3).get<std::string>(), f.at(4).get<std::string>()}});
    return !path.empty() && !identity.empty();
}

} // namespace

CheckCache::CheckCache(fs::path file, std::string fingerprint)
    : file_(std::move(file)), fingerprint_(std::move(fingerprint)) {
    mapped_ = std::make_unique<const MappedText>(file_, IfMissing::empty); // none yet
    // A file with one damaged byte is not trusted in any part: every record is checked again.
    auto sealed = checksum::unsealed(mapped_->text());
    if (!sealed) return;
    std::string_view rest = *sealed;
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
    auto by_path = [](const Stored& stored, std::string_view path) { return stored.path < path; };
    // In parts, on every core: each part merges its paths with the stored ones from
    // where its first path would be. Mostly the two lists are the same, so a path
    // is first compared for equality with the next one stored.
    const unsigned parts = worker_count(paths.size(), 8192);
    run_on_threads(parts, [&](unsigned part) {
        std::size_t first = paths.size() * part / parts, last = paths.size() * (part + 1) / parts;
        if (first == last) return;
        auto s = static_cast<std::size_t>(
            std::lower_bound(stored_.begin(), stored_.end(), *paths[first], by_path) -
            stored_.begin());
        for (std::size_t k = first; k < last && s < stored_.size(); ++k) {
            std::string_view path = *paths[k];
            if (stored_[s].path != path) {
                while (s < stored_.size() && stored_[s].path < path)
                    ++s;
                if (s == stored_.size() || stored_[s].path != path) continue;
            }
            const Stored& stored = stored_[s++]; // the paths are distinct
            if (identities[k].empty() || stored.identity != identities[k]) continue;
            RecordVerdict verdict;
            try {
                if (decode(stored.line, verdict)) out[k] = std::move(verdict);
            } catch (const std::exception&) {
                // a damaged line: that record is checked again
            }
        }
    });
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
    checksum::seal(text);
    if (text == mapped_->text()) return;
    try {
        fs::create_directories(file_.parent_path());
        write_file_atomic(file_, text, Durability::cache);
    } catch (const std::exception&) {
        // a read-only store is still checked, just not remembered
    }
}

} // namespace opsflow
