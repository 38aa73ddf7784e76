#pragma once
// The rules every evaluation keeps (SPEC §12), for maintenance and improvements alike:
// an evaluation waits until its window after the work has passed, unless it is marked
// partial; before and after are spans of equal length; counts are rates per 30 days;
// measured figures are recorded as they were typed.
#include "opsflow/base/time.hpp"
#include "opsflow/record/record.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

enum class EvaluationTiming { complete_windows, allow_partial };

// The two spans an evaluation compares: `before` ends where the work began, `after`
// begins where it ended; both as long as the window, or as long as the time observed
// so far for a partial evaluation.
struct EvaluationSpans {
    Timestamp before_from, before_to;
    Timestamp after_from, after_to;
    bool partial = false;
    double window_days = 0;
    double observed_days = 0; // equal to window_days unless partial
};

// Refuses (exit 4, naming when it becomes possible) an evaluation of `id` at `when`
// before `ended + window`, unless `timing` allows a partial one. `began` and `ended`
// are when the work began and ended (the same instant for an improvement).
EvaluationSpans evaluation_spans(std::string_view id, Timestamp began, Timestamp ended,
                                 const Duration& window, Timestamp when, EvaluationTiming timing,
                                 const date::time_zone* zone);

// A count over a span as a rate per 30 days.
double per_30_days(double count, Timestamp from, Timestamp to);

// A figure measured before and after the work: `p95_ms=850->420`, `disk=92->61%`.
struct Measure {
    std::string name;
    double before = 0;
    double after = 0;
    std::string unit;
};
// Throws UsageError naming `--measure` for text that is not NAME=BEFORE->AFTER[UNIT].
Measure parse_measure(std::string_view text);
Node measures_node(const std::vector<Measure>& measures);
// `p95_ms 850 → 420 ms`
std::string measure_text(const Node& measure);

// A number as records hold it: an integer when it is whole, else one decimal.
Node rounded_number(double value);

// "so far: 2.5 of 7 days" for a partial evaluation node, empty for a complete one.
std::string partial_text(const Node& evaluation);

} // namespace opsflow
