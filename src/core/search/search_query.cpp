// A search: the index brought up to date, the query parsed as Xapian parses it (with
// our field names), the filters applied as boolean terms and a value range, the best
// hits read back from their records for their titles and snippets.
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/search/search.hpp"
#include "search/search_index.hpp"
#include "search/search_terms.hpp"

#include <algorithm>
#include <limits>
#include <regex>
#include <set>

namespace opsflow {

namespace {

using namespace search_terms;
namespace fs = std::filesystem;

// Marks Xapian puts around a matched word in a snippet: characters no record holds.
constexpr std::string_view mark_start = "\x02", mark_end = "\x03";

// The query with its words in lower case, the operators (AND, OR, NOT, XOR, NEAR,
// ADJ) left as they are: the parser does not stem a capitalised word, and the index
// holds the stems of every word (`MESSAGE` must find `messages`).
std::string lowercase_words(std::string text) {
    static const std::regex operators("^(AND|OR|NOT|XOR|NEAR(/[0-9]+)?|ADJ(/[0-9]+)?)$");
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find_first_of(" \t\n", start);
        if (end == std::string::npos) end = text.size();
        std::string word = text.substr(start, end - start);
        if (!std::regex_match(word, operators))
            for (std::size_t i = start; i < end; ++i)
                if (text[i] >= 'A' && text[i] <= 'Z')
                    text[i] = static_cast<char>(text[i] - 'A' + 'a');
        start = end + 1;
    }
    return text;
}

Xapian::Query parse_query(const Xapian::Database& db, const std::string& text) {
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_stemmer(Xapian::Stem("english"));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_AND);
    for (const auto& field : text_fields)
        parser.add_prefix(std::string(field.name), std::string(field.prefix));
    for (const auto& field : filter_fields)
        parser.add_boolean_prefix(std::string(field.name), std::string(field.prefix));
    constexpr unsigned flags =
        Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
        Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT |
        Xapian::QueryParser::FLAG_CJK_NGRAM;
    try {
        return parser.parse_query(lowercase_words(search_normal_form(text)), flags);
    } catch (const Xapian::QueryParserError& e) {
        throw UsageError(tr("cannot read the search '{}': {}", text, e.get_msg()));
    }
}

Xapian::Query any_of(std::string_view prefix, const std::vector<std::string>& values) {
    std::vector<Xapian::Query> terms;
    for (const auto& value : values)
        terms.emplace_back(std::string(prefix) + value);
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

Xapian::Query with_filters(Xapian::Query query, const SearchRequest& r) {
    std::vector<Xapian::Query> filters;
    if (!r.kinds.empty()) {
        std::vector<std::string> names;
        for (auto kind : r.kinds)
            names.emplace_back(kind_info(kind).name);
        filters.push_back(any_of(filter_prefix("kind"), names));
    }
    if (!r.statuses.empty()) filters.push_back(any_of(filter_prefix("status"), r.statuses));
    if (r.service) filters.push_back(any_of(filter_prefix("service"), {*r.service}));
    if (r.category) filters.push_back(any_of(filter_prefix("category"), {*r.category}));
    if (r.since || r.until) {
        auto seconds = [](Timestamp t) {
            return static_cast<double>(t.time_since_epoch().count());
        };
        double from = r.since ? seconds(*r.since) : -std::numeric_limits<double>::max();
        double to = r.until ? seconds(*r.until) - 1 : std::numeric_limits<double>::max();
        filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, when_slot,
                             Xapian::sortable_serialise(from), Xapian::sortable_serialise(to));
    }
    if (filters.empty()) return query;
    Xapian::Query all(Xapian::Query::OP_AND, filters.begin(), filters.end());
    return query.empty() ? all : Xapian::Query(Xapian::Query::OP_FILTER, query, all);
}

std::vector<SnippetPart> snippet_parts(const std::string& marked) {
    std::vector<SnippetPart> parts;
    std::size_t at = 0;
    while (at < marked.size()) {
        auto start = marked.find(mark_start, at);
        if (start == std::string::npos) start = marked.size();
        if (start > at) parts.push_back({marked.substr(at, start - at), false});
        if (start == marked.size()) break;
        auto end = marked.find(mark_end, start + 1);
        if (end == std::string::npos) end = marked.size();
        std::string word = marked.substr(start + 1, end - start - 1);
        // Xapian marks each character of a Chinese word apart: one mark for the word.
        if (!parts.empty() && parts.back().matched)
            parts.back().text += word;
        else
            parts.push_back({std::move(word), true});
        at = end + 1;
    }
    return parts;
}

