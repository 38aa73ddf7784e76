#pragma once
// Delivering a notice: archive only, a sendmail program, SMTP, or a webhook.
#include "opsflow/environment.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace opsflow {

enum class Transport { none, sendmail, smtp, webhook };

struct NotifyConfig {
    std::string from = "opsflow <opsflow@localhost>";
    Transport transport = Transport::none;
    std::vector<std::string> sendmail = {"/usr/sbin/sendmail", "-i"};
    std::string smtp_url;
    // The password comes from $OPSFLOW_SMTP_PASSWORD (Environment), never from a versioned file.
    std::string smtp_user;
    std::string webhook_url;
    // Whether the closure notice to the user also gives the cause and resolution the
    // technicians recorded (for a security incident that is the finding itself):
    // by default the user is told the feedback only.
    bool closure_details = false;
};

std::string transport_name(Transport t);

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
