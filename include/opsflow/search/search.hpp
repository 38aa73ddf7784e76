#pragma once
// Full-text search over every record (SPEC §11): Xapian's BM25 ranking, Chinese by
// character n-grams and English by stemmed words in one query, phrases, OR/NOT and
// field prefixes. The index is derived data in .opsflow/search/, never committed:
// each search first brings it up to date with the records (the query index says
// which files changed), and a missing, damaged or foreign index is rebuilt.
#include "opsflow/base/time.hpp"
#include "opsflow/store/store.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace opsflow {

struct SearchRequest {
    std::string query;
    std::vector<RecordKind> kinds; // empty: every kind
    std::vector<std::string> statuses;
    std::optional<std::string> service;
    std::optional<std::string> category;
    std::optional<Timestamp> since; // the record's first time (reported, received, start)
    std::optional<Timestamp> until; // exclusive
    std::size_t limit = 20;
};

// A piece of a snippet, `matched` when it is a word of the query.
struct SnippetPart {
    std::string text;
    bool matched = false;
    bool operator==(const SnippetPart&) const = default;
};

struct SearchHit {
    RecordKind kind;
    std::string id;
    std::string status;
    std::string title;
    Timestamp when{};
    double score = 0; // BM25; an ID the query names comes first whatever its score
    std::vector<SnippetPart> snippet;
    std::vector<std::string> fields; // the record's fields the query matched, in its order
};

struct SearchResult {
    std::vector<SearchHit> hits;
    std::size_t matches = 0;   // Xapian's estimate of all matching records
    std::size_t reindexed = 0; // records (re)indexed or dropped to bring the index up to date
};

// Called while the index is brought up to date: records done, records to do.
using SearchProgress = std::function<void(std::size_t done, std::size_t total)>;

// Throws UsageError for a query Xapian cannot parse (naming it).
SearchResult search_records(const Store& store, const SearchRequest& request,
                            const SearchProgress& progress = {});

// Keeps the search index current with every change made through `store` (a listener
// on the store): the records a change wrote are indexed again at once, so that the
// suggestions after a new record, which read the index as it is, see the fixes made
// since the last search. Only an index that exists is kept; a busy or damaged one is
// left for the next search to bring up to date.
void keep_search_index_current(Store& store);

// Text as the index reads it: NFKC (full-width forms as half-width, compatibility
// characters as their plain forms). Case is folded by the index itself.
std::string search_normal_form(std::string_view text);

} // namespace opsflow
