#pragma once
// The rows of an import (import.cpp): another system's CSV or JSON Lines read a row
// at a time as record documents, and completed as `new` would complete them.
#include "opsflow/base/error.hpp"
#include "opsflow/store/change.hpp"
#include "opsflow/transfer/transfer.hpp"

#include <functional>
#include <string>
#include <vector>

namespace opsflow::import_rows {

// Calls `visit` with each row of the file as a document, or adds `file:line:
// message` to `errors` for a row that cannot be one.
void for_each_row(RecordKind kind, const std::string& text, TransferFormat format,
                  const std::string& source, std::vector<std::string>& errors,
                  const std::function<void(int line, Node doc)>& visit);

// The first event's time, for the record's month directory and its history.
Timestamp first_time(const Node& doc);

// Fills what a row from another system leaves out, as `new` would, and gives it one
// `import` event that sets its fields, so that replaying the events gives the record.
void complete_row(const Context& ctx, RecordKind kind, Node& doc, Timestamp now);

// A row's problem in one line: each diagnostic with its field.
std::string row_error(const InvalidDataError& e);

} // namespace opsflow::import_rows
