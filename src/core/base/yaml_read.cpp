// Reads YAML: the style opsflow writes directly (yaml_canonical.cpp), anything
// else with libyaml's event parser, which is several times faster than building
// yaml-cpp trees, reports scalar styles and marks, and never recurses, so depth
// is limited here rather than by the stack.
#include "base/yaml_canonical.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/yaml.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <memory>
#include <regex>
#include <yaml.h>

namespace opsflow {

namespace {

[[noreturn]] void fail(const std::string& source, int line, int column, const std::string& what) {
    throw InvalidDataError({Diagnostic{source, line, column, "", what}});
}

struct ParserHandle {
    yaml_parser_t parser{};
    ParserHandle() { yaml_parser_initialize(&parser); }
    ~ParserHandle() { yaml_parser_delete(&parser); }
    ParserHandle(const ParserHandle&) = delete;
    ParserHandle& operator=(const ParserHandle&) = delete;
};

struct EventHandle {
    yaml_event_t event{};
    bool live = false;
    ~EventHandle() { reset(); }
    void reset() {
        if (live) yaml_event_delete(&event);
        live = false;
    }
};

// Builds Nodes from events; a stack of open collections stands in for recursion.
class TreeBuilder {
  public:
    TreeBuilder(const std::string& source, const YamlLimits& limits)
        : source_(source), limits_(limits) {}

    void open(Node collection, int line, int column) {
        if (static_cast<int>(stack_.size()) >= limits_.max_depth)
            fail(source_, line, column, tr("nesting deeper than {} levels", limits_.max_depth));
        collection.set_mark(line, column);
        stack_.push_back(Frame{std::move(collection), {}, false});
    }

    void close() {
        Frame frame = std::move(stack_.back());
        stack_.pop_back();
        add(std::move(frame.node));
    }

    void add(Node value) {
        if (stack_.empty()) {
            if (has_root_)
                fail(source_, value.line(), value.column(), tr("more than one document"));
            root_ = std::move(value);
            has_root_ = true;
            return;
        }
        Frame& top = stack_.back();
        if (top.node.is_sequence()) {
            top.node.push_back(std::move(value));
        } else if (!top.has_key) {
            if (!value.is_scalar())
                fail(source_, value.line(), value.column(), tr("mapping keys must be plain text"));
            if (top.node.find(value.text()))
                fail(source_, value.line(), value.column(), tr("duplicate key '{}'", value.text()));
            top.key = value.text();
            top.has_key = true;
        } else {
            top.node.entries().emplace_back(std::move(top.key), std::move(value));
            top.has_key = false;
        }
    }

    Node take_root() { return std::move(root_); }
    bool has_root() const { return has_root_; }

  private:
    struct Frame {
        Node node;
        std::string key;
        bool has_key;
    };
    const std::string& source_;
    const YamlLimits& limits_;
    std::vector<Frame> stack_;
    Node root_;
    bool has_root_ = false;
};

} // namespace

namespace {

// The code point at `i` of valid UTF-8 `s`, and its length in bytes.
std::pair<char32_t, std::size_t> code_point_at(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
    if (i + len > s.size()) return {c, 1};
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    return {cp, len};
}

// Characters that reorder or break what a view shows ("Trojan Source"): bidi
// embeddings, overrides and isolates, the line and paragraph separators.
bool is_bidi_control(char32_t cp) {
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
           cp == 0x2029;
}

} // namespace

std::optional<TextProblem> find_text_problem(std::string_view text) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = 1;
        if (c == '\n') {
            ++line;
            column = 1;
            ++i;
            continue;
        }
        if (c < 0x80) {
            bool allowed = c == '\t' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ||
                           (c >= 0x20 && c != 0x7f);
            if (!allowed)
                return TextProblem{line, column, fmt::format("control character 0x{:02x}", c)};
        } else {
            std::uint32_t cp = 0;
            if ((c & 0xe0) == 0xc0)
                len = 2, cp = c & 0x1f;
            else if ((c & 0xf0) == 0xe0)
                len = 3, cp = c & 0x0f;
            else if ((c & 0xf8) == 0xf0)
                len = 4, cp = c & 0x07;
            else
                return TextProblem{line, column, "invalid UTF-8"};
            if (i + len > text.size()) return TextProblem{line, column, "invalid UTF-8"};
            for (std::size_t k = 1; k < len; ++k) {
                auto cc = static_cast<unsigned char>(text[i + k]);
                if ((cc & 0xc0) != 0x80) return TextProblem{line, column, "invalid UTF-8"};
                cp = (cp << 6) | (cc & 0x3f);
            }
            bool overlong =
                (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
            if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return TextProblem{line, column, "invalid UTF-8"};
            if (cp >= 0x80 && cp < 0xa0)
                return TextProblem{line, column, fmt::format("control character U+{:04X}", cp)};
            if (is_bidi_control(cp))
                return TextProblem{line, column,
                                   fmt::format("bidi control character U+{:04X}", cp)};
        }
        i += len;
        ++column;
    }
    return std::nullopt;
}

