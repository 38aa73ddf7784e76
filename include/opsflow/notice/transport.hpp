#pragma once
// Delivering a notice: archive only, a sendmail program, SMTP, or a webhook.
#include "opsflow/base/environment.hpp"
#include "opsflow/record/notify_config.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace opsflow {

struct Delivery {
    bool ok = false;
    std::string error; // why it failed
};

struct Outgoing {
    std::string envelope_from;           // bare address
    std::vector<std::string> recipients; // bare addresses
    std::string mime;                    // the message as archived
    nlohmann::json webhook_payload;      // what a webhook receives
};

// Never throws for a delivery problem: the result says what happened. The SMTP
// password and libcurl's tracing come from `environment`.
Delivery deliver(const NotifyConfig& config, const Outgoing& message,
                 const Environment& environment);

} // namespace opsflow
