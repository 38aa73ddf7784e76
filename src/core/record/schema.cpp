#include "opsflow/record/schema.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "record/schema_words.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <mutex>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace opsflow {
namespace detail {
const std::map<std::string, std::string>& embedded_schemas();
}

namespace {

template <class Json> Json convert(const Node& node) {
    switch (node.type()) {
    case Node::Type::sequence: {
        auto out = Json::array();
        for (const auto& item : node.items())
            out.push_back(convert<Json>(item));
        return out;
    }
    case Node::Type::map: {
        auto out = Json::object();
        for (const auto& [k, v] : node.entries())
            out[k] = convert<Json>(v);
        return out;
    }
    case Node::Type::scalar:
        break;
    }
    const std::string& t = node.text();
    switch (node.kind()) {
    case ScalarKind::null:
        return nullptr;
    case ScalarKind::boolean:
        return t[0] == 't' || t[0] == 'T';
    case ScalarKind::integer: {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec == std::errc{} && p == t.data() + t.size()) return v;
        [[fallthrough]];
    }
    case ScalarKind::floating: {
        auto parsed = Json::parse(t, nullptr, false);
        return parsed.is_number() ? parsed : Json(t);
    }
    case ScalarKind::string:
        return t;
    }
    return nullptr;
}

} // namespace

nlohmann::json to_json(const Node& node) {
    return convert<nlohmann::json>(node);
}
nlohmann::ordered_json to_ordered_json(const Node& node) {
    return convert<nlohmann::ordered_json>(node);
}

