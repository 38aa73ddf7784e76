#pragma once
// Notices to people (SPEC §7): RFC 5322 / MIME messages in UTF-8, with an
// optional iCalendar part, safe against header injection.
#include "opsflow/base/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsflow {

struct CalendarPart {
    std::string method; // REQUEST or CANCEL
    std::string ics;    // the VCALENDAR text
};

struct Message {
    std::string from;                    // `Name <addr>` or `addr`
    std::vector<std::string> recipients; // bare addresses
    std::string subject;
    std::string body; // plain text, UTF-8
    std::optional<CalendarPart> calendar;
    std::string message_id; // without angle brackets
    Timestamp date;
    // The user's messages this answers (without angle brackets), oldest first: the last
    // is In-Reply-To, all are References, so the user's mail program shows one thread.
    std::vector<std::string> replies_to = {};
    // RFC 3834: `auto-replied` for an answer to a message (an acknowledgement),
    // `auto-generated` for the rest.
    std::string auto_submitted = "auto-generated";
};

// Whether `id` (without angle brackets) can be written in a header as it is:
// printable ASCII, no brackets, quotes or spaces, one `@`, at most 250 characters.
bool safe_message_id(std::string_view id);

// The message as sent: CRLF line ends, non-ASCII headers encoded per RFC 2047,
// control characters removed from every header value, body in base64.
std::string render_message(const Message& message);

// `=?UTF-8?B?...?=` words of at most 75 characters, split on character
// boundaries and folded with CRLF + space; ASCII text is returned as is. No B word
// but the last ends in `=` padding (GMime 3.2.13 drops the words after one that
// does); a character where that cannot be goes in a `=?UTF-8?Q?...?=` word.
std::string encode_header_text(std::string_view text);

// Removes CR, LF and other control characters (header injection), and the bidi
// embeddings, overrides and isolates that would reorder what a view or a reader shows
// (U+202A..U+202E, U+2066..U+2069); a line or paragraph separator becomes a space.
// What comes in by mail goes through it before it is kept: subjects, names, IDs.
std::string strip_controls(std::string_view text);

// The address in `Name <addr>` or `addr`, read as one RFC 5322 mailbox (GMime's
// parser), if it is an address opsflow sends to; nothing for a phone number, a
// name alone, a list, a group or an address that could be taken for an option.
std::optional<std::string> extract_email(std::string_view text);
// Refuses (UsageError naming `option`) a reporter or requester that has an `@`,
// `<` or `>` but is not exactly one such mailbox.
void require_contact(std::string_view value, std::string_view option);

// Refuses (UsageError) an address that could be taken for an option or a header.
void require_safe_address(const std::string& address);

} // namespace opsflow
