#include "similar_view.hpp"

#include "opsflow/base/error.hpp"
#include "output.hpp"

#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

namespace opsflow::cli {

namespace {

// Similar records for a new one: the few an operator reads before starting.
constexpr std::size_t suggested = 3;

nlohmann::ordered_json record_json(const SimilarRecord& s) {
    nlohmann::ordered_json j = {{"id", s.id},
                                {"kind", kind_info(s.kind).name},
                                {"status", s.status},
                                {"score", s.score},
                                {"title", s.title}};
    for (const auto& [key, text] : s.fixed_by)
        j[key] = text;
    return j;
}

std::string one_record(const SimilarRecord& s, bool color) {
    std::string out =
        fmt::format("  {}  {}  {}\n", paint(s.id, Color::yellow, color), tr(s.status), s.title);
    for (const auto& [key, text] : s.fixed_by) {
        std::string first_line = text.substr(0, text.find('\n'));
        out += fmt::format("      {}: {}\n", tr(key), first_line);
    }
    return out;
}

} // namespace

SearchProgress index_progress(const Cli& cli) {
    if (cli.global.quiet || ::isatty(STDERR_FILENO) == 0) return {};
    return [](std::size_t done, std::size_t total) {
        if (total >= 1000 && (done % 1000 == 0 || done == total))
            std::cerr << "\r" << tr("indexing records for search: {}/{}", done, total)
                      << (done == total ? "\n" : "") << std::flush;
    };
}

std::string suggestions_text(const Suggestions& suggestions, bool color) {
    std::string out;
    if (!suggestions.similar.empty()) {
        out += tr("Similar records (what fixed them):") + "\n";
        for (const auto& s : suggestions.similar)
            out += one_record(s, color);
    }
    if (!suggestions.known_errors.empty()) {
        out += tr("Known error (its workaround):") + "\n";
        for (const auto& s : suggestions.known_errors)
            out += one_record(s, color);
    }
    return out;
}

nlohmann::ordered_json suggestions_json(const Suggestions& suggestions) {
    auto similar = nlohmann::ordered_json::array(), known = nlohmann::ordered_json::array();
    for (const auto& s : suggestions.similar)
        similar.push_back(record_json(s));
    for (const auto& s : suggestions.known_errors)
        known.push_back(record_json(s));
    return {{"similar", similar}, {"known_errors", known}};
}

Suggestions suggestions_after_change(Cli& cli, const Record& record, bool json) {
    if (cli.global.quiet && !json) return {};
    Suggestions suggestions;
    try {
        suggestions = similar_records(cli.store(), record, suggested, 1, IndexFreshness::as_is,
                                      index_progress(cli));
    } catch (const Error& e) {
        if (!cli.global.quiet)
            std::cerr << "opsflow: " << tr("warning: no similar records: {}", e.what()) << '\n';
        return {};
    }
    bool color = cli.color_enabled() && ::isatty(STDERR_FILENO) != 0;
    if (!json && !cli.global.quiet) std::cerr << suggestions_text(suggestions, color);
    return suggestions;
}

nlohmann::ordered_json created_json(const std::string& id, const Suggestions& suggestions) {
    auto lists = suggestions_json(suggestions);
    return {{"id", id}, {"similar", lists["similar"]}, {"known_errors", lists["known_errors"]}};
}

void print_created(Cli& cli, const Record& record, bool json) {
    if (!json) std::cout << record.id() << '\n' << std::flush;
    Suggestions suggestions = suggestions_after_change(cli, record, json);
    if (json) std::cout << created_json(record.id(), suggestions).dump(2) << '\n';
}

void add_created_json_flag(CLI::App& command, bool& json) {
    command.add_flag("--json", json,
                     tr("Print the new ID with similar records and known errors as JSON"));
}

} // namespace opsflow::cli
