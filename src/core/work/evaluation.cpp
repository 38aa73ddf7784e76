#include "opsflow/work/evaluation.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <regex>

namespace opsflow {

namespace {

constexpr double seconds_per_day = 86400.0;

double days_between(Timestamp from, Timestamp to) {
    return static_cast<double>(
               std::chrono::duration_cast<std::chrono::seconds>(to - from).count()) /
           seconds_per_day;
}

// Locale-independent: the program runs under the operator's locale.
double decimal(std::string_view text) {
    double v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

std::string number_text(double v) {
    double r = std::round(v * 10) / 10;
    return r == std::floor(r) ? fmt::format("{}", static_cast<std::int64_t>(r))
                              : fmt::format("{:.1f}", r);
}

} // namespace

EvaluationSpans evaluation_spans(std::string_view id, Timestamp began, Timestamp ended,
                                 const Duration& window, Timestamp when, EvaluationTiming timing,
                                 const date::time_zone* zone) {
    if (window.wall().count() <= 0) throw UsageError(tr("--window must be longer than zero"));
    auto span = std::chrono::duration_cast<std::chrono::seconds>(window.wall());
    Timestamp possible = ended + span;
    EvaluationSpans s;
    s.window_days = days_between(ended, possible);
    s.partial = when < possible;
    if (s.partial && timing == EvaluationTiming::complete_windows)
        throw RefusedError(tr("cannot evaluate {} yet: the {} days after it ended run until {}; "
                              "evaluate then, or now with --partial (recorded as partial)",
                              id, number_text(s.window_days), format_rfc3339(possible, zone)));
    Timestamp after_to = s.partial ? std::max(when, ended) : possible;
    auto observed = after_to - ended;
    s.observed_days = days_between(ended, after_to);
    s.before_from = began - observed;
    s.before_to = began;
    s.after_from = ended;
    s.after_to = after_to;
    return s;
}

double per_30_days(double count, Timestamp from, Timestamp to) {
    double days = days_between(from, to);
    return days > 0 ? count * 30.0 / days : 0.0;
}

Measure parse_measure(std::string_view text) {
    static const std::regex re(
        R"(([a-z][a-z0-9_]{0,39})=(-?[0-9]+(?:\.[0-9]+)?)->(-?[0-9]+(?:\.[0-9]+)?)([%a-zA-Z/]{0,12}))");
    std::cmatch m;
    if (!std::regex_match(text.begin(), text.end(), m, re))
        throw UsageError(tr("--measure '{}' is not NAME=BEFORE->AFTER[UNIT] (p95_ms=850->420, "
                            "disk_used=92->61%)",
                            text));
    return Measure{m[1].str(), decimal(m[2].str()), decimal(m[3].str()), m[4].str()};
}

Node rounded_number(double v) {
    double r = std::round(v * 10) / 10;
    return r == std::floor(r) ? Node::integer(static_cast<std::int64_t>(r))
                              : Node::scalar(fmt::format("{}", r), ScalarKind::floating);
}

Node measures_node(const std::vector<Measure>& measures) {
    Node list = Node::sequence();
    for (const auto& m : measures) {
        Node n = Node::map();
        n.set("name", Node::string(m.name));
        n.set("before", rounded_number(m.before));
        n.set("after", rounded_number(m.after));
        if (!m.unit.empty()) n.set("unit", Node::string(m.unit));
        list.push_back(std::move(n));
    }
    return list;
}

std::string measure_text(const Node& m) {
    std::string unit = m.get("unit").value_or("");
    return fmt::format("{} {}{} → {}{}", m.get("name").value_or("?"), m.get("before").value_or("?"),
                       unit, m.get("after").value_or("?"), unit);
}

std::string partial_text(const Node& evaluation) {
    if (evaluation.get("partial") != "true") return "";
    double observed = decimal(evaluation.get("observed_days").value_or("0"));
    return tr("so far: {} of {} days", number_text(observed),
              evaluation.get("window_days").value_or("?"));
}

} // namespace opsflow
