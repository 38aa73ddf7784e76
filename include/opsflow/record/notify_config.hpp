#pragma once
// How a store sends its notices (opsflow.yaml `notify:`): the settings' part, read
// by settings.cpp; the sending itself is transport.hpp's.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsflow {

enum class Transport { none, sendmail, smtp, webhook };

// Each transport and its name in opsflow.yaml (`notify.transport`) and in the
// notice archive: the one table both are read from.
inline constexpr std::array<std::pair<Transport, std::string_view>, 4> transport_names{{
    {Transport::none, "none"},
    {Transport::sendmail, "sendmail"},
    {Transport::smtp, "smtp"},
    {Transport::webhook, "webhook"},
}};

std::string transport_name(Transport t);
std::optional<Transport> transport_named(std::string_view name);

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

} // namespace opsflow
