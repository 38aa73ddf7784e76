#pragma once
// Terminal output: tables that align wide (CJK) characters, colour, CSV, JSON.
#include "opsflow/base/csv.hpp"
#include "opsflow/base/files.hpp"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow::cli {

// Columns a string takes on a terminal: CJK characters take two.
std::size_t display_width(std::string_view text);
// Cuts `text` to at most `width` columns, ending with `…` when cut.
std::string fit_width(std::string_view text, std::size_t width);

enum class Color : std::uint8_t { none, red, green, yellow, blue, magenta, cyan, dim, bold };

class Table {
  public:
    explicit Table(const std::vector<std::string>& headers);
    // A row: its cells (missing ones are empty, extra ones ignored) and their colours.
    void add_row(std::initializer_list<std::string_view> cells,
                 std::initializer_list<Color> colors = {});
    // A row whose cells are made at run time (a list verb's columns), without colours.
    void add_row(const std::vector<std::string>& cells);
    // The rows of `other` (not its headers) added after these: a table made in parts.
    void append_rows(const Table& other);
    // Room for `rows` rows of about `row_bytes` bytes each, made once.
    void reserve(std::size_t rows, std::size_t row_bytes);
    // `max_width`: the last column is cut so that lines fit (0: no limit).
    std::string render(bool color, std::size_t max_width) const;
    // The same, written to `out` a piece at a time: a table of 30,000 rows is megabytes,
    // and memory the process touches for the first time costs more than writing it.
    void render_to(std::ostream& out, bool color, std::size_t max_width) const;

  private:
    // Renders the lines, handing `flush` what has gathered whenever it passes `chunk`
    // bytes, and the rest at the end.
    void render_lines(bool color, std::size_t max_width, std::size_t chunk,
                      const std::function<void(std::string&)>& flush) const;
    struct Cell {                   // 16 bytes: a table of 100,000 rows has 700,000 of them
        std::uint32_t offset, size; // in text_
        std::uint32_t width;        // display width, measured once
        Color color;
    };
    // A table's text stays far below 4 GiB (offsets are 32 bits); a longer one is cut.
    static constexpr std::size_t text_limit = std::numeric_limits<std::uint32_t>::max();
    Cell cell(std::string_view text, Color color); // `text` added to text_
    std::size_t columns_;
    // Every cell's text one after the other, and the cells row by row, the headers
    // first: a list of 100,000 rows is two allocations, not one a cell.
    std::string text_;
    std::vector<Cell> cells_;
};

std::string paint(std::string_view text, Color color, bool enabled);
// `text` to standard output, or atomically to `file` (`-o FILE`; empty or `-`: stdout).
void write_output(const std::string& file, const std::string& text);

// A JSON array printed an element at a time, byte for byte as
// nlohmann::ordered_json::dump(2) prints the whole array, followed by a newline.
class JsonArrayWriter {
  public:
    explicit JsonArrayWriter(std::ostream& out) : out_(out) {}
    // An element as nlohmann's dump(2) prints it one level deep (canonical_json
    // with indent 2, depth 1), made on any thread.
    void add(std::string_view element);
    void finish();

  private:
    std::ostream& out_;
    bool empty_ = true;
};

// Where a command's long output goes as it is made: standard output, or the file of
// -o FILE, which appears whole when finish() is called and not at all otherwise.
class OutputStream {
  public:
    explicit OutputStream(const std::string& file);
    std::function<void(std::string_view)> writer();
    void finish();

  private:
    std::optional<AtomicFile> file_;
};
// One `opsflow: warning: skipped FILE:LINE: ...` line per record that could not be read.
void warn_skipped(const std::vector<std::string>& problems);

// The terminal width when stdout is a terminal, else 0 (no limit).
std::size_t terminal_width();

} // namespace opsflow::cli
