// Canonical YAML writer: one fixed way to write each value, so that a record
// written twice is byte-identical and a change shows as a small diff.
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/yaml.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <regex>

namespace opsflow {

namespace {

enum class BlockText { allowed, forbidden };

// Timestamps are written plain where they are meant as timestamps: under the keys
// that hold one in every schema (schemas/*.json, `$ref: #/definitions/timestamp`).
// YAML 1.2 core reads them back as strings; YAML 1.1 readers as timestamps, which they
// are. Anywhere else a timestamp is text and is quoted, as `check` expects.
bool is_time_key(std::string_view key) {
    static constexpr std::string_view keys[] = {
        "at",      "reported_at",  "received_at", "respond_by", "resolve_by",  "start",
        "end",     "actual_start", "actual_end",  "sent_at",    "answered_at", "started_at",
        "done_at", "from",         "to",          "occurrence", "done"};
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

bool is_rfc3339(const std::string& s) {
    static const std::regex ts(
        R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))");
    return s.size() <= 40 && std::regex_match(s, ts);
}

enum class Value { text, time };

bool has_line_break_or_control(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) return true;
        // U+0085, U+2028, U+2029 and the BOM are line breaks or invisible to YAML readers.
        if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85)
            return true;
        if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
             static_cast<unsigned char>(s[i + 2]) == 0xa9))
            return true;
        if (c == 0xef && s.substr(i, 3) == "\xEF\xBB\xBF") return true;
    }
    return false;
}

bool plain_is_safe(const std::string& s, Value value = Value::text) {
    if (s.empty() || has_line_break_or_control(s)) return false;
    if (s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
    if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos)
        return false;
    if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return false;
    if (s.find_first_of(",[]{}") != std::string::npos) return false;
    if (value == Value::time && is_rfc3339(s)) return true;
    // Nothing that a YAML 1.1 or 1.2 reader takes for a boolean, number, date or null.
    return other_yaml_reading(s) == OtherReading::none;
}

std::string double_quoted(std::string_view s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                out += fmt::format("\\x{:02x}", c);
            } else if (c == 0xc2 && i + 1 < s.size() &&
                       static_cast<unsigned char>(s[i + 1]) == 0x85) {
                out += "\\N";
                ++i;
            } else if (c == 0xe2 && s.substr(i, 3) == "\xE2\x80\xA8") {
                out += "\\L";
                i += 2;
            } else if (c == 0xe2 && s.substr(i, 3) == "\xE2\x80\xA9") {
                out += "\\P";
                i += 2;
            } else if (c == 0xef && s.substr(i, 3) == "\xEF\xBB\xBF") {
                out += "\\uFEFF";
                i += 2;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

bool block_literal_fits(const std::string& s) {
    if (s.find('\n') == std::string::npos) return false;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
    }
    return s.find("\xC2\x85") == std::string::npos && s.find("\xE2\x80\xA8") == std::string::npos &&
           s.find("\xE2\x80\xA9") == std::string::npos &&
           s.find("\xEF\xBB\xBF") == std::string::npos;
}

class Emitter {
  public:
    explicit Emitter(BlockText block_text) : block_text_(block_text) {}

    std::string emit(const Node& root) {
        if (!root.is_map()) throw RuntimeError("internal: a YAML document must be a map");
        map_entries(root, 0, false);
        return std::move(out_);
    }

  private:
    void map_entries(const Node& map, int indent, bool first_inline) {
        bool first = true;
        for (const auto& [key, value] : map.entries()) {
            if (!(first && first_inline)) out_.append(static_cast<std::size_t>(indent), ' ');
            first = false;
            out_ += scalar_text(key);
            out_ += ':';
            value_ = is_time_key(key) ? Value::time : Value::text;
            value_after_key(value, indent);
            value_ = Value::text;
        }
    }

    // Writes what follows `key:` or `-`; nested content goes at indent + 2.
    void value_after_key(const Node& v, int indent) {
        switch (v.type()) {
        case Node::Type::scalar:
            scalar_value(v, indent);
            break;
        case Node::Type::sequence:
            if (v.items().empty()) {
                out_ += " []\n";
            } else if (auto flow = flow_sequence(v)) {
                out_ += ' ' + *flow + '\n';
            } else {
                out_ += '\n';
                for (const auto& item : v.items())
                    sequence_item(item, indent + 2);
            }
            break;
        case Node::Type::map:
            if (v.entries().empty()) {
                out_ += " {}\n";
            } else {
                out_ += '\n';
                map_entries(v, indent + 2, false);
            }
            break;
        }
    }

    void sequence_item(const Node& item, int indent) {
        out_.append(static_cast<std::size_t>(indent), ' ');
        out_ += '-';
        if (item.is_map() && !item.entries().empty()) {
            out_ += ' ';
            map_entries(item, indent + 2, true);
        } else {
            value_after_key(item, indent);
        }
    }

