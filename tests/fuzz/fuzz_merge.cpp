// libFuzzer target: the merge driver's three-way record merge, with the settings
// of a store (so that an incident's priority and deadlines are set afresh). The
// input is split into base, ours and theirs at the first two NUL bytes. A merge
// either throws opsflow's typed error or gives a result without a sanitizer
// report; a clean result is a record that reads, and it does not depend on which
// side is "ours" (the same bytes, or a conflict, both ways round).
#include "opsflow/base/error.hpp"
#include "opsflow/base/yaml.hpp"
#include "opsflow/check/merge.hpp"
#include "opsflow/record/record.hpp"
#include "opsflow/record/settings.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace opsflow;

namespace {

const Settings& store_settings() {
    static const Settings settings = settings_from(parse_yaml(R"(timezone: Asia/Shanghai
categories: [hardware, network, email, other]
priority_matrix:
  high:   {high: P1, medium: P2, low: P3}
  medium: {high: P2, medium: P3, low: P4}
  low:    {high: P3, medium: P4, low: P4}
sla:
  P1: {respond: 15m, resolve: 4h, clock: 24x7}
  P2: {respond: 30m, resolve: 8h, clock: 24x7}
  P3: {respond: 2h,  resolve: 3d, clock: business}
  P4: {respond: 1d,  resolve: 10d, clock: business}
calendar:
  workdays: [mon, tue, wed, thu, fri]
  hours: ["09:00-12:00", "13:30-18:00"]
  holidays: [2026-10-01, 2026-10-02]
)",
                                                              "opsflow.yaml"),
                                                   "opsflow.yaml");
    return settings;
}

} // namespace

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
            const Settings* settings = &store_settings();
            MergeOutcome one = merge_record(kind, base, ours, theirs, path, 7, settings);
            MergeOutcome other = merge_record(kind, base, theirs, ours, path, 7, settings);
            if (one.clean() != other.clean() || (one.clean() && one.text != other.text))
                std::abort();
            if (one.clean()) Record::from_text(kind, one.text, path, "merged.yaml");
            if (other.clean()) Record::from_text(kind, other.text, path, "merged.yaml");
        } catch (const Error&) {
        }
    }
    return 0;
}
