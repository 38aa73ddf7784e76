// libFuzzer target: the record reader and writer. Any bytes as a record file of
// each kind: reading either succeeds or throws opsflow's typed error; a record
// that reads is written, and what is written reads back as the same record.
#include "opsflow/error.hpp"
#include "opsflow/record.hpp"
#include "opsflow/yaml.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace opsflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    // The file is named after the record's id, so that the reader gets past that check.
    std::string name = "X.yaml";
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
