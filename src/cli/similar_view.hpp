#pragma once
// Similar records as the operator sees them (SPEC §11): after `incident new`, `ticket
// new` and `mail receive` on standard error, and in `show --similar`.
#include "cli.hpp"
#include "opsflow/search/similar.hpp"

#include <nlohmann/json.hpp>

namespace opsflow::cli {

// Progress of a search index being built, on a terminal's standard error.
SearchProgress index_progress(const Cli& cli);

std::string suggestions_text(const Suggestions& suggestions, bool color);
nlohmann::ordered_json suggestions_json(const Suggestions& suggestions);

// The suggestions for a record just made: computed unless -q (and printed on standard
// error), or when `json` asks for them. A failure to compute them is a warning: the
// record is made already.
Suggestions suggestions_after_change(Cli& cli, const Record& record, bool json);

// `{"id": ..., "similar": [...], "known_errors": [...]}`
nlohmann::ordered_json created_json(const std::string& id, const Suggestions& suggestions);

// What `incident new` and `ticket new` print: the new ID on standard output (so that
// `id=$(opsflow incident new ...)` works) and then the suggestions on standard error;
// with --json, one object with both on standard output.
void print_created(Cli& cli, const Record& record, bool json);
void add_created_json_flag(CLI::App& command, bool& json);

} // namespace opsflow::cli
