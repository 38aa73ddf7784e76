// Email addresses in records (`Name <user@example.com>`), read with GMime's RFC 5322
// address parser rather than a pattern: a pattern that finds an address inside
// text mails whatever substring it finds (`<-oQ/tmp/x@example.com>` went to
// x@example.com).
#include "notice/gmime_ready.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/notice/notice.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <gmime/gmime.h>
#include <memory>
#include <mutex>

namespace opsflow {

namespace {

bool atext(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

// `local@domain` as opsflow sends to: a dot-atom local part that does not start
// with `-` (it would be an option to sendmail), and a domain of at least two
// labels of letters, digits and inner hyphens.
bool plain_addr_spec(std::string_view addr) {
    auto at = addr.find('@');
    if (at == std::string_view::npos || addr.size() > 254 || addr.find('@', at + 1) != addr.npos)
        return false;
    auto local = addr.substr(0, at), domain = addr.substr(at + 1);
    if (local.empty() || local.size() > 64 || local.front() == '-' || local.front() == '.' ||
        local.back() == '.' || local.find("..") != local.npos ||
        !std::all_of(local.begin(), local.end(), [](char c) { return atext(c) || c == '.'; }))
        return false;
    if (domain.find('.') == domain.npos) return false;
    for (std::size_t start = 0; start <= domain.size();) {
        auto end = std::min(domain.find('.', start), domain.size());
        auto label = domain.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
            !std::all_of(label.begin(), label.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-';
            }))
            return false;
        start = end + 1;
    }
    return true;
}

} // namespace

std::optional<std::string> extract_email(std::string_view text) {
    if (text.size() > 500 || text.find('@') == std::string_view::npos ||
        text.find('\0') != std::string_view::npos)
        return std::nullopt;
    gmime_ready();
    // `Name <addr> 138-0013-8000`: what follows the mailbox (a phone number) is not
    // part of it, as long as it holds nothing address-like.
    auto close = text.rfind('>');
    if (close != std::string_view::npos &&
        text.find_first_of("@<>,;", close + 1) == std::string_view::npos)
        text = text.substr(0, close + 1);
    std::string copy(text);
    std::unique_ptr<GMimeParserOptions, decltype(&g_mime_parser_options_free)> options(
        g_mime_parser_options_new(), &g_mime_parser_options_free);
    g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_STRICT);
    std::unique_ptr<InternetAddressList, decltype(&g_object_unref)> list(
        internet_address_list_parse(options.get(), copy.c_str()), &g_object_unref);
    if (!list || internet_address_list_length(list.get()) != 1) return std::nullopt;
    InternetAddress* address = internet_address_list_get_address(list.get(), 0);
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) return std::nullopt; // a group
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
    if (!addr || !plain_addr_spec(addr)) return std::nullopt;
    // What was parsed is what was written, not a repair of it: `<a@b.example@c>`
    // must not become a@b.example.
    std::string spec(addr);
    auto trimmed = text.substr(text.find_first_not_of(" \t"));
    trimmed = trimmed.substr(0, trimmed.find_last_not_of(" \t") + 1);
    bool verbatim = text.find("<" + spec + ">") != std::string_view::npos || trimmed == spec ||
                    (trimmed.starts_with(spec + " (") && trimmed.ends_with(")"));
    if (!verbatim) return std::nullopt;
    return spec;
}

void require_contact(std::string_view value, std::string_view option) {
    // A name alone, or a phone number, is a contact too; anything that tries to be
    // an address must be exactly one that opsflow would send to.
    if (value.find_first_of("@<>") == std::string_view::npos) return;
    if (!extract_email(value))
        throw UsageError(tr("{}: '{}' is not a name with one email address opsflow sends to "
                            "(write it as: Name <user@example.com>)",
                            option, strip_controls(value)));
}

} // namespace opsflow
