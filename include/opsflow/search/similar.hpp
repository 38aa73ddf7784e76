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

// At most `limit` similar records and `known_error_limit` known errors for `record`
// (never itself, nor a record it is already linked to as the problem it belongs to).
Suggestions similar_records(const Store& store, const Record& record, std::size_t limit,
                            std::size_t known_error_limit = 1, const SearchProgress& progress = {});

} // namespace opsflow
