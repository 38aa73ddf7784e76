// libFuzzer target: the merge driver's three-way record merge. The input is split
// into base, ours and theirs at the first two NUL bytes. A merge either throws
// opsflow's typed error or gives a result without a sanitizer report, and a clean
// result is a record that reads. With OPSFLOW_FUZZ_MERGE_SYMMETRY set it also
// demands that the result not depend on which side is "ours": two such findings
// are fixed (their inputs are in the corpus); that property is not yet held by
// every input, so CI does not demand it (README, Reliability).
#include "opsflow/error.hpp"
#include "opsflow/merge.hpp"
#include "opsflow/record.hpp"
#include "opsflow/yaml.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace opsflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    auto first = input.find('\0');
    if (first == std::string_view::npos) return 0;
    auto second = input.find('\0', first + 1);
    if (second == std::string_view::npos) return 0;
    std::string base(input.substr(0, first));
    std::string ours(input.substr(first + 1, second - first - 1));
    std::string theirs(input.substr(second + 1));
    // The path is named after the record's id, so that the merge gets past that check.
    std::string path = "X.yaml";
    try {
        Node doc = parse_yaml(ours, "ours");
        if (doc.is_map())
            if (auto id = doc.get("id"); id && id->find('/') == std::string::npos)
                path = *id + ".yaml";
    } catch (const Error&) {
    }
    for (auto kind : {RecordKind::incident, RecordKind::ticket}) {
        try {
            MergeOutcome one = merge_record(kind, base, ours, theirs, path);
            MergeOutcome other = merge_record(kind, base, theirs, ours, path);
            static const bool symmetry = std::getenv("OPSFLOW_FUZZ_MERGE_SYMMETRY") != nullptr;
            if (symmetry &&
                (one.clean() != other.clean() || (one.clean() && one.text != other.text)))
                std::abort();
            if (one.clean()) Record::from_text(kind, one.text, path, "merged.yaml");
            if (other.clean()) Record::from_text(kind, other.text, path, "merged.yaml");
        } catch (const Error&) {
        }
    }
    return 0;
}
