#include "record/schema_words.hpp"

#include "opsflow/base/i18n.hpp"
#include "opsflow/base/restate.hpp"

#include <string_view>

namespace opsflow {

namespace {

// The `description` of every schema value with a `pattern` (schemas/*.json), marked for
// the catalogue: schema.cpp shows it with tr() (tests/e2e/test_i18n_admin.sh checks the list).
[[maybe_unused]] constexpr std::string_view pattern_descriptions[] = {
    N_("an RFC 3339 time (2026-11-24T09:12:00+08:00)"), N_("a record ID (INC-3f9a1c2e)"),
    N_("the language of notices and of reports written to a file"),
    N_("email intake (opsflow mail receive / fetch)"), N_("an smtp:// or smtps:// URL"),
    N_("an incident ID (INC- and 8 or more hex digits)"),
    N_("an improvement ID (IMP- and 8 or more hex digits)"),
    N_("an imaps:// URL naming the mailbox (imap:// only to 127.0.0.1)"),
    N_("an http:// or https:// URL"), N_("an email address (user@example.com)"),
    N_("a time range (09:00-12:00)"), N_("a ticket ID (TKT- and 8 or more hex digits)"),
    N_("a target (<=240, >=95, -20% or +10%)"), N_("a size (512KB, 10MB)"),
    N_("a regular expression (ECMAScript), searched in the subject, ignoring case"),
    N_("a maintenance ID (MNT- and 8 or more hex digits)"), N_("a duration (45m, 4h, 2d, 1h30m)"),
    N_("a date (YYYY-MM-DD)"), N_("a problem ID (PRB- and 8 or more hex digits)"),
    N_("an article ID (KB- and 8 or more hex digits)"), N_("the problem (PRB-) it is linked to"),
    N_("the article (KB-) it is linked to"), N_("a measure name (p95_ms)"),
    N_("the series (MNT-) this is an occurrence of"),
    N_("a Markdown file in the store (docs/services/mail.md)"),
    N_("a PEM file of certificate authorities to trust instead of the system's"),
    // clang-format off
    N_("how long mail receive and fetch wait for a busy store before exit 75 (60s, 2m; at most 15m)"),
    // clang-format on
};

} // namespace

std::string from_valijson(const std::string& description) {
    // valijson's own words (valijson/validation_visitor.hpp).
    static const std::vector<MessageShape> shapes = {
        {std::regex("Object contains a property that could not be validated using 'properties' "
                    "or 'additionalProperties' constraints: '(.*)'\\."),
         N_("Object contains a property that could not be validated using 'properties' or "
            "'additionalProperties' constraints: '{}'.")},
        {std::regex("Array should contain no fewer than (.*) elements\\."),
         N_("Array should contain no fewer than {} elements.")},
        {std::regex("Array should contain no more than (.*) elements\\."),
         N_("Array should contain no more than {} elements.")},
        {std::regex("String should be no fewer than (.*) characters in length\\."),
         N_("String should be no fewer than {} characters in length.")},
        {std::regex("Failed to match against any enum values\\."),
         N_("Failed to match against any enum values.")},
        {std::regex("Value type not permitted by 'type' constraint\\."),
         N_("Value type not permitted by 'type' constraint.")},
        {std::regex("Failed to match regex specified by 'pattern' constraint\\."),
         N_("Failed to match regex specified by 'pattern' constraint.")},
    };
    return restate(description, shapes);
}

} // namespace opsflow
