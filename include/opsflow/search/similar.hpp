#pragma once
// Similar records (SPEC §11): the settled records most like a record — closed
// incidents, answered tickets — with what fixed them, and the known errors it
// matches with their workarounds: the fix to try first. Ranked by the search
// index's BM25 over the record's own words (its title and description), so the
// index is brought up to date first.
#include "opsflow/search/search.hpp"

#include <string>
#include <utility>
#include <vector>

namespace opsflow {

struct SimilarRecord {
    RecordKind kind;
    std::string id, status, title;
    double score = 0;
    // What fixed it, by the record's own keys in its order: cause and resolution (an
    // incident), answer (a ticket), cause and workaround (a known error).
    std::vector<std::pair<std::string, std::string>> fixed_by;
};

struct Suggestions {
    std::vector<SimilarRecord> similar;
    std::vector<SimilarRecord> known_errors;
    bool empty() const { return similar.empty() && known_errors.empty(); }
};

// How current the search index must be for suggestions. `as_is`: as every change
// through opsflow left it (keep_search_index_current), for the suggestions after each
// new record: no check of the records, which costs a stat of every file. Each hit is
// read from its file, so a record changed by hand since is shown as it is now and left
// out when it is no longer settled. `checked`: brought up to date with the records
// first, as a search does (hand edits, pulls).
enum class IndexFreshness { as_is, checked };

// At most `limit` similar records and `known_error_limit` known errors for `record`
// (never itself).
Suggestions similar_records(const Store& store, const Record& record, std::size_t limit,
                            std::size_t known_error_limit, IndexFreshness freshness,
                            const SearchProgress& progress = {});

} // namespace opsflow
