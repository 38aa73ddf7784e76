#pragma once
// The YAML subset records and settings are made of, read safely and written
// canonically. Records never use anchors, aliases, tags or multiple documents,
// so the reader refuses them; the writer decides quoting itself (PITFALLS.md).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsflow {

// What a plain scalar means under the YAML 1.2 core schema; quoted scalars are strings.
enum class ScalarKind : std::uint8_t { null, boolean, integer, floating, string };

// What a plain scalar is under YAML 1.1 (PyYAML's resolver, and the spec's y/n
// booleans) or YAML 1.2 core when that is not a string: opsflow refuses such a value
// where text is expected, since other readers of the store would not read text.
enum class OtherReading : std::uint8_t { none, boolean, number, timestamp, special };
OtherReading other_yaml_reading(std::string_view plain);

class Node {
  public:
    enum class Type : std::uint8_t { scalar, sequence, map };
    using Entry = std::pair<std::string, Node>;

    Node() = default;
    static Node null();
    static Node string(std::string text);
    static Node integer(std::int64_t value);
    static Node boolean(bool value);
    static Node scalar(std::string text, ScalarKind kind);
    static Node sequence();
    static Node map();

    Type type() const { return type_; }
    bool is_null() const { return type_ == Type::scalar && kind_ == ScalarKind::null; }
    bool is_scalar() const { return type_ == Type::scalar; }
    bool is_sequence() const { return type_ == Type::sequence; }
    bool is_map() const { return type_ == Type::map; }
    ScalarKind kind() const { return kind_; }
    const std::string& text() const { return text_; }

    // Sequences.
    const std::vector<Node>& items() const { return items_; }
    std::vector<Node>& items() { return items_; }
    void push_back(Node item) { items_.push_back(std::move(item)); }

    // Maps keep their keys in order.
    const std::vector<Entry>& entries() const { return entries_; }
    std::vector<Entry>& entries() { return entries_; }
    const Node* find(std::string_view key) const;
    Node* find(std::string_view key);
    Node& set(std::string_view key, Node value); // replaces in place, or appends
    void erase(std::string_view key);
    // The scalar text of a key that holds a non-null scalar.
    std::optional<std::string> get(std::string_view key) const;

    // Where the node was read from (1-based; 0 for nodes made in memory).
    int line() const { return line_; }
    int column() const { return column_; }
    void set_mark(int line, int column) {
        line_ = line;
        column_ = column;
    }
    // The node at a JSON pointer (`/events/0/at`), or null if there is none.
    const Node* at_pointer(std::string_view pointer) const;

    // A scalar that was written plain (not quoted, not a block) in the text it was read
    // from; false for nodes made in memory.
    bool plain() const { return plain_; }
    void set_plain() { plain_ = true; }

    // Equal content; marks and plainness are ignored.
    bool operator==(const Node& other) const;

  private:
    Type type_ = Type::scalar;
    ScalarKind kind_ = ScalarKind::null;
    bool plain_ = false;
    std::string text_;
    std::vector<Node> items_;
    std::vector<Entry> entries_;
    int line_ = 0;
    int column_ = 0;
};

// Limits that keep hostile input from exhausting time, memory or stack.
// The largest record or settings file opsflow reads, and so the largest it writes;
// the longest value in one.
constexpr std::size_t max_file_bytes = 1 << 20;
constexpr std::size_t max_value_bytes = 256 * 1024;

struct YamlLimits {
    std::size_t max_bytes = max_file_bytes;
    int max_depth = 32;
    std::size_t max_scalar = max_value_bytes;
};

// Parses one document. `source` names the file in error messages. Throws
// InvalidDataError (with file:line:col) for malformed YAML, invalid UTF-8,
// control characters, anchors, aliases, tags, duplicate keys, or input past the limits.
Node parse_yaml(std::string_view text, const std::string& source, const YamlLimits& limits = {});

// How a plain scalar is typed under YAML 1.2 core.
ScalarKind resolve_plain_scalar(std::string_view text);

// Writes a map as block YAML with our canonical quoting: strings are quoted
// whenever a YAML 1.1 or 1.2 reader would take them for another type, multi-line
// text is a `|` literal block. Keys are written in the node's order.
// Refuses (InvalidDataError, naming the value) what opsflow could not read back:
// control characters other than tab and line feed, bidi controls, values over max_value_bytes,
// text over max_file_bytes.
std::string emit_yaml(const Node& root);

// The first line of `text` that is not valid UTF-8 or holds a control character
// other than tab, LF, or CR before LF, or a bidi control (find_bidi_control):
// {line, column, what}. Empty when clean.
struct TextProblem {
    int line;
    int column;
    std::string what;
};
std::optional<TextProblem> find_text_problem(std::string_view text);

// The first character of `text` that a terminal acts on, other than tab and line
// feed: C0 controls, DEL and C1 controls. Its byte offset and code point.
struct ControlCharacter {
    std::size_t offset;
    char32_t code;
};
std::optional<ControlCharacter> find_control_character(std::string_view text);

// The first bidirectional embedding, override or isolate (U+202A..U+202E,
// U+2066..U+2069) or line/paragraph separator (U+2028, U+2029) in `text`: characters
// that reorder or break what a view shows ("Trojan Source"). LRM and RLM are not
// among them: right-to-left text needs them and they reorder nothing on their own.
std::optional<ControlCharacter> find_bidi_control(std::string_view text);

// True when `text` holds nothing visible: only Unicode White_Space (U+3000, NBSP,
// ...) and zero-width characters (U+200B..U+200D, U+2060, U+FEFF).
bool is_blank_text(std::string_view text);

} // namespace opsflow
