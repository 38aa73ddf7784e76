#pragma once
// JSON text straight from a Node, as nlohmann's dump writes it (core-internal):
// the same bytes, without building a JSON value first.
#include "opsflow/base/yaml.hpp"

#include <string>

namespace opsflow::json_text {

// How the text is laid out: `indent` < 0 is compact (dump()), otherwise pretty
// (dump(indent)) with lines after the first indented for `depth` levels.
struct Layout {
    int indent = -1;
    int depth = 0;
};

// A string, quoted and escaped.
void write_string(std::string& out, std::string_view text);
// A scalar node (null, boolean, number, string).
void write_scalar(std::string& out, const Node& node);
// Opens a map or sequence, writes a separator or closes it, in `layout`.
void open(std::string& out, char bracket);
void next_member(std::string& out, const Layout& layout, bool first);
void close(std::string& out, char bracket, const Layout& layout, bool empty);
// A key and its separator.
void write_key(std::string& out, std::string_view key, const Layout& layout);

// Any node, its maps' keys in the order they have.
void write(std::string& out, const Node& node, Layout layout);

} // namespace opsflow::json_text
