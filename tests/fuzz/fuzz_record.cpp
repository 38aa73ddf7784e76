// libFuzzer target: the record reader and writer. Any bytes as a record file of
// each kind: reading either succeeds or throws opsflow's typed error; a record
// that reads is written, and what is written reads back as the same record. The
// canonical reader, when it takes the bytes, reads them as libyaml does.
#include "base/yaml_canonical.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/yaml.hpp"
#include "opsflow/record/record.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace opsflow;

namespace {

// The same tree, kinds, texts and marks.
bool same_tree(const Node& a, const Node& b) {
    if (a.type() != b.type() || a.line() != b.line() || a.column() != b.column()) return false;
    switch (a.type()) {
    case Node::Type::scalar:
        return a.kind() == b.kind() && a.text() == b.text();
    case Node::Type::sequence:
        if (a.items().size() != b.items().size()) return false;
        for (std::size_t i = 0; i < a.items().size(); ++i)
            if (!same_tree(a.items()[i], b.items()[i])) return false;
        return true;
    case Node::Type::map:
        if (a.entries().size() != b.entries().size()) return false;
        for (std::size_t i = 0; i < a.entries().size(); ++i)
            if (a.entries()[i].first != b.entries()[i].first ||
                !same_tree(a.entries()[i].second, b.entries()[i].second))
                return false;
        return true;
    }
    return false;
}

void compare_readers(const std::string& text) {
    if (find_text_problem(text)) return;
    auto canonical = read_canonical_yaml(text, YamlLimits{});
    if (!canonical) return;
    try {
        if (!same_tree(*canonical, read_yaml_events(text, "fuzz.yaml", YamlLimits{}))) std::abort();
    } catch (const Error&) {
        std::abort(); // taken by one reader, refused by the other
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    // The file is named after the record's id, so that the reader gets past that check.
    std::string name = "X.yaml";
    compare_readers(text);
    try {
        Node doc = parse_yaml(text, "fuzz.yaml");
        if (doc.is_map())
            if (auto id = doc.get("id"); id && id->find('/') == std::string::npos)
                name = *id + ".yaml";
    } catch (const Error&) {
    }
    for (auto kind : {RecordKind::incident, RecordKind::maintenance, RecordKind::ticket,
                      RecordKind::improvement}) {
        try {
            Record record = Record::from_text(kind, text, name, "fuzz.yaml");
            std::string written = record.render();
            Record again = Record::from_text(kind, written, name, "fuzz.yaml");
            if (again.render() != written) std::abort(); // the writer must be a fixed point
        } catch (const Error&) {
        }
    }
    try {
        Node doc = parse_yaml(text, "fuzz.yaml");
        std::string written = emit_yaml(doc);
        if (!(parse_yaml(written, "emitted") == doc)) std::abort();
    } catch (const Error&) {
    }
    return 0;
}