SearchHit hit_of(const Record& record, const Store& store, const Xapian::MSet* matches,
                 double score) {
    SearchHit hit{record.kind(),
                  record.id(),
                  record.status(),
                  "",
                  search_index::first_time(record),
                  score,
                  {},
                  {}};
    hit.title = record.field("title");
    if (hit.title.empty()) hit.title = record.field("subject");
    std::string best, title_snippet;
    for (const auto& words : search_index::record_words(record, store.team())) {
        if (!matches) break;
        std::string snippet =
            matches->snippet(search_index::snippet_form(words.text), 160, Xapian::Stem("english"),
                             Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH |
                                 Xapian::MSet::SNIPPET_CJK_NGRAM | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                             std::string(mark_start), std::string(mark_end), "…");
        if (snippet.empty()) continue;
        if (std::find(hit.fields.begin(), hit.fields.end(), words.key) == hit.fields.end())
            hit.fields.emplace_back(words.key);
        if (words.field == "title")
            title_snippet = title_snippet.empty() ? snippet : title_snippet;
        else if (best.empty())
            best = snippet;
    }
    hit.snippet = snippet_parts(best.empty() ? title_snippet : best);
    return hit;
}

// The records a query that is an ID or ID prefix (`INC-3f9a`, `3f9a1c2e`) names.
std::vector<fs::path> named_records(const Store& store, const std::string& query) {
    static const std::regex id_like(
        "^(([A-Za-z]{2,3})-[0-9a-fA-F]{4,}|[0-9a-fA-F]*[0-9][0-9a-fA-F]*)$");
    std::smatch m;
    if (!std::regex_match(query, m, id_like) || (!m[2].matched && query.size() < 6)) return {};
    IdQuery id;
    try {
        id = parse_id_query(query);
    } catch (const UsageError&) {
        return {};
    }
    std::vector<fs::path> files;
    for (const auto& info : all_kinds())
        if (!id.kind || *id.kind == info.kind)
            store.for_each_record_file(info.kind, id.hex, [&](const fs::path& file) {
                files.push_back(file);
                return true;
            });
    return files;
}

SearchResult search_up_to_date(const Store& store, const SearchRequest& request,
                               const SearchProgress& progress) {
    auto open = search_index::open_up_to_date(store, progress);
    SearchResult result;
    result.reindexed = open.reindexed;
    std::set<std::string> listed;
    for (const auto& file : named_records(store, request.query)) {
        if (result.hits.size() >= request.limit) break;
        auto kind = kind_of_path(fs::relative(file, store.root()).native());
        if (!kind) continue;
        try {
            Record record = store.load(*kind, file);
            listed.insert(record.id());
            result.hits.push_back(hit_of(record, store, nullptr, 0));
        } catch (const Error&) {
        }
    }
    Xapian::Query query = with_filters(parse_query(open.database, request.query), request);
    if (query.empty() && listed.empty())
        throw UsageError(tr("say what to search for: a word, a phrase or a field (status:open)"));
    Xapian::Enquire enquire(open.database);
    enquire.set_query(query.empty() ? Xapian::Query::MatchAll : query);
    Xapian::MSet matches = enquire.get_mset(0, static_cast<Xapian::doccount>(request.limit));
    result.matches = matches.get_matches_estimated() + listed.size();
    for (auto match = matches.begin(); match != matches.end(); ++match) {
        if (result.hits.size() >= request.limit) break;
        std::string relative = match.get_document().get_data();
        auto kind = kind_of_path(relative);
        if (!kind) continue;
        try {
            Record record = store.load(*kind, store.root() / relative);
            if (listed.count(record.id())) continue;
            result.hits.push_back(hit_of(record, store, &matches, match.get_weight()));
        } catch (const Error&) {
            // Changed or gone since the index was brought up to date: the next search
            // indexes it again.
        }
    }
    return result;
}

} // namespace

SearchResult search_records(const Store& store, const SearchRequest& request,
                            const SearchProgress& progress) {
    try {
        return search_up_to_date(store, request, progress);
    } catch (const Xapian::Error& e) {
        throw RuntimeError(tr("the search index ({}) cannot be read: {}",
                              store.display(search_index::directory(store)), e.get_description()));
    }
}

} // namespace opsflow
