// Reads the one style opsflow writes (yaml_write.cpp) without libyaml: block maps
// and sequences indented by two, `- key: value` items, plain and single-line
// double-quoted scalars, `[a, b]` lists, `[]` and `{}`, and `|` literal blocks.
// It is strict on purpose: the first thing outside that style gives up, and the
// whole text goes to libyaml, which then reads it or reports what is wrong. So
// what it accepts it must read exactly as libyaml does, marks included; the unit
// tests and the record fuzzer compare the two readings.
#include "base/yaml_canonical.hpp"

#include <cstdint>

namespace opsflow {

namespace {

// Thrown inside the reader only: the text is not in the canonical style.
struct NotCanonical {};

[[noreturn]] void give_up() {
    throw NotCanonical{};
}

bool is_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// libyaml counts columns in characters, not bytes.
int column_at(std::string_view line, std::size_t offset) {
    int column = 1;
    for (std::size_t i = 0; i < offset; ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xc0) != 0x80) ++column;
    return column;
}

// A plain scalar the writer could have written, read the same in block and flow
// context: no space or indicator first (but the sign of a number), no `: ` or
// ` #`, no flow indicators, no tab, nothing trailing.
bool canonical_plain(std::string_view s, bool in_flow) {
    if (s.empty()) return false;
    char first = s.front();
    if (first == ' ') return false;
    // libyaml 0.2 ends a plain scalar in a list at some colons: none is read here.
    if (in_flow && s.find(':') != std::string_view::npos) return false;
    if (std::string_view("?:,[]{}#&*!|>'\"%@`").find(first) != std::string_view::npos) return false;
    if (first == '-' && (s.size() < 2 || !((s[1] >= '0' && s[1] <= '9') || s[1] == '.')))
        return false;
    if (s.back() == ' ' || s.back() == ':') return false;
    if (s.find_first_of(",[]{}\t") != std::string_view::npos) return false;
    if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos)
        return false;
    return true;
}

class CanonicalReader {
  public:
    CanonicalReader(std::string_view text, const YamlLimits& limits)
        : text_(text), limits_(limits) {
        load_line();
    }

    Node document() {
        if (at_end() || indent() != 0) give_up();
        Node root = Node::map();
        root.set_mark(line_number_, 1);
        read_map(root, 0, 0, 1);
        if (!at_end()) give_up();
        return root;
    }

  private:
    // The current line: [start_, end_) of text_, without its line feed.
    bool at_end() const { return start_ >= text_.size(); }
    std::string_view line() const { return text_.substr(start_, end_ - start_); }
    std::size_t indent() const {
        std::size_t n = 0;
        while (start_ + n < end_ && text_[start_ + n] == ' ')
            ++n;
        return n;
    }
    void load_line() {
        if (at_end()) return;
        auto nl = text_.find('\n', start_);
        if (nl == std::string_view::npos) give_up(); // the writer ends every line
        end_ = nl;
    }
    void next_line() {
        start_ = end_ + 1;
        ++line_number_;
        load_line();
    }
    // The next line of a collection at `indent`: more indented, blank or a comment
    // is not the writer's.
    bool continues_at(std::size_t indent) const {
        if (at_end()) return false;
        std::size_t n = this->indent();
        if (n == line().size() || line()[n] == '#') give_up();
        if (n > indent) give_up();
        return n == indent;
    }

    void enter(int depth) const {
        if (depth >= limits_.max_depth) give_up(); // libyaml's reading reports it
    }