Node from_json(const nlohmann::ordered_json& value, int max_depth) {
    if (max_depth <= 0) throw InvalidDataError(tr("nesting deeper than 32 levels"));
    switch (value.type()) {
    case nlohmann::ordered_json::value_t::null:
        return Node::null();
    case nlohmann::ordered_json::value_t::boolean:
        return Node::boolean(value.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer:
    case nlohmann::ordered_json::value_t::number_unsigned:
        return Node::scalar(value.dump(), ScalarKind::integer);
    case nlohmann::ordered_json::value_t::number_float:
        return Node::scalar(value.dump(), ScalarKind::floating);
    case nlohmann::ordered_json::value_t::string:
        return Node::string(value.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        Node seq = Node::sequence();
        for (const auto& item : value)
            seq.push_back(from_json(item, max_depth - 1));
        return seq;
    }
    case nlohmann::ordered_json::value_t::object: {
        Node map = Node::map();
        for (const auto& [key, item] : value.items())
            map.set(key, from_json(item, max_depth - 1));
        return map;
    }
    default:
        throw InvalidDataError(tr("binary JSON values are not supported"));
    }
}

const std::string& schema_text(const std::string& schema) {
    const auto& all = detail::embedded_schemas();
    auto it = all.find(schema);
    if (it == all.end()) throw RuntimeError(fmt::format("internal: no schema '{}'", schema));
    return it->second;
}

namespace {

struct CompiledSchema {
    nlohmann::json document;
    valijson::Schema schema;
};

const CompiledSchema& compiled(const std::string& name) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<CompiledSchema>> cache;
    std::lock_guard lock(mutex);
    auto& slot = cache[name];
    if (!slot) {
        slot = std::make_unique<CompiledSchema>();
        slot->document = nlohmann::json::parse(schema_text(name));
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter adapter(slot->document);
        parser.populateSchema(adapter, slot->schema);
    }
    return *slot;
}

// `<root>`, `[events]`, `[0]` -> `/events/0`
std::string pointer_from_context(const std::vector<std::string>& context) {
    std::string pointer;
    for (const auto& part : context) {
        if (part == "<root>") continue;
        std::string token = part;
        if (token.size() >= 2 && token.front() == '[' && token.back() == ']')
            token = token.substr(1, token.size() - 2);
        pointer += "/" + token;
    }
    return pointer;
}

// The schema node that describes the value at `pointer`, following local $refs.
const nlohmann::json* schema_at(const nlohmann::json& root, const std::string& pointer) {
    const nlohmann::json* current = &root;
    auto deref = [&](const nlohmann::json* s) {
        for (int i = 0; i < 8 && s && s->contains("$ref"); ++i) {
            std::string ref = (*s)["$ref"].get<std::string>();
            if (!ref.starts_with("#/")) return s;
            s = &root.at(nlohmann::json::json_pointer(ref.substr(1)));
        }
        return s;
    };
    current = deref(current);
    std::size_t pos = 0;
    while (current && pos < pointer.size()) {
        auto next = pointer.find('/', pos + 1);
        std::string token =
            pointer.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
        pos = next == std::string::npos ? pointer.size() : next;
        if (current->contains("properties") && (*current)["properties"].contains(token))
            current = &(*current)["properties"][token];
        else if (current->contains("items") && !token.empty() && std::isdigit(token[0]))
            current = &(*current)["items"];
        else if (current->contains("additionalProperties") &&
                 (*current)["additionalProperties"].is_object())
            current = &(*current)["additionalProperties"];
        else
            return nullptr;
        current = deref(current);
    }
    return current;
}

std::string describe_type(const nlohmann::json& value) {
    if (value.is_null()) return tr("empty");
    if (value.is_boolean()) return tr("a boolean");
    if (value.is_number()) return tr("a number");
    if (value.is_string()) return tr("text");
    if (value.is_array()) return tr("a list");
    return tr("a map");
}

// A message a person can act on, built from the schema rather than valijson's generic text.
std::string explain(const nlohmann::json* schema, const nlohmann::json* value,
                    const std::string& fallback) {
    if (!schema || !value) return fallback;
    if (schema->contains("enum")) {
        std::string allowed;
        for (const auto& e : (*schema)["enum"]) {
            if (!allowed.empty()) allowed += ", ";
            allowed += e.is_string() ? e.get<std::string>() : e.dump();
        }
        return tr("must be one of {} (found {})", allowed,
                  value->is_string() ? "'" + value->get<std::string>() + "'"
                                     : describe_type(*value));
    }
    if (schema->contains("type")) {
        std::string type =
            (*schema)["type"].is_string() ? (*schema)["type"].get<std::string>() : "";
        bool mismatch = (type == "string" && !value->is_string()) ||
                        (type == "integer" && !value->is_number_integer()) ||
                        (type == "number" && !value->is_number()) ||
                        (type == "boolean" && !value->is_boolean()) ||
                        (type == "array" && !value->is_array()) ||
                        (type == "object" && !value->is_object());
        static const std::map<std::string, std::string_view> names = {
            {"string", N_("text (quote it if it looks like a number, date or yes/no)")},
            {"integer", N_("a whole number")},
            {"number", N_("a number")},
            {"boolean", N_("true or false")},
            {"array", N_("a list")},
            {"object", N_("a map")}};
        if (mismatch && names.contains(type))
            return tr("must be {}, not {}", tr(names.at(type)), describe_type(*value));
    }
    if (value->is_string()) {
        auto length = value->get<std::string>().size();
        if (schema->contains("maxLength") && length > (*schema)["maxLength"].get<std::size_t>())
            return tr("is {} characters long, more than {}", length,
                      (*schema)["maxLength"].get<std::size_t>());
        if (schema->contains("minLength") && length < (*schema)["minLength"].get<std::size_t>())
            return tr("must not be empty");
        // A schema's `description` of a pattern says what is expected in words (each
        // is in the catalogue: schema_words.cpp).
        if (schema->contains("pattern")) {
            if (!schema->contains("description"))
                return tr("'{}' is not in the expected form ({})", value->get<std::string>(),
                          (*schema)["pattern"].get<std::string>());
            const auto described = (*schema)["description"].get<std::string>();
            return tr("'{}' is not {}", value->get<std::string>(), tr(described));
        }
    }
    if (value->is_number() && (schema->contains("minimum") || schema->contains("maximum")))
        return tr("must be between {} and {}", schema->value("minimum", 0),
                  schema->value("maximum", 0));
    return fallback;
}

// std::regex recurses per character: a huge string under a `pattern` would overflow
// the stack inside valijson, so such strings are refused before it runs.
void find_oversized_patterned(const nlohmann::json& root_schema, const nlohmann::json& value,
                              const std::string& pointer, std::vector<std::string>& found,
                              int depth) {
    if (depth > 40) return;
    if (value.is_string()) {
        if (value.get_ref<const std::string&>().size() > 256) {
            const auto* s = schema_at(root_schema, pointer);
            if (s && s->contains("pattern")) found.push_back(pointer);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            find_oversized_patterned(root_schema, value[i], pointer + "/" + std::to_string(i),
                                     found, depth + 1);
    } else if (value.is_object()) {
        for (const auto& [k, v] : value.items())
            find_oversized_patterned(root_schema, v, pointer + "/" + k, found, depth + 1);
    }
}

Diagnostic diagnostic_at(const Node& doc, const std::string& file, const std::string& pointer,
                         std::string message) {
    const Node* node = doc.at_pointer(pointer);
    // A missing key has no position; point at its parent map instead.
    std::string parent = pointer;
    while (!node && !parent.empty()) {
        parent = parent.substr(0, parent.rfind('/'));
        node = doc.at_pointer(parent);
    }
    return Diagnostic{file, node ? node->line() : 0, node ? node->column() : 0,
                      pointer.empty() ? "/" : pointer, std::move(message)};
}

// What a plain value other YAML readers would take it for, in the words of describe_type.
std::string other_reading_name(OtherReading reading) {
    switch (reading) {
    case OtherReading::boolean:
        return tr("a boolean");
    case OtherReading::number:
        return tr("a number");
    case OtherReading::timestamp:
        return tr("a date");
    case OtherReading::special:
    case OtherReading::none:
        break;
    }
    return tr("a YAML 1.1 merge or value key");
}

// Plain values in free-text fields (a string without a pattern or an enum) that YAML
// 1.1 readers such as PyYAML, or YAML 1.2 core, read as something other than text:
// `title: yes`, `0x1F`, `1_000`, `12:30`, `.inf`, `2026-11-24`. Fields with a pattern
// (times, dates, IDs) are left to it: a timestamp there is meant as one.
void find_other_readings(const nlohmann::json& root, const nlohmann::json* schema, const Node& node,
                         const std::string& file, const std::string& pointer,
                         std::vector<Diagnostic>& found, int depth) {
    for (int i = 0; i < 8 && schema && schema->contains("$ref"); ++i) {
        const auto& ref = (*schema)["$ref"].get_ref<const std::string&>();
        if (!ref.starts_with("#/")) return;
        schema = &root.at(nlohmann::json::json_pointer(ref.substr(1)));
    }
    if (!schema || !schema->is_object() || depth > 40) return;
    if (node.is_map()) {
        auto properties = schema->find("properties");
        auto additional = schema->find("additionalProperties");
        for (const auto& [key, value] : node.entries()) {
            const nlohmann::json* child = nullptr;
            if (properties != schema->end() && properties->contains(key))
                child = &(*properties)[key];
            else if (additional != schema->end() && additional->is_object())
                child = &*additional;
            find_other_readings(root, child, value, file, pointer + "/" + key, found, depth + 1);
        }
        return;
    }
    if (node.is_sequence()) {
        auto items = schema->find("items");
        if (items == schema->end() || !items->is_object()) return;
        for (std::size_t i = 0; i < node.items().size(); ++i)
            find_other_readings(root, &*items, node.items()[i], file,
                                pointer + "/" + std::to_string(i), found, depth + 1);
        return;
    }
    if (!node.plain() || node.text().empty()) return;
    auto type = schema->find("type");
    if (type == schema->end() || *type != "string" || schema->contains("pattern") ||
        schema->contains("enum"))
        return;
    // A value the schema already sees as a number, boolean or null is refused by it.
    if (!convert<nlohmann::json>(node).is_string()) return;
    auto reading = other_yaml_reading(node.text());
    if (reading == OtherReading::none) return;
    found.push_back(Diagnostic{file, node.line(), node.column(), pointer,
                               tr("must be {}, not {}",
                                  tr("text (quote it if it looks like a number, date or yes/no)"),
                                  other_reading_name(reading))});
}

} // namespace

void validate_against_schema(const Node& doc, const std::string& schema_name,
                             const std::string& file) {
    const CompiledSchema& cs = compiled(schema_name);
    nlohmann::json json = to_json(doc);
    std::vector<Diagnostic> other_readings;
    find_other_readings(cs.document, &cs.document, doc, file, "", other_readings, 0);

    std::vector<std::string> oversized;
    find_oversized_patterned(cs.document, json, "", oversized, 0);
    if (!oversized.empty()) {
        std::vector<Diagnostic> diagnostics;
        for (const auto& p : oversized)
            diagnostics.push_back(diagnostic_at(doc, file, p, tr("value is too long")));
        throw InvalidDataError(std::move(diagnostics));
    }

    // The validator caches compiled `pattern` regexes; building them anew for every
    // record cost more than parsing it.
    thread_local valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(json);
    if (validator.validate(cs.schema, target, &results)) {
        if (!other_readings.empty()) throw InvalidDataError(std::move(other_readings));
        return;
    }

    // valijson reports each failure and every enclosing one; keep the deepest ones,
    // and every missing field wherever it is.
    std::vector<std::pair<std::string, std::string>> errors;
    valijson::ValidationResults::Error error;
    while (results.popError(error))
        errors.emplace_back(pointer_from_context(error.context), error.description);
    auto is_missing = [](const std::string& d) {
        return d.find("Missing required property") != std::string::npos;
    };
    std::vector<std::pair<std::string, std::string>> by_pointer;
    for (const auto& error_entry : errors) {
        const auto& [pointer, description] = error_entry;
        // (clang 14 cannot capture a structured binding: the lambda names the pair.)
        const std::string& at = error_entry.first;
        bool has_deeper = std::any_of(errors.begin(), errors.end(), [&](const auto& other) {
            return other.first.size() > at.size() &&
                   (at.empty() || other.first.starts_with(at + "/"));
        });
        if (has_deeper && !is_missing(description)) continue;
        std::pair<std::string, std::string> entry{pointer, description};
        if (std::find(by_pointer.begin(), by_pointer.end(), entry) == by_pointer.end())
            by_pointer.push_back(entry);
    }
    std::vector<Diagnostic> diagnostics;
    for (const auto& [pointer, description] : by_pointer) {
        const nlohmann::json* value = nullptr;
        try {
            value = &json.at(nlohmann::json::json_pointer(pointer));
        } catch (const std::exception&) {
        }
        std::string message;
        if (is_missing(description)) {
            auto q = description.find('\'');
            std::string field = q == std::string::npos ? "" : description.substr(q);
            if (field.ends_with('.')) field.pop_back();
            message =
                field.empty() ? from_valijson(description) : tr("missing required field {}", field);
        } else {
            message = explain(schema_at(cs.document, pointer), value, from_valijson(description));
        }
        Diagnostic d = diagnostic_at(doc, file, pointer, message);
        bool seen = std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& o) {
            return o.path == d.path && o.message == d.message;
        });
        if (!seen) diagnostics.push_back(std::move(d));
    }
    for (auto& d : other_readings)
        if (std::none_of(diagnostics.begin(), diagnostics.end(),
                         [&](const Diagnostic& o) { return o.path == d.path; }))
            diagnostics.push_back(std::move(d));
    throw InvalidDataError(std::move(diagnostics));
}

Node load_yaml_file(const std::filesystem::path& path, const std::string& schema,
                    const std::string& display) {
    return parse_yaml_map(read_text_file(path, max_file_bytes, display), schema, display);
}

Node parse_yaml_map(const std::string& text, const std::string& schema,
                    const std::string& display) {
    Node doc = parse_yaml(text, display);
    if (!doc.is_map())
        throw InvalidDataError({Diagnostic{
            display, 1, 1, "", text.empty() ? tr("file is empty") : tr("file is not a YAML map")}});
    validate_against_schema(doc, schema, display);
    return doc;
}

} // namespace opsflow
