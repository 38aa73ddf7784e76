#pragma once
// JSON Schema (draft-07) validation of records and settings, with the schemas
// in schemas/ compiled into the binary.
#include "opsflow/base/yaml.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace opsflow {

// A YAML node as JSON: plain scalars typed per YAML 1.2 core, quoted ones strings.
nlohmann::json to_json(const Node& node);
// The same, keeping the order of map keys (for output people read).
nlohmann::ordered_json to_ordered_json(const Node& node);

// JSON as a YAML node: strings stay strings, numbers and booleans keep their type.
// Throws InvalidDataError past `max_depth` levels of nesting.
Node from_json(const nlohmann::ordered_json& value, int max_depth = 32);

// Validates `doc` against schemas/<schema>.schema.json. Throws InvalidDataError
// with one diagnostic per problem, each at `file:line:col` of the offending value.
void validate_against_schema(const Node& doc, const std::string& schema, const std::string& file);

// Reads, parses and validates a YAML file against schemas/<schema>.schema.json.
// `display` is how the file is named in messages (a store-relative path).
Node load_yaml_file(const std::filesystem::path& path, const std::string& schema,
                    const std::string& display);
// The same for text already read (from git's index, say).
Node parse_yaml_map(const std::string& text, const std::string& schema, const std::string& display);

// The raw text of a compiled-in schema (for `opsflow schema` and tests).
const std::string& schema_text(const std::string& schema);

} // namespace opsflow