    // Entries of a map whose keys are at column `indent`; the first starts at
    // `first_offset` of the current line (after `- ` for a sequence item).
    void read_map(Node& map, std::size_t indent, std::size_t first_offset, int depth) {
        enter(depth);
        std::size_t offset = first_offset;
        for (;;) {
            std::string_view text = line();
            std::size_t k = offset;
            while (k < text.size() && is_key_char(text[k]))
                ++k;
            if (k == offset || k >= text.size() || text[k] != ':') give_up();
            std::string_view key = text.substr(offset, k - offset);
            if (map.find(key)) give_up(); // a duplicate: libyaml's reading reports it
            Node value;
            if (k + 1 == text.size()) { // `key:` and the value below it
                next_line();
                value = block_below(indent, depth + 1);
            } else if (text[k + 1] == ' ') {
                value = value_at(k + 2, indent, depth + 1);
            } else {
                give_up();
            }
            map.entries().emplace_back(std::string(key), std::move(value));
            if (!continues_at(indent)) return;
            if (line()[indent] == '-') give_up(); // a sequence where a key belongs
            offset = indent;
        }
    }

    // The map or sequence below `key:` at `indent`: two further in.
    Node block_below(std::size_t indent, int depth) {
        if (at_end() || this->indent() != indent + 2) give_up();
        std::string_view text = line();
        std::size_t inner = indent + 2;
        if (text[inner] == '-') {
            Node seq = Node::sequence();
            seq.set_mark(line_number_, static_cast<int>(inner) + 1);
            read_sequence(seq, inner, depth);
            return seq;
        }
        Node map = Node::map();
        map.set_mark(line_number_, static_cast<int>(inner) + 1);
        read_map(map, inner, inner, depth);
        return map;
    }

    // Items `- ...` at column `indent`.
    void read_sequence(Node& seq, std::size_t indent, int depth) {
        enter(depth);
        for (;;) {
            std::string_view text = line();
            if (text.size() < indent + 3 || text[indent] != '-' || text[indent + 1] != ' ')
                give_up();
            std::size_t start = indent + 2;
            std::size_t k = start;
            while (k < text.size() && is_key_char(text[k]))
                ++k;
            bool is_map = k > start && k < text.size() && text[k] == ':' &&
                          (k + 1 == text.size() || text[k + 1] == ' ');
            if (is_map) {
                Node map = Node::map();
                map.set_mark(line_number_, static_cast<int>(start) + 1);
                read_map(map, start, start, depth + 1);
                seq.push_back(std::move(map));
            } else {
                seq.push_back(value_at(start, indent, depth + 1));
            }
            if (!continues_at(indent)) return;
        }
    }

    // The value that starts at `offset` of the current line, in a collection at
    // `indent`; the reader moves past it.
    Node value_at(std::size_t offset, std::size_t indent, int depth) {
        std::string_view text = line();
        std::string_view rest = text.substr(offset);
        int line = line_number_;
        int column = column_at(text, offset);
        Node value;
        if (rest.empty()) give_up(); // a space after the colon, and nothing
        if (rest == "[]") {
            value = Node::sequence();
        } else if (rest == "{}") {
            value = Node::map();
        } else if (rest.front() == '[') {
            enter(depth);
            value = flow_sequence(text, offset);
        } else if (rest.front() == '"') {
            std::size_t end = offset;
            value = Node::scalar(double_quoted(text, end), ScalarKind::string);
            if (end != text.size()) give_up();
        } else if (rest.front() == '|') {
            value = block_literal(rest.substr(1), indent);
            value.set_mark(line, column);
            return value; // the block has moved the reader on
        } else {
            value = plain(rest);
        }
        value.set_mark(line, column);
        next_line();
        return value;
    }

    Node plain(std::string_view text, bool in_flow = false) const {
        if (!canonical_plain(text, in_flow) || text.size() > limits_.max_scalar) give_up();
        Node node = Node::scalar(std::string(text), resolve_plain_scalar(text));
        node.set_plain();
        return node;
    }

