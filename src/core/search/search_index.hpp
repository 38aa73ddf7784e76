#pragma once
// Keeping the search index (.opsflow/search/, a Xapian database) up to date with
// the records: what search_records does before it queries.
#include "opsflow/search/search.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>
#include <xapian.h>

namespace opsflow::search_index {

// Where the index is: .opsflow/search/ of the store.
std::filesystem::path directory(const Store& store);

// The words of a record by field (search_terms::text_fields), in the record's order:
// what is indexed, and what snippets are cut from. People are given with the name
// and address team.yaml knows for them.
struct FieldText {
    std::string_view field; // the search field: `text`
    std::string_view key;   // the record's key it was read from: `description`
    std::string text;
};
std::vector<FieldText> record_words(const Record& record, const Team& team);

// Text as a snippet shows it: full-width letters and digits as ASCII, so that the
// snippet marks what the query matched (the index reads search_normal_form), and
// the rest as written.
std::string snippet_form(std::string_view text);

// When the record began: its first event's time (reported, received, planned).
Timestamp first_time(const Record& record);

// The index of `store`, opened for writing and brought up to date: records added,
// changed or removed since it was last written are indexed or dropped (`reindexed`
// counts them). A damaged index, or one of another format, is rebuilt. When another
// process is writing it, waits for it (a few seconds), then reads it as it is.
struct OpenIndex {
    Xapian::Database database;
    std::size_t reindexed = 0;
};
OpenIndex open_up_to_date(const Store& store, const SearchProgress& progress);

// The records of `paths` (store-relative, written by a change) indexed again, in an
// index that exists: what keep_search_index_current listens with.
void index_changed(const Store& store, const std::vector<std::string>& paths);

// The index as it was last brought up to date, without checking the records (at 100,000
// records the check stats every file: 0.4 s); one that is missing, damaged or of
// another format is built as open_up_to_date builds it.
OpenIndex open_as_is(const Store& store, const SearchProgress& progress);

} // namespace opsflow::search_index
