#include "output.hpp"

#include "opsflow/files.hpp"

#include <algorithm>
#include <iostream>
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

} // namespace

std::size_t display_width(std::string_view text) {
    // Most cells (IDs, times, statuses) are printable ASCII: one column a byte.
    if (std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; }))
        return text.size();
    std::size_t width = 0;
    for_each_char(text, [&](std::string_view, std::size_t w) {
        width += w;
        return true;
    });
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

std::string paint(std::string_view text, Color color, bool enabled) {
    if (!enabled || color == Color::none) return std::string(text);
    return std::string(ansi(color)) + std::string(text) + "\033[0m";
}

void Table::add_row(std::vector<std::string> cells, std::vector<Color> colors) {
    // One line per row: line breaks inside a cell would break the columns.
    for (auto& c : cells)
        std::replace_if(
            c.begin(), c.end(), [](char ch) { return ch == '\n' || ch == '\r' || ch == '\t'; },
            ' ');
    std::vector<std::size_t> widths;
    widths.reserve(cells.size());
    for (const auto& c : cells)
        widths.push_back(display_width(c));
    rows_.push_back(std::move(cells));
    row_widths_.push_back(std::move(widths));
    colors_.push_back(std::move(colors));
}

std::string Table::render(bool color, std::size_t max_width) const {
    std::vector<std::size_t> header_widths, widths;
    for (const auto& h : headers_)
        header_widths.push_back(display_width(h));
    widths = header_widths;
    for (const auto& row : row_widths_)
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row[i]);
    std::size_t fixed = 0;
    for (std::size_t i = 0; i + 1 < widths.size(); ++i)
        fixed += widths[i] + 2;
    std::size_t last_limit = max_width > fixed + 10 ? max_width - fixed : 0;

    std::string out;
    auto line = [&](const std::vector<std::string>& cells,
                    const std::vector<std::size_t>& cell_widths, const std::vector<Color>& colors,
                    bool header) {
        std::size_t start = out.size();
        for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
            bool last = i + 1 == widths.size();
            Color c = header ? Color::bold : (i < colors.size() ? colors[i] : Color::none);
            if (last && last_limit && cell_widths[i] > last_limit) {
                out += paint(fit_width(cells[i], last_limit), c, color);
            } else {
                out += paint(cells[i], c, color);
            }
            if (!last) out.append(widths[i] - cell_widths[i] + 2, ' ');
        }
        while (out.size() > start && out.back() == ' ')
            out.pop_back();
        out += '\n';
    };
    line(headers_, header_widths, {}, true);
    for (std::size_t r = 0; r < rows_.size(); ++r)
        line(rows_[r], row_widths_[r], colors_[r], false);
    return out;
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