    // `"..."` from `pos` (at the quote) to its closing quote; `pos` ends past it.
    // Escapes other than the common four are left to libyaml.
    std::string double_quoted(std::string_view text, std::size_t& pos) const {
        std::string out;
        for (std::size_t i = pos + 1; i < text.size(); ++i) {
            char c = text[i];
            if (c == '"') {
                pos = i + 1;
                if (out.size() > limits_.max_scalar) give_up();
                return out;
            }
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (++i == text.size()) give_up();
            switch (text[i]) {
            case '"':
            case '\\':
                out.push_back(text[i]);
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 't':
                out.push_back('\t');
                break;
            default:
                give_up();
            }
        }
        give_up(); // it goes on to the next line
    }

    // `[a, "b"]` at `pos` of `text`, all on the line.
    Node flow_sequence(std::string_view text, std::size_t pos) const {
        if (text.back() != ']') give_up();
        Node seq = Node::sequence();
        std::size_t i = pos + 1;
        for (;;) {
            int column = column_at(text, i);
            Node item;
            if (i < text.size() && text[i] == '"') {
                item = Node::scalar(double_quoted(text, i), ScalarKind::string);
            } else {
                std::size_t end = text.find_first_of(",]", i);
                if (end == std::string_view::npos) give_up();
                item = plain(text.substr(i, end - i), true);
                i = end;
            }
            item.set_mark(line_number_, column);
            seq.push_back(std::move(item));
            if (i + 1 == text.size() && text[i] == ']') return seq;
            if (text.substr(i, 2) != ", ") give_up();
            i += 2;
        }
    }

    // A `|` block whose header follows `header`; its lines are indented two past
    // the collection at `indent` (the writer's `|2` says so when the text itself
    // starts with a space). The reader moves past the block.
    Node block_literal(std::string_view header, std::size_t indent) {
        char chomp = ' ';
        bool indicated = false;
        for (char c : header) {
            if (c == '2' && !indicated) {
                indicated = true;
            } else if ((c == '-' || c == '+') && chomp == ' ') {
                chomp = c;
            } else {
                give_up();
            }
        }
        std::size_t inner = indent + 2;
        std::string out;
        bool any_content = false;
        int empty_run = 0; // empty lines since the last line feed written
        next_line();
        while (!at_end()) {
            std::string_view text = line();
            if (text.empty()) {
                ++empty_run;
                next_line();
                continue;
            }
            std::size_t n = this->indent();
            if (n == text.size()) give_up();                         // only spaces
            if (n < inner) break;                                    // the block has ended
            if (!indicated && !any_content && n != inner) give_up(); // libyaml would indent further
            if (any_content) out.push_back('\n');
            out.append(static_cast<std::size_t>(empty_run), '\n');
            empty_run = 0;
            out.append(text.substr(inner));
            any_content = true;
            if (out.size() > limits_.max_scalar) give_up();
            next_line();
        }
        if (!any_content) give_up();
        if (chomp == ' ') out.push_back('\n');
        if (chomp == '+') out.append(static_cast<std::size_t>(empty_run) + 1, '\n');
        return Node::scalar(std::move(out), ScalarKind::string);
    }

    std::string_view text_;
    const YamlLimits& limits_;
    std::size_t start_ = 0; // of the current line
    std::size_t end_ = 0;   // its line feed
    int line_number_ = 1;
};

// What the writer never writes and libyaml reads in its own way: carriage returns,
// Unicode line and paragraph separators, a byte order mark inside the text.
bool has_foreign_breaks(std::string_view text) {
    return text.find('\r') != std::string_view::npos ||
           text.find("\xE2\x80\xA8") != std::string_view::npos ||
           text.find("\xE2\x80\xA9") != std::string_view::npos ||
           text.find("\xEF\xBB\xBF") != std::string_view::npos;
}

} // namespace

std::optional<Node> read_canonical_yaml(std::string_view text, const YamlLimits& limits) {
    if (text.empty() || text.size() > limits.max_bytes || has_foreign_breaks(text))
        return std::nullopt;
    try {
        return CanonicalReader(text, limits).document();
    } catch (const NotCanonical&) {
        return std::nullopt;
    }
}

} // namespace opsflow
