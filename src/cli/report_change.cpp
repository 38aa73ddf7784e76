#include "report_change.hpp"

#include "opsflow/base/i18n.hpp"
#include "value_labels.hpp"

#include <map>
#include <string_view>

namespace opsflow::cli {

// A figure's JSON key as the figures table names it; the keys below a figure (a status,
// a channel, a service) are shown as value_label shows them.
namespace {

const std::map<std::string_view, std::string_view>& figure_words() {
    static const std::map<std::string_view, std::string_view> words = {
        {"incidents", N_("Incidents")},
        {"tickets", N_("Tickets")},
        {"maintenance", N_("Maintenance")},
        {"satisfaction", N_("Satisfaction")},
        {"total", N_("total")},
        {"by_status", N_("by status")},
        {"by_priority", N_("by priority")},
        {"by_service", N_("by service")},
        {"by_category", N_("by category")},
        {"by_channel", N_("by channel")},
        {"by_result", N_("by result")},
        {"mtta_minutes", N_("MTTA (minutes)")},
        {"mttr_minutes", N_("MTTR (minutes)")},
        {"answer_minutes", N_("time to answer (minutes)")},
        {"mean", N_("mean")},
        {"median", N_("median")},
        {"p90", N_("p90")},
        {"n", N_("sample")},
        {"failure_rate", N_("failure rate")},
        {"per_30_days", N_("per 30 days")},
        {"response_met_pct", N_("SLA response met")},
        {"resolution_met_pct", N_("SLA resolution met")},
        {"reopen_rate_pct", N_("reopen rate")},
        {"notice_on_time_pct", N_("notices on time")},
        {"sent", N_("surveys sent")},
        {"response_rate_pct", N_("response rate")},
        {"mean_score", N_("mean score")},
        {"csat_pct", N_("CSAT (4-5)")},
        {"distribution", N_("distribution")},
    };
    return words;
}

} // namespace

std::string change_label(const std::vector<std::string>& path) {
    std::string label;
    for (const auto& key : path) {
        auto word = figure_words().find(key);
        std::string shown = word != figure_words().end() ? tr(word->second) : value_label(key);
        label = label.empty() ? shown : tr("{} › {}", label, shown);
    }
    return label;
}

} // namespace opsflow::cli
