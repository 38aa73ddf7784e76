#pragma once
// SLA breach warnings: open incidents whose response or resolution deadline is
// near or past, on their own clock with hold time left out.
#include "opsflow/notice/notify.hpp"
#include "opsflow/record/facts.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

// One deadline near or past; its text points into the facts of its SlaAlerts.
struct SlaAlert {
    std::string_view id;
    std::string_view title;
    std::string_view priority;
    std::string_view assignee;
    std::string_view stage; // respond or resolve
    Timestamp deadline;
    std::chrono::minutes left; // negative once breached
    bool warned = false;       // a warning for this stage was sent before
};

// The alerts, earliest deadline first (then by ID and stage), with the facts they
// were read from and the problems of records that could not be read.
struct SlaAlerts {
    StoreFacts facts;
    std::vector<SlaAlert> alerts;
};

// Alerts for deadlines before `now + within`, from the query index: a cron job runs
// this every few minutes on the whole store.
SlaAlerts sla_alerts(const Store& store, Timestamp now, const Duration& within);

// The alerts as `sla watch --json` prints them: one object per alert, its deadline in
// `zone` (the store's), `breached` once no minute is left.
nlohmann::ordered_json sla_alerts_json(const std::vector<SlaAlert>& alerts,
                                       const date::time_zone* zone);

// Sends one warning per incident and stage that has not had one (to the assignee,
// or to the people with role `lead`), recorded in the incident. Returns the runs.
std::vector<NoticeRun> send_sla_warnings(Context& ctx, const std::vector<SlaAlert>& alerts);

} // namespace opsflow
