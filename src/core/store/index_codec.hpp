#pragma once
// How the facts of one record are written in a line of the query index, and
// read back: tab-separated fields, text escaped so that it never holds a tab
// or a line break. Internal to the query index (src/core/store/query.cpp).
#include "opsflow/record/facts.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace opsflow::index_codec {

std::string serialize(const IncidentFacts& incident);
std::string serialize(const TicketFacts& ticket);
std::string serialize(const MaintenanceFacts& window);
std::string serialize(const ImprovementFacts& improvement);
std::string serialize(const ProblemFacts& problem);
std::string serialize(const ArticleFacts& article);

// The facts of one line, read into `facts` (default ones: where they will stay, so
// that hundreds of bytes are not made and moved for each record). Text views point into
// `line` unless a field had to be unescaped; that text is kept in `keep`. Damaged text
// throws std::invalid_argument, leaving `facts` part read.
void read_incident(std::string_view line, StoreFacts& keep, IncidentFacts& facts);
// Whether the record of `kind` whose facts are `line` is in `scope`, read from its status
// or its Message-IDs alone: the rest of the line is not decoded. A line too short to tell
// is in scope, so that decoding it reports the problem.
bool in_scope(const FactsScope& scope, RecordKind kind, std::string_view line);
void read_ticket(std::string_view line, StoreFacts& keep, TicketFacts& facts);
void read_maintenance(std::string_view line, StoreFacts& keep, MaintenanceFacts& facts);
void read_improvement(std::string_view line, StoreFacts& keep, ImprovementFacts& facts);
void read_problem(std::string_view line, StoreFacts& keep, ProblemFacts& facts);
void read_article(std::string_view line, StoreFacts& keep, ArticleFacts& facts);

// Text as one field: tabs, line breaks and backslashes escaped, and back.
std::string escape(std::string_view text);
std::string unescape(std::string_view field);

// A decimal integer of the index; anything else throws std::invalid_argument.
std::int64_t number(std::string_view text);

} // namespace opsflow::index_codec