std::optional<ControlCharacter> find_control_character(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) return ControlCharacter{i, c};
        // C1: U+0080..U+009F, encoded C2 80..C2 9F.
        if (c == 0xc2 && i + 1 < text.size()) {
            auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9f) return ControlCharacter{i, next};
        }
    }
    return std::nullopt;
}

std::optional<ControlCharacter> find_bidi_control(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        auto [cp, len] = code_point_at(text, i);
        if (is_bidi_control(cp)) return ControlCharacter{i, cp};
        i += len;
    }
    return std::nullopt;
}

bool is_blank_text(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        auto [cp, len] = code_point_at(text, i);
        bool white = (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 ||
                     cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
                     cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
        bool zero_width =
            (cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff || cp == 0x180e;
        if (!white && !zero_width) return false;
        i += len;
    }
    return true;
}

namespace {

bool all_of_set(std::string_view s, std::string_view allowed) {
    return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_yaml12_float(std::string_view s) {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    auto exponent = s.find_first_of("eE");
    std::string_view mantissa = s.substr(0, exponent);
    auto dot = mantissa.find('.');
    std::string_view whole = mantissa.substr(0, dot);
    std::string_view fraction =
        dot == std::string_view::npos ? std::string_view{} : mantissa.substr(dot + 1);
    bool ok = dot == std::string_view::npos
                  ? all_of_set(whole, "0123456789")
                  : (whole.empty() ? all_of_set(fraction, "0123456789")
                                   : all_of_set(whole, "0123456789") &&
                                         (fraction.empty() || all_of_set(fraction, "0123456789")));
    if (!ok) return false;
    if (exponent == std::string_view::npos) return true;
    std::string_view e = s.substr(exponent + 1);
    if (!e.empty() && (e[0] == '-' || e[0] == '+')) e.remove_prefix(1);
    return all_of_set(e, "0123456789");
}

} // namespace

ScalarKind resolve_plain_scalar(std::string_view text) {
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
        return ScalarKind::null;
    if (text == "true" || text == "True" || text == "TRUE" || text == "false" || text == "False" ||
        text == "FALSE")
        return ScalarKind::boolean;
    if (text.size() > 64) return ScalarKind::string;
    std::string_view digits = text;
    if (digits[0] == '-' || digits[0] == '+') digits.remove_prefix(1);
    if (all_of_set(digits, "0123456789")) return ScalarKind::integer;
    if (text.starts_with("0o") && all_of_set(text.substr(2), "01234567"))
        return ScalarKind::integer;
    if (text.starts_with("0x") && all_of_set(text.substr(2), "0123456789abcdefABCDEF"))
        return ScalarKind::integer;
    static constexpr std::string_view specials[] = {".inf",  ".Inf",  ".INF",  "+.inf",
                                                    "+.Inf", "+.INF", "-.inf", "-.Inf",
                                                    "-.INF", ".nan",  ".NaN",  ".NAN"};
    for (auto sp : specials)
        if (text == sp) return ScalarKind::floating;
    if (is_yaml12_float(text)) return ScalarKind::floating;
    return ScalarKind::string;
}

namespace {

// PyYAML's implicit resolvers (resolver.py, YAML 1.1), as regular expressions.
bool yaml11_boolean(std::string_view s) {
    // PyYAML's list, and the spec's y/n (Go's yaml.v2 reads them as booleans too).
    static constexpr std::string_view words[] = {
        "yes",   "Yes", "YES", "no", "No",  "NO",  "true", "True", "TRUE", "false", "False",
        "FALSE", "on",  "On",  "ON", "off", "Off", "OFF",  "y",    "Y",    "n",     "N"};
    return std::find(std::begin(words), std::end(words), s) != std::end(words);
}

bool yaml11_number(const std::string& s) {
    static const std::regex number(
        R"([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|)"
        R"([-+]?[1-9][0-9_]*(:[0-5]?[0-9])+|)"
        R"([-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9][0-9_]*([eE][-+][0-9]+)?|)"
        R"([-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
    return std::regex_match(s, number);
}

bool yaml11_timestamp(const std::string& s) {
    static const std::regex timestamp(
        R"([0-9]{4}-[0-9]{2}-[0-9]{2}|)"
        R"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?)"
        R"(([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)");
    return std::regex_match(s, timestamp);
}

} // namespace

OtherReading other_yaml_reading(std::string_view plain) {
    switch (resolve_plain_scalar(plain)) {
    case ScalarKind::null:
        return OtherReading::special;
    case ScalarKind::boolean:
        return OtherReading::boolean;
    case ScalarKind::integer:
    case ScalarKind::floating:
        return OtherReading::number;
    case ScalarKind::string:
        break;
    }
    if (plain.size() > 64) return OtherReading::none;
    if (yaml11_boolean(plain)) return OtherReading::boolean;
    if (plain == "<<" || plain == "=") return OtherReading::special; // merge key, value key
    // Every YAML 1.1 number and timestamp begins with one of these.
    if (std::string_view("-+.0123456789").find(plain.front()) == std::string_view::npos)
        return OtherReading::none;
    std::string text(plain);
    if (yaml11_number(text)) return OtherReading::number;
    if (yaml11_timestamp(text)) return OtherReading::timestamp;
    return OtherReading::none;
}

Node parse_yaml(std::string_view text, const std::string& source, const YamlLimits& limits) {
    if (text.size() > limits.max_bytes)
        fail(
            source, 0, 0,
            tr("file is {} bytes, more than the limit of {} bytes", text.size(), limits.max_bytes));
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (auto problem = find_text_problem(text))
        fail(source, problem->line, problem->column, problem->what);
    if (auto canonical = read_canonical_yaml(text, limits)) return std::move(*canonical);
    return read_yaml_events(text, source, limits);
}

Node read_yaml_events(std::string_view text, const std::string& source, const YamlLimits& limits) {
    ParserHandle handle;
    yaml_parser_set_input_string(&handle.parser,
                                 reinterpret_cast<const unsigned char*>(text.data()), text.size());
    yaml_parser_set_encoding(&handle.parser, YAML_UTF8_ENCODING);
    TreeBuilder builder(source, limits);
    int documents = 0;
    for (;;) {
        EventHandle ev;
        if (!yaml_parser_parse(&handle.parser, &ev.event)) {
            const auto& p = handle.parser;
            fail(source, static_cast<int>(p.problem_mark.line) + 1,
                 static_cast<int>(p.problem_mark.column) + 1,
                 tr("YAML syntax: {}{}", p.problem ? p.problem : "error",
                    p.context ? fmt::format(" ({})", p.context) : ""));
        }
        ev.live = true;
        const yaml_event_t& e = ev.event;
        int line = static_cast<int>(e.start_mark.line) + 1;
        int column = static_cast<int>(e.start_mark.column) + 1;
        switch (e.type) {
        case YAML_STREAM_END_EVENT:
            if (!builder.has_root()) return Node::null();
            return builder.take_root();
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1) fail(source, line, column, tr("more than one YAML document"));
            break;
        case YAML_ALIAS_EVENT:
            fail(source, line, column, tr("aliases (*name) are not allowed in opsflow files"));
        case YAML_SCALAR_EVENT: {
            if (e.data.scalar.anchor)
                fail(source, line, column, tr("anchors (&name) are not allowed in opsflow files"));
            if (e.data.scalar.tag)
                fail(source, line, column, tr("tags (!name) are not allowed in opsflow files"));
            if (e.data.scalar.length > limits.max_scalar)
                fail(source, line, column,
                     tr("a value of {} bytes is longer than the limit of {}", e.data.scalar.length,
                        limits.max_scalar));
            std::string value(reinterpret_cast<const char*>(e.data.scalar.value),
                              e.data.scalar.length);
            // Raw control characters are refused above; these come from escapes.
            if (e.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
                auto control = find_control_character(value);
                if (!control) control = find_bidi_control(value);
                if (control)
                    fail(source, line, column,
                         tr("control character U+{:04X} in a value (escapes of "
                            "control characters other than \\t and \\n are not allowed)",
                            static_cast<std::uint32_t>(control->code)));
            }
            ScalarKind kind = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                                  ? resolve_plain_scalar(value)
                                  : ScalarKind::string;
            Node n = Node::scalar(std::move(value), kind);
            if (e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) n.set_plain();
            n.set_mark(line, column);
            builder.add(std::move(n));
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            bool is_seq = e.type == YAML_SEQUENCE_START_EVENT;
            const auto* anchor =
                is_seq ? e.data.sequence_start.anchor : e.data.mapping_start.anchor;
            const auto* tag = is_seq ? e.data.sequence_start.tag : e.data.mapping_start.tag;
            if (anchor)
                fail(source, line, column, tr("anchors (&name) are not allowed in opsflow files"));
            if (tag)
                fail(source, line, column, tr("tags (!name) are not allowed in opsflow files"));
            builder.open(is_seq ? Node::sequence() : Node::map(), line, column);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            builder.close();
            break;
        default:
            break;
        }
    }
}

} // namespace opsflow
