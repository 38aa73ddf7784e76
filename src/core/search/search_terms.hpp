#pragma once
// What the search index holds, shared by the code that writes it and the code that
// queries it: the fields a query names, the record keys each is read from, the
// prefixes of their terms, the value slots and the index's format.
#include <array>
#include <string_view>

namespace opsflow::search_terms {

// The index's format: an index written with another is rebuilt.
inline constexpr std::string_view format = "opsflow-search 4";

// A field a query can name (`cause:disk`): the record keys its text comes from,
// wherever they are in the record (events too), and the prefix of its terms. Every
// field's text is also indexed without a prefix, so a plain word matches it.
struct TextField {
    std::string_view name;
    std::string_view prefix;
    std::array<std::string_view, 11> keys; // empty entries unused
};
inline constexpr std::array<TextField, 7> text_fields{{
    {"title", "S", {"title", "subject"}},
    {"text",
     "XT",
     {"description", "question", "text", "note", "notes", "analysis", "comment", "feedback",
      "reason", "plan", "body"}},
    {"cause", "XC", {"cause"}},
    {"resolution", "XR", {"resolution", "answer", "workaround", "fix"}},
    {"reporter", "XP", {"reporter"}},
    {"requester", "XQ", {"requester"}},
    {"assignee", "XA", {"assignee", "owner"}},
}};

// Record subtrees that are not the record's own words (the archived notices).
inline constexpr std::array<std::string_view, 1> skipped_keys{{"notices"}};

// Fields a query filters on (`status:closed`): whole values, one term each.
struct FilterField {
    std::string_view name;
    std::string_view prefix;
};
inline constexpr std::array<FilterField, 4> filter_fields{{
    {"kind", "XK"},
    {"status", "XS"},
    {"service", "XV"},
    {"category", "XG"},
}};

// The prefix of a filter's terms (`XS` for status); empty for a name that is none.
constexpr std::string_view filter_prefix(std::string_view name) {
    for (const auto& field : filter_fields)
        if (field.name == name) return field.prefix;
    return {};
}

// A record's unique term: its path in the store.
inline constexpr std::string_view path_prefix = "Q";

enum Slot : unsigned {
    stamp_slot = 0, // the file's path, a line feed, its stamp when it was indexed
    when_slot = 1,  // the record's first time, sortable
};

} // namespace opsflow::search_terms
