#include "opsflow/work/recent_finding.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace opsflow {

Finding recent_finding(const Context& ctx, const StoreFacts& facts, const std::string& id,
                       Timestamp at) {
    auto report = [&] {
        LanguageScope language(ctx.store.settings().language);
        return build_report(facts, ctx.store.settings(), {at - finding_span, at}, {}, at);
    }();
    std::vector<std::string> ids;
    for (auto& f : report.findings) {
        if (f.id == id) return std::move(f);
        ids.push_back(f.id);
    }
    throw NotFoundError(
        tr("no finding '{}' in the report of the last 30 days; current findings: {}", id,
           ids.empty() ? tr("none") : fmt::format("{}", fmt::join(ids, ", "))));
}

} // namespace opsflow
