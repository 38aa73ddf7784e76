// opsflow search: every record's words, Chinese and English, best first (SPEC §11).
#include "cli.hpp"
#include "opsflow/base/csv.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/search/search.hpp"
#include "output.hpp"
#include "similar_view.hpp"

#include <fmt/format.h>
#include <iostream>
#include <nlohmann/json.hpp>

namespace opsflow::cli {

namespace {

// The snippet's matched words in bold on a terminal, else between `**`.
std::string snippet_text(const std::vector<SnippetPart>& parts, bool color) {
    std::string out;
    for (const auto& part : parts)
        out += !part.matched ? part.text
               : color       ? paint(part.text, Color::bold, true)
                             : "**" + part.text + "**";
    return out;
}

std::string day_of(Timestamp t, const Store& store) {
    return format_rfc3339(t, store.settings().zone).substr(0, 10);
}

std::string hits_text(const SearchResult& result, const Store& store, bool color) {
    std::size_t status_width = 0;
    for (const auto& hit : result.hits)
        status_width = std::max(status_width, display_width(tr(hit.status)));
    std::string out;
    for (const auto& hit : result.hits) {
        std::string status = tr(hit.status);
        status += std::string(status_width - display_width(status), ' ');
        out += fmt::format("{}  {}  {}  {}\n", paint(hit.id, Color::yellow, color), status,
                           day_of(hit.when, store), hit.title);
        if (!hit.snippet.empty()) out += "    " + snippet_text(hit.snippet, color) + "\n";
    }
    return out;
}

std::string hits_csv(const SearchResult& result, const Store& store) {
    std::string out = csv_row({"id", "kind", "status", "date", "score", "title", "snippet"});
    for (const auto& hit : result.hits)
        out += csv_text_row({hit.id, std::string(kind_info(hit.kind).name), hit.status,
                             day_of(hit.when, store), fmt::format("{:.3f}", hit.score), hit.title,
                             snippet_text(hit.snippet, false)});
    return out;
}

std::string hits_json(const SearchResult& result) {
    auto array = nlohmann::ordered_json::array();
    for (const auto& hit : result.hits)
        array.push_back({{"id", hit.id},
                         {"kind", kind_info(hit.kind).name},
                         {"status", hit.status},
                         {"score", hit.score},
                         {"title", hit.title},
                         {"snippet", snippet_text(hit.snippet, false)},
                         {"fields", hit.fields}});
    return array.dump(2) + "\n";
}

} // namespace

void register_search_command(CLI::App& app, Cli& state) {
    struct O {
        std::vector<std::string> words, kinds, statuses;
        std::string service, category, since, until, format = "table";
        std::size_t limit = 20;
        bool json = false;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(
        &app, state, "search", tr("Find records by their words, Chinese or English, best first"),
        "opsflow search 'VPN 证书' --kind incident --status closed", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            Store& store = cli.store();
            SearchRequest request;
            for (const auto& word : o.words)
                request.query += (request.query.empty() ? "" : " ") + word;
            for (const auto& name : o.kinds)
                request.kinds.push_back(*kind_from_name(name));
            request.statuses = o.statuses;
            request.service = given(cmd, "--service", o.service);
            request.category = given(cmd, "--category", o.category);
            if (!o.since.empty()) request.since = cli.time_option(o.since, "--since");
            if (!o.until.empty()) request.until = cli.time_option(o.until, "--until");
            request.limit = o.limit;
            SearchResult result = search_records(store, request, index_progress(cli));
            std::string format = o.json ? "json" : o.format;
            if (format == "json")
                std::cout << hits_json(result);
            else if (format == "csv")
                std::cout << hits_csv(result, store);
            else
                std::cout << hits_text(result, store, cli.color_enabled());
        });
    std::vector<std::string> kind_names;
    for (const auto& info : all_kinds())
        kind_names.emplace_back(info.name);
    command
        ->add_option("QUERY", opts->words,
                     tr("Words (all must match), \"a phrase\", OR, NOT or -word, and fields: "
                        "title: text: cause: resolution: reporter: requester: assignee: "
                        "service: category: status: kind:"))
        ->required();
    command->add_option("--kind", opts->kinds, tr("Only these kinds (comma-separated)"))
        ->delimiter(',')
        ->check(CLI::IsMember(kind_names));
    command->add_option("--status", opts->statuses, tr("Only these statuses (comma-separated)"))
        ->delimiter(',');
    command->add_option("--service", opts->service, tr("Only this service"));
    command->add_option("--category", opts->category, tr("Only this category"));
    command->add_option("--since", opts->since, tr("Only records begun at or after this time"));
    command->add_option("--until", opts->until, tr("Only records begun before this time"));
    command->add_option("--limit", opts->limit, tr("At most N hits (default 20)"))
        ->check(CLI::Range(1, 1000));
    command->add_flag("--json", opts->json, tr("JSON: one object per hit"));
    command->add_option("--format", opts->format, tr("table, csv or json"))
        ->check(CLI::IsMember({"table", "csv", "json"}));
}

} // namespace opsflow::cli
