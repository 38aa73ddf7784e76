// The `mail` section of opsflow.yaml (SPEC §9), read after schema validation.
#include "base/text_case.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/settings.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <regex>

namespace opsflow {

namespace {

// `512KB`, `10MB`, `2000B` (the schema has checked the form).
std::size_t parse_size(const std::string& text) {
    std::size_t digits = text.find_first_not_of("0123456789");
    std::size_t n = std::stoull(text.substr(0, digits));
    std::string unit = text.substr(digits);
    return unit == "MB" ? n << 20 : unit == "KB" ? n << 10 : n;
}

MailRoute read_route(const Node& item, const std::string& display) {
    MailRoute route;
    if (auto to = item.get("to")) route.to = ascii_lower(*to);
    route.subject = item.get("subject");
    route.kind = item.get("kind").value_or("ticket");
    route.service = item.get("service");
    route.category = item.get("category");
    route.impact = item.get("impact");
    route.urgency = item.get("urgency");
    route.channel = item.get("channel");
    if (route.subject) {
        try {
            route.subject_pattern.emplace(*route.subject);
        } catch (const std::regex_error& e) {
            const Node* at = item.find("subject");
            throw InvalidDataError(
                {Diagnostic{display, at->line(), at->column(), "/mail/routes",
                            tr("mail.routes: subject '{}' is not a regular expression ({})",
                               *route.subject, e.what())}});
        }
    }
    return route;
}

} // namespace

struct SubjectPattern::Compiled {
    std::regex regex;
};

SubjectPattern::SubjectPattern(const std::string& pattern)
    : compiled_(std::make_shared<const Compiled>(
          Compiled{std::regex(pattern, std::regex::ECMAScript | std::regex::icase)})) {}

bool SubjectPattern::found_in(std::string_view text) const {
    return std::regex_search(text.begin(), text.end(), compiled_->regex);
}

MailSettings mail_settings_from(const Node& mail, const std::string& display) {
    MailSettings out;
    if (const Node* address = mail.find("address")) {
        if (address->is_sequence())
            for (const auto& item : address->items())
                out.addresses.push_back(ascii_lower(item.text()));
        else
            out.addresses.push_back(ascii_lower(address->text()));
    }
    out.maildir = mail.get("maildir").value_or("");
    if (const Node* imap = mail.find("imap")) {
        out.imap_url = imap->get("url").value_or("");
        out.imap_user = imap->get("user").value_or("");
        out.imap_ca_file = imap->get("ca_file").value_or("");
    }
    if (auto ack = mail.get("acknowledge")) out.acknowledge = *ack == "true";
    if (auto within = mail.get("reopen_within"))
        out.reopen_within = parse_duration(*within, "mail.reopen_within");
    if (auto size = mail.get("max_size")) out.max_size = parse_size(*size);
    if (auto wait = mail.get("lock_wait")) {
        // `90s`, `2m` (the schema has checked the form).
        std::size_t digits = wait->find_first_not_of("0123456789");
        auto n = std::stoll(wait->substr(0, digits));
        out.lock_wait = std::chrono::seconds(wait->substr(digits) == "m" ? n * 60 : n);
    }
    if (const Node* routes = mail.find("routes"))
        for (const auto& item : routes->items())
            out.routes.push_back(read_route(item, display));
    return out;
}

} // namespace opsflow