    // Short lists of one-line scalars read best on one line: `links: [INC-1, TKT-2]`.
    std::optional<std::string> flow_sequence(const Node& seq) const {
        std::string line = "[";
        for (const auto& item : seq.items()) {
            if (!item.is_scalar() || item.text().find('\n') != std::string::npos)
                return std::nullopt;
            if (line.size() > 1) line += ", ";
            line += scalar_text_of(item);
        }
        line += ']';
        if (line.size() > 100) return std::nullopt;
        return line;
    }

    void scalar_value(const Node& v, int indent) {
        if (v.kind() == ScalarKind::string && block_text_ == BlockText::allowed &&
            block_literal_fits(v.text())) {
            block_literal(v.text(), indent + 2);
            return;
        }
        out_ += ' ';
        out_ += v.kind() == ScalarKind::string ? scalar_text(v.text(), value_) : scalar_text_of(v);
        out_ += '\n';
    }

    void block_literal(const std::string& text, int indent) {
        std::string body = text;
        std::string chomp = "-";
        if (body.ends_with("\n\n"))
            chomp = "+";
        else if (body.ends_with('\n'))
            chomp = "";
        if (chomp != "-") body.pop_back();
        auto first_content = body.find_first_not_of('\n');
        bool needs_indicator = first_content != std::string::npos &&
                               (body[first_content] == ' ' || body[first_content] == '\t');
        out_ += " |";
        if (needs_indicator) out_ += "2";
        out_ += chomp;
        out_ += '\n';
        std::size_t start = 0;
        for (;;) {
            auto end = body.find('\n', start);
            std::string_view line(body.data() + start,
                                  (end == std::string::npos ? body.size() : end) - start);
            if (!line.empty()) out_.append(static_cast<std::size_t>(indent), ' ');
            out_ += line;
            out_ += '\n';
            if (end == std::string::npos) break;
            start = end + 1;
        }
    }

    static std::string scalar_text(const std::string& text, Value value = Value::text) {
        return plain_is_safe(text, value) ? text : double_quoted(text);
    }

    static std::string scalar_text_of(const Node& v) {
        switch (v.kind()) {
        case ScalarKind::null:
            return "null";
        case ScalarKind::string:
            return scalar_text(v.text());
        default:
            return v.text();
        }
    }

    BlockText block_text_;
    Value value_ = Value::text; // of the key being written
    std::string out_;
};

} // namespace

namespace {

[[noreturn]] void refuse(const std::string& pointer, std::string message) {
    throw InvalidDataError(
        {Diagnostic{"", 0, 0, pointer.empty() ? "/" : pointer, std::move(message)}});
}

void check_writable(const Node& node, const std::string& pointer) {
    auto check_text = [&](const std::string& text, const std::string& where) {
        auto control = find_control_character(text);
        if (!control) control = find_bidi_control(text);
        if (control)
            refuse(where, fmt::format("control character U+{:04X} is not allowed",
                                      static_cast<std::uint32_t>(control->code)));
        if (text.size() > max_value_bytes)
            refuse(where, fmt::format("a value of {} bytes is longer than the limit of {}",
                                      text.size(), max_value_bytes));
    };
    switch (node.type()) {
    case Node::Type::scalar:
        check_text(node.text(), pointer);
        return;
    case Node::Type::sequence:
        for (std::size_t i = 0; i < node.items().size(); ++i)
            check_writable(node.items()[i], pointer + "/" + std::to_string(i));
        return;
    case Node::Type::map:
        for (const auto& [key, value] : node.entries()) {
            check_text(key, pointer + "/" + key);
            check_writable(value, pointer + "/" + key);
        }
        return;
    }
}

} // namespace

std::string emit_yaml(const Node& root) {
    check_writable(root, "");
    // Block literals cannot express every string (PITFALLS.md); when the text does
    // not read back as written, fall back to double quotes, which always can.
    std::string text = Emitter(BlockText::allowed).emit(root);
    bool reads_back = false;
    try {
        reads_back = parse_yaml(text, "<emitted>", YamlLimits{SIZE_MAX, 64, SIZE_MAX}) == root;
    } catch (const InvalidDataError&) {
    }
    if (!reads_back) {
        text = Emitter(BlockText::forbidden).emit(root);
        if (!(parse_yaml(text, "<emitted>", YamlLimits{SIZE_MAX, 64, SIZE_MAX}) == root))
            throw RuntimeError("internal: the YAML writer produced text that does not read back");
    }
    if (text.size() > max_file_bytes) // the whole file: no pointer to name
        throw InvalidDataError({Diagnostic{"", 0, 0, "",
                                           tr("the file would be {} bytes, more than the limit "
                                              "of {} that opsflow reads",
                                              text.size(), max_file_bytes)}});
    return text;
}

} // namespace opsflow
