#pragma once
// SLA breach warnings: open incidents whose response or resolution deadline is
// near or past, on their own clock with hold time left out.
#include "opsflow/notify.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace opsflow {

struct SlaAlert {
    std::string id;
    std::string title;
    std::string priority;
    std::string assignee;
    std::string stage; // respond or resolve
    Timestamp deadline;
    std::chrono::minutes left; // negative once breached
    bool warned = false;       // a warning for this stage was sent before
};

// Alerts for deadlines before `now + within`, earliest first.
std::vector<SlaAlert> sla_alerts(const Store& store, Timestamp now, const Duration& within,
                                 std::vector<std::string>& problems);

// The alerts as `sla watch --json` prints them: one object per alert, its deadline in
// `zone` (the store's), `breached` once no minute is left.
nlohmann::ordered_json sla_alerts_json(const std::vector<SlaAlert>& alerts,
                                       const date::time_zone* zone);

// Sends one warning per incident and stage that has not had one (to the assignee,
// or to the people with role `lead`), recorded in the incident. Returns the runs.
std::vector<NoticeRun> send_sla_warnings(Context& ctx, const std::vector<SlaAlert>& alerts);

} // namespace opsflow
