#include "opsflow/base/csv.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>

namespace opsflow {

std::vector<CsvRow> parse_csv(std::string_view text, const std::string& source) {
    std::vector<CsvRow> rows;
    for_each_csv_row(text, source, [&](CsvRow&& row) { rows.push_back(std::move(row)); });
    return rows;
}

void for_each_csv_row(std::string_view text, const std::string& source,
                      const std::function<void(CsvRow&&)>& visit) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3); // spreadsheet programs add a BOM
    CsvRow row{1, {}};
    std::string field;
    bool quoted = false, field_started = false;
    int line = 1, quote_line = 0;
    auto end_field = [&] {
        row.fields.push_back(std::move(field));
        field.clear();
        field_started = false;
    };
    auto end_row = [&] {
        end_field();
        bool blank = row.fields.size() == 1 && row.fields[0].empty();
        if (!blank) visit(std::move(row));
        row = CsvRow{line + 1, {}};
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                field += '"', ++i;
            else if (c == '"')
                quoted = false;
            else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && !field_started) {
            quoted = field_started = true;
            quote_line = line;
        } else if (c == ',') {
            end_field();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n') {
            end_row();
            ++line;
        } else {
            field += c;
            field_started = true;
        }
    }
    if (quoted)
        throw InvalidDataError(
            {Diagnostic{source, quote_line, 0, "", tr("a quoted field is not closed")}});
    if (field_started || !row.fields.empty()) end_row();
}

std::string csv_row(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        const auto& c = cells[i];
        if (c.find_first_of(",\"\n\r") == std::string::npos) {
            out += c;
            continue;
        }
        out += '"';
        for (char ch : c)
            out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        out += '"';
    }
    return out + "\n";
}

namespace {

// A cell a spreadsheet takes for a formula: its first character (after any `'`).
bool formula_start(std::string_view text) {
    text.remove_prefix(std::min(text.find_first_not_of('\''), text.size()));
    if (text.empty()) return false;
    if (std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) return true;
    // Full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20), which spreadsheets
    // in East Asian locales read as their ASCII forms.
    for (std::string_view wide : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"})
        if (text.starts_with(wide)) return true;
    return false;
}

} // namespace

std::string csv_text_cell(std::string_view text) {
    if (!formula_start(text)) return std::string(text);
    std::string out = "'";
    out += text;
    return out;
}

std::string csv_text_row(const std::vector<std::string>& cells) {
    std::vector<std::string> escaped;
    escaped.reserve(cells.size());
    for (const auto& c : cells)
        escaped.push_back(csv_text_cell(c));
    return csv_row(escaped);
}

std::string csv_text_value(std::string_view cell) {
    if (cell.starts_with('\'') && formula_start(cell)) cell.remove_prefix(1);
    return std::string(cell);
}

} // namespace opsflow
