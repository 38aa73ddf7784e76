#pragma once
// The two ways a YAML document is read (core-internal; parse_yaml in yaml.hpp
// chooses). Records are nearly always text opsflow wrote itself, in one fixed
// style (yaml_write.cpp); that style is read directly, several times faster than
// through libyaml's events. Anything else, and anything wrong, goes to libyaml.
#include "opsflow/base/yaml.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace opsflow {

// `text` read as the canonical style: the same tree, kinds and marks libyaml's
// reading gives, or nullopt for any text outside that style (another style, a
// comment, an escape it leaves to libyaml, a limit reached, an error). Never throws
// for the text's sake. `text` has passed find_text_problem.
std::optional<Node> read_canonical_yaml(std::string_view text, const YamlLimits& limits);

// `text` read through libyaml's events, with opsflow's refusals (anchors, aliases,
// tags, duplicate keys, limits). `text` has passed find_text_problem.
Node read_yaml_events(std::string_view text, const std::string& source, const YamlLimits& limits);

} // namespace opsflow
