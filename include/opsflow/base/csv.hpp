#pragma once
// RFC 4180 CSV: quoted fields with commas, quotes and line breaks.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

struct CsvRow {
    int line; // 1-based line where the row starts
    std::vector<std::string> fields;
};

// Throws InvalidDataError (`file:line: ...`) for an unterminated quote.
std::vector<CsvRow> parse_csv(std::string_view text, const std::string& source);
// The same, one row at a time, so that a large file is never held as rows.
void for_each_csv_row(std::string_view text, const std::string& source,
                      const std::function<void(CsvRow&&)>& visit);

// One row, quoted where needed, ending in a newline.
std::string csv_row(const std::vector<std::string>& cells);

// Text that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`,
// `@`, a tab, a carriage return, or a full-width `＝＋－＠`) gets a leading `'`, as
// OWASP advises; so does such text already behind one or more `'`, so that
// csv_text_value() can undo it exactly. For text cells only: numbers stay as they are.
std::string csv_text_cell(std::string_view text);
// The value a csv_text_cell() came from: one leading `'` removed where it added one.
std::string csv_text_value(std::string_view cell);
// A row of text cells: csv_row() of each cell's csv_text_cell().
std::string csv_text_row(const std::vector<std::string>& cells);

} // namespace opsflow
