#pragma once
// A received email (SPEC §9) read into what intake needs: who, about what, in
// reply to which messages, and its text in UTF-8, whatever charsets and MIME
// structure the sender's client used (GMime does the MIME, RFC 2047 and 2231).
#include "opsflow/base/error.hpp"
#include "opsflow/base/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

// Not a mail message at all (nothing that reads as a header, no sender), or one
// that must not be taken in (too large, too deeply nested): EX_DATAERR for an MTA.
struct MailDataError : Error {
    explicit MailDataError(const std::string& m) : Error(ExitCode::data_error, m) {}
};

struct MailAttachment {
    std::string name;     // decoded (RFC 2231 / 2047), controls removed; may be empty
    std::string type;     // image/png
    std::size_t size = 0; // decoded bytes
};

struct MailMessage {
    std::string message_id;              // without angle brackets; empty if none
    std::vector<std::string> references; // In-Reply-To first, then References newest first
    std::string from_name;               // decoded display name, controls removed
    std::string from_address;            // as written, lower-cased domain and local part
    std::vector<std::string> recipients; // To, Cc, Delivered-To: lower case
    std::string subject;                 // decoded, controls removed
    std::optional<Timestamp> date;
    // RFC 3834: a message no program should answer; the reason (a header) if so.
    std::string automatic;
    std::string text; // the text part, or the HTML part as text; UTF-8
    std::vector<MailAttachment> attachments;
    // Message-IDs of messages carried inside this one (a bounce's original, a
    // forwarded message): how a delivery report finds the notice it is about.
    std::vector<std::string> carried_ids;
};

// Reads one RFC 5322 message. Throws MailDataError when it is not one.
MailMessage parse_mail(std::string_view raw);

// The message with the secrets of its subject and text parts masked (mask_secrets):
// what is archived of a message that held one. Headers, structure and attachments
// stay as received; a masked text part is rewritten in UTF-8, base64.
std::string mask_message(std::string_view raw);

// `bytes` in `charset` as UTF-8: GB2312 and GBK are read as GB18030 (what their
// senders' clients really write), an unknown or lying label falls back to UTF-8
// and then GB18030, and whatever still cannot be read becomes U+FFFD.
std::string to_utf8(std::string_view bytes, std::string_view charset);

} // namespace opsflow
