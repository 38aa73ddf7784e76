#include "record/json_text.hpp"

#include "opsflow/record/schema.hpp"

#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace opsflow::json_text {

namespace {

// Whether `text` is well-formed UTF-8 (nlohmann refuses to dump anything else).
bool valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (length == 0 || c > 0xF4 || i + length > text.size()) return false;
        auto second = static_cast<unsigned char>(text[i + 1]);
        // The second byte's range excludes overlong forms, surrogates and > U+10FFFF.
        unsigned char low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        unsigned char high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        if (second < low || second > high) return false;
        for (std::size_t k = 2; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
        i += length;
    }
    return true;
}

void newline(std::string& out, const Layout& layout, int levels) {
    out += '\n';
    out.append(static_cast<std::size_t>(layout.indent * levels), ' ');
}

} // namespace

void write_string(std::string& out, std::string_view text) {
    if (!valid_utf8(text)) {
        out += nlohmann::ordered_json(std::string(text)).dump(); // throws as dump does
        return;
    }
    out += '"';
    std::size_t plain_from = 0; // the start of the run of characters written as they are
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.substr(plain_from, i - plain_from));
        plain_from = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            constexpr char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
        }
    }
    out.append(text.substr(plain_from));
    out += '"';
}

void write_scalar(std::string& out, const Node& node) {
    const std::string& t = node.text();
    switch (node.kind()) {
    case ScalarKind::null:
        out += "null";
        return;
    case ScalarKind::boolean:
        out += t[0] == 't' || t[0] == 'T' ? "true" : "false";
        return;
    case ScalarKind::string:
        write_string(out, t);
        return;
    case ScalarKind::integer: {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec == std::errc{} && p == t.data() + t.size()) {
            char digits[24];
            auto [end, ec2] = std::to_chars(digits, digits + sizeof digits, v);
            out.append(digits, end);
            return;
        }
        break;
    }
    case ScalarKind::floating:
        break;
    }
    // Numbers in other forms: exactly as the conversion and nlohmann's dump write them.
    out += to_ordered_json(node).dump();
}

void open(std::string& out, char bracket) {
    out += bracket;
}

void next_member(std::string& out, const Layout& layout, bool first) {
    if (!first) out += ',';
    if (layout.indent >= 0) newline(out, layout, layout.depth + 1);
}

void close(std::string& out, char bracket, const Layout& layout, bool empty) {
    if (!empty && layout.indent >= 0) newline(out, layout, layout.depth);
    out += bracket;
}

void write_key(std::string& out, std::string_view key, const Layout& layout) {
    write_string(out, key);
    out += layout.indent >= 0 ? ": " : ":";
}

void write(std::string& out, const Node& node, Layout layout) {
    Layout inner{layout.indent, layout.depth + 1};
    switch (node.type()) {
    case Node::Type::scalar:
        write_scalar(out, node);
        return;
    case Node::Type::sequence: {
        open(out, '[');
        bool first = true;
        for (const auto& item : node.items()) {
            next_member(out, layout, first);
            first = false;
            write(out, item, inner);
        }
        close(out, ']', layout, first);
        return;
    }
    case Node::Type::map: {
        open(out, '{');
        bool first = true;
        for (const auto& [key, value] : node.entries()) {
            next_member(out, layout, first);
            first = false;
            write_key(out, key, layout);
            write(out, value, inner);
        }
        close(out, '}', layout, first);
        return;
    }
    }
}

} // namespace opsflow::json_text
