#include "opsflow/record/notify_config.hpp"

namespace opsflow {

std::string transport_name(Transport t) {
    for (const auto& [transport, name] : transport_names)
        if (transport == t) return std::string(name);
    return "none";
}

std::optional<Transport> transport_named(std::string_view name) {
    for (const auto& [transport, known] : transport_names)
        if (known == name) return transport;
    return std::nullopt;
}

} // namespace opsflow
