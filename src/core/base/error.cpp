#include "opsflow/base/error.hpp"

#include <fmt/format.h>

namespace opsflow {

namespace {

// The length of the character at `i` that printable_text() escapes, or 0.
std::size_t unprintable_at(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x20 || c == 0x7f) return 1;
    if (c == 0xc2 && i + 1 < s.size() && byte(i + 1) >= 0x80 && byte(i + 1) <= 0x9f) return 2;
    if (c == 0xe2 && i + 2 < s.size()) {
        unsigned char b = byte(i + 1), d = byte(i + 2);
        // U+200E/F, U+2028/9, U+202A..E: E2 80 8E..8F, A8..AE; U+2066..9: E2 81 A6..A9.
        if (b == 0x80 && (d == 0x8e || d == 0x8f || (d >= 0xa8 && d <= 0xae))) return 3;
        if (b == 0x81 && d >= 0xa6 && d <= 0xa9) return 3;
    }
    return 0;
}

void escape_byte(std::string& out, unsigned char c) {
    switch (c) {
    case '\a':
        out += "\\a";
        return;
    case '\b':
        out += "\\b";
        return;
    case '\t':
        out += "\\t";
        return;
    case '\n':
        out += "\\n";
        return;
    case '\v':
        out += "\\v";
        return;
    case '\f':
        out += "\\f";
        return;
    case '\r':
        out += "\\r";
        return;
    default:
        out += fmt::format("\\{:03o}", c);
    }
}

std::string escaped(std::string_view text, Newlines newlines, bool quoting) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = unprintable_at(text, i);
        if (n == 0 || (n == 1 && text[i] == '\n' && newlines == Newlines::keep)) {
            if (quoting && (text[i] == '"' || text[i] == '\\')) out += '\\';
            out += text[i++];
            continue;
        }
        for (std::size_t k = 0; k < n; ++k)
            escape_byte(out, static_cast<unsigned char>(text[i + k]));
        i += n;
    }
    return out;
}

} // namespace

std::string printable_text(std::string_view text, Newlines newlines) {
    for (std::size_t i = 0; i < text.size(); ++i)
        if (unprintable_at(text, i) && !(text[i] == '\n' && newlines == Newlines::keep))
            return escaped(text, newlines, false);
    return std::string(text);
}

std::string printable_path(std::string_view path) {
    for (std::size_t i = 0; i < path.size(); ++i)
        if (unprintable_at(path, i)) return '"' + escaped(path, Newlines::escape, true) + '"';
    return std::string(path);
}

std::string Diagnostic::to_string() const {
    std::string where = printable_path(file);
    if (line > 0) where += fmt::format(":{}:{}", line, column > 0 ? column : 1);
    std::string what =
        printable_text(path.empty() ? message : fmt::format("{}: {}", path, message));
    return where.empty() ? what : fmt::format("{}: {}", where, what);
}

static std::string join_diagnostics(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        if (!out.empty()) out += "\n";
        out += d.to_string();
    }
    return out;
}

InvalidDataError::InvalidDataError(std::vector<Diagnostic> diagnostics)
    : Error(ExitCode::invalid, join_diagnostics(diagnostics)),
      diagnostics_(std::move(diagnostics)) {}

} // namespace opsflow
