#include "output.hpp"

#include "opsflow/base/files.hpp"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <sys/ioctl.h>
#include <unistd.h>
#include <utf8proc.h>

namespace opsflow::cli {

namespace {

// Calls `visit(bytes, width)` for each code point; invalid bytes count as one column.
template <class Visit> void for_each_char(std::string_view text, Visit visit) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            n = 1;
            cp = '?';
        }
        int w = utf8proc_charwidth(cp);
        if (!visit(std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)),
                   static_cast<std::size_t>(w < 0 ? 0 : w)))
            return;
        p += n;
        left -= n;
    }
}

const char* ansi(Color c) {
    switch (c) {
    case Color::red:
        return "\033[31m";
    case Color::green:
        return "\033[32m";
    case Color::yellow:
        return "\033[33m";
    case Color::blue:
        return "\033[34m";
    case Color::magenta:
        return "\033[35m";
    case Color::cyan:
        return "\033[36m";
    case Color::dim:
        return "\033[2m";
    case Color::bold:
        return "\033[1m";
    case Color::none:
        break;
    }
    return "";
}

// How many characters at the start of `text` are common Chinese characters (CJK
// Unified Ideographs U+4E00 to U+9FFC, three bytes each in UTF-8, two columns each
// in every version of the Unicode tables): Chinese titles are mostly these, and they
// are counted without asking the library about each.
std::size_t common_cjk_chars(std::string_view text) {
    std::size_t n = 0;
    for (; text.size() >= 3 * (n + 1); ++n) {
        auto b0 = static_cast<unsigned char>(text[3 * n]);
        auto b1 = static_cast<unsigned char>(text[3 * n + 1]);
        auto b2 = static_cast<unsigned char>(text[3 * n + 2]);
        if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) break;
        unsigned cp = (b0 & 0x0Fu) << 12 | (b1 & 0x3Fu) << 6 | (b2 & 0x3Fu);
        if ((b0 & 0xF0) != 0xE0 || cp < 0x4E00 || cp > 0x9FFC) break;
    }
    return n;
}

} // namespace

std::size_t display_width(std::string_view text) {
    // Most cells (IDs, times, statuses) are printable ASCII, one column a byte, and
    // most others (titles) mostly so: the library is asked only about the rest.
    std::size_t width = 0;
    while (!text.empty()) {
        auto plain =
            std::find_if(text.begin(), text.end(), [](char c) { return c < 0x20 || c >= 0x7f; });
        width += static_cast<std::size_t>(plain - text.begin());
        text.remove_prefix(static_cast<std::size_t>(plain - text.begin()));
        if (text.empty()) break;
        if (std::size_t cjk = common_cjk_chars(text)) { // two columns each
            width += 2 * cjk;
            text.remove_prefix(3 * cjk);
            continue;
        }
        auto other =
            std::find_if(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
        for_each_char(text.substr(0, static_cast<std::size_t>(other - text.begin())),
                      [&](std::string_view, std::size_t w) {
                          width += w;
                          return true;
                      });
        text.remove_prefix(static_cast<std::size_t>(other - text.begin()));
    }
    return width;
}

std::string fit_width(std::string_view text, std::size_t width) {
    if (display_width(text) <= width) return std::string(text);
    std::string out;
    std::size_t used = 0;
    for_each_char(text, [&](std::string_view bytes, std::size_t w) {
        if (used + w + 1 > width) return false;
        out += bytes;
        used += w;
        return true;
    });
    return out + "…";
}

void paint_into(std::string& out, std::string_view text, Color color, bool enabled) {
    if (!enabled || color == Color::none) {
        out += text;
        return;
    }
    out += ansi(color);
    out += text;
    out += "\033[0m";
}

std::string paint(std::string_view text, Color color, bool enabled) {
    std::string out;
    paint_into(out, text, color, enabled);
    return out;
}

Table::Table(const std::vector<std::string>& headers) : columns_(headers.size()) {
    for (const auto& header : headers)
        cells_.push_back(cell(header, Color::bold));
}

Table::Cell Table::cell(std::string_view text, Color color) {
    constexpr std::size_t limit = text_limit;
    text = text.substr(0, std::min(text.size(), limit - std::min(limit, text_.size())));
    auto offset = static_cast<std::uint32_t>(text_.size());
    text_ += text;
    // One line per row: line breaks inside a cell would break the columns.
    std::replace_if(
        text_.begin() + offset, text_.end(),
        [](char ch) { return ch == '\n' || ch == '\r' || ch == '\t'; }, ' ');
    return {offset, static_cast<std::uint32_t>(text.size()),
            static_cast<std::uint32_t>(std::min(display_width(text), limit)), color};
}

void Table::reserve(std::size_t rows, std::size_t row_bytes) {
    cells_.reserve(cells_.size() + rows * columns_);
    text_.reserve(text_.size() + rows * row_bytes);
}

void Table::append_rows(const Table& other) {
    if (other.columns_ != columns_) throw std::logic_error("appending rows of another shape");
    cells_.reserve(cells_.size() + other.cells_.size());
    auto start = std::min(other.columns_, other.cells_.size());
    if (text_.size() + other.text_.size() > text_limit) {
        // Cell by cell, each cut to what is left of the 4 GiB (see cell()).
        for (std::size_t c = start; c < other.cells_.size(); ++c) {
            const auto& from = other.cells_[c];
            cells_.push_back(
                cell(std::string_view(other.text_).substr(from.offset, from.size), from.color));
        }
        return;
    }
    auto shift = static_cast<std::uint32_t>(text_.size());
    text_ += other.text_;
    for (std::size_t c = start; c < other.cells_.size(); ++c) {
        Cell moved = other.cells_[c];
        moved.offset += shift;
        cells_.push_back(moved);
    }
}

void Table::add_row(std::initializer_list<std::string_view> cells,
                    std::initializer_list<Color> colors) {
    auto cell = cells.begin();
    auto color = colors.begin();
    for (std::size_t i = 0; i < columns_; ++i) {
        std::string_view text = cell != cells.end() ? *cell++ : std::string_view();
        cells_.push_back(this->cell(text, color != colors.end() ? *color++ : Color::none));
    }
}

void Table::add_row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < columns_; ++i)
        cells_.push_back(
            cell(i < cells.size() ? std::string_view(cells[i]) : std::string_view(), Color::none));
}

