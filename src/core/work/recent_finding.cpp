#include "opsflow/work/recent_finding.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace opsflow {

FoundFinding find_finding(const Context& ctx, const StoreFacts& facts, const FindingRef& ref,
                          Timestamp at) {
    Timestamp to = ref.to.value_or(at);
    Timestamp from = ref.from.value_or(to - finding_span);
    if (to > at) throw UsageError(tr("--to: the finding's period cannot end after now"));
    if (from >= to) throw UsageError(tr("--from must be before --to"));
    ReportPeriod period{from, to};
    auto report = [&] {
        LanguageScope language(ctx.store.settings().language);
        return build_report(facts, ctx.store.settings(), period, {}, to);
    }();
    std::vector<std::string> ids;
    for (auto& f : report.findings) {
        if (f.id == ref.id) return {std::move(f), period};
        ids.push_back(f.id);
    }
    const date::time_zone* zone = ctx.store.settings().zone;
    throw NotFoundError(
        tr("no finding '{}' in the report from {} to {}; that report's findings: {}", ref.id,
           format_rfc3339(from, zone), format_rfc3339(to, zone),
           ids.empty() ? tr("none") : fmt::format("{}", fmt::join(ids, ", "))));
}

std::string finding_statement(const Context& ctx, const FoundFinding& found) {
    LanguageScope language(ctx.store.settings().language);
    const date::time_zone* zone = ctx.store.settings().zone;
    return tr("Report finding {} ({} to {}): {}.", found.finding.id,
              format_rfc3339(found.period.from, zone).substr(0, 10),
              format_rfc3339(found.period.to, zone).substr(0, 10), found.finding.fact);
}

} // namespace opsflow