void Table::render_lines(bool color, std::size_t max_width, std::size_t chunk,
                         const std::function<void(std::string&)>& flush) const {
    if (columns_ == 0) return;
    std::vector<std::size_t> widths(columns_);
    for (std::size_t c = 0; c < cells_.size(); ++c)
        widths[c % columns_] = std::max<std::size_t>(widths[c % columns_], cells_[c].width);
    std::size_t fixed = 0;
    for (std::size_t i = 0; i + 1 < widths.size(); ++i)
        fixed += widths[i] + 2;
    std::size_t last_limit = max_width > fixed + 10 ? max_width - fixed : 0;

    std::string out;
    // Every line as wide as the columns, most of them without colour: one allocation.
    std::size_t line_bytes = fixed + widths.back() + 1;
    out.reserve(std::min(chunk, line_bytes * (cells_.size() / columns_)) + line_bytes);
    for (std::size_t row = 0; row < cells_.size(); row += columns_) {
        std::size_t start = out.size();
        for (std::size_t i = 0; i < columns_; ++i) {
            const Cell& cell = cells_[row + i];
            std::string_view text(text_.data() + cell.offset, cell.size);
            bool last = i + 1 == columns_;
            if (last && last_limit && cell.width > last_limit)
                paint_into(out, fit_width(text, last_limit), cell.color, color);
            else
                paint_into(out, text, cell.color, color);
            if (!last) out.append(widths[i] - cell.width + 2, ' ');
        }
        while (out.size() > start && out.back() == ' ')
            out.pop_back();
        out += '\n';
        if (out.size() >= chunk) {
            flush(out);
            out.clear();
        }
    }
    if (!out.empty()) flush(out);
}

std::string Table::render(bool color, std::size_t max_width) const {
    std::string all;
    render_lines(color, max_width, SIZE_MAX, [&](std::string& lines) { all = std::move(lines); });
    return all;
}

void Table::render_to(std::ostream& out, bool color, std::size_t max_width) const {
    render_lines(color, max_width, 64 * 1024, [&](std::string& lines) {
        out.write(lines.data(), static_cast<std::streamsize>(lines.size()));
    });
}

void write_output(const std::string& file, const std::string& text) {
    if (file.empty() || file == "-")
        std::cout << text;
    else
        write_file_atomic(file, text);
}

void JsonArrayWriter::add(std::string_view element) {
    out_ << (empty_ ? "[\n  " : ",\n  ") << element;
    empty_ = false;
}

void JsonArrayWriter::finish() {
    out_ << (empty_ ? "[]\n" : "\n]\n");
    out_.flush();
}

OutputStream::OutputStream(const std::string& file) {
    if (!file.empty() && file != "-") file_.emplace(file);
}

std::function<void(std::string_view)> OutputStream::writer() {
    if (file_) return [this](std::string_view text) { file_->write(text); };
    return [](std::string_view text) {
        std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    };
}

void OutputStream::finish() {
    if (file_)
        file_->commit();
    else
        std::cout.flush();
}

void warn_skipped(const std::vector<std::string>& problems) {
    for (const auto& p : problems)
        std::cerr << "opsflow: warning: skipped " << p << '\n';
}

std::size_t terminal_width() {
    if (!::isatty(STDOUT_FILENO)) return 0;
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 100;
}

} // namespace opsflow::cli
