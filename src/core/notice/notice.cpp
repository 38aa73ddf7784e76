#include "opsflow/notice/notice.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/yaml.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <regex>

namespace opsflow {

namespace {

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view data) {
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        auto n = (static_cast<unsigned char>(data[i]) << 16) |
                 (static_cast<unsigned char>(data[i + 1]) << 8) |
                 static_cast<unsigned char>(data[i + 2]);
        for (int shift : {18, 12, 6, 0})
            out += base64_alphabet[(n >> shift) & 63];
    }
    if (i < data.size()) {
        unsigned n = static_cast<unsigned char>(data[i]) << 16;
        if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
        out += base64_alphabet[(n >> 18) & 63];
        out += base64_alphabet[(n >> 12) & 63];
        out += i + 1 < data.size() ? base64_alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// Base64 in lines of 76 characters, CRLF-terminated.
std::string base64_lines(std::string_view data) {
    std::string encoded = base64(data), out;
    for (std::size_t i = 0; i < encoded.size(); i += 76)
        out += encoded.substr(i, 76) + "\r\n";
    return out;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::size_t utf8_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xe0) == 0xc0) return 2;
    if ((lead & 0xf0) == 0xe0) return 3;
    return 4;
}

// RFC 2047 Q encoding (§4.2) with only the characters a phrase allows (§5 (3)) left as
// they are; the rest as =XX.
std::string q_encoded(std::string_view bytes) {
    std::string out;
    for (char c : bytes) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '!' || c == '*' || c == '+' || c == '-' || c == '/')
            out += c;
        else
            out += fmt::format("={:02X}", static_cast<unsigned char>(c));
    }
    return out;
}

// Where a B word of `text` that starts at `from` ends: the end of the text if it fits
// in 45 bytes (the last word may be padded); else the last character boundary at a
// multiple of 3 bytes, so that its base64 has no `=` padding: GMime 3.2.13 (Debian 12;
// jstedfast/gmime#133), which opsflow's own intake reads with, drops every B word
// that follows a padded one in a run. `from` if there is no such boundary: after
// "Re: " every CJK character (3 bytes) ends at 1 mod 3, up to the end of the text;
// a Q word (no padding) then takes the character at `from` and ends the run, and the
// B words after it count from its end.
std::size_t b_word_end(std::string_view text, std::size_t from) {
    std::size_t end = from, aligned = from;
    while (end < text.size()) {
        std::size_t len =
            std::min(utf8_length(static_cast<unsigned char>(text[end])), text.size() - end);
        if (end + len - from > 45) return aligned;
        end += len;
        if ((end - from) % 3 == 0) aligned = end;
    }
    return end;
}

// Whether a reader could take some of `text` for an RFC 2047 encoded word.
bool looks_encoded(std::string_view text) {
    return text.find("=?") != std::string_view::npos;
}

// `Name <addr>` with the name encoded when needed.
std::string encode_address(std::string_view mailbox) {
    std::string clean = strip_controls(mailbox);
    auto lt = clean.rfind('<');
    if (lt == std::string::npos || clean.back() != '>') return clean;
    std::string name = clean.substr(0, lt);
    while (!name.empty() && name.back() == ' ')
        name.pop_back();
    std::string addr = clean.substr(lt);
    if (name.empty()) return addr;
    if (is_ascii(name) && !looks_encoded(name)) {
        std::string quoted = "\"";
        for (char c : name)
            quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
        return quoted + "\" " + addr;
    }
    return encode_header_text(name) + " " + addr;
}

std::string rfc5322_date(Timestamp t) {
    return date::format("%a, %d %b %Y %H:%M:%S +0000", t);
}

} // namespace

std::string strip_controls(std::string_view text) {
    std::string out;
    auto space = [&] {
        if (!out.empty() && out.back() != ' ') out += ' ';
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) {
            space();
        } else if (c == 0xc2 && i + 1 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) == 0x85) {
            space(); // U+0085, a line break to some readers
            ++i;
        } else if (c == 0xe2 &&
                   (text.substr(i, 3) == "\xE2\x80\xA8" || text.substr(i, 3) == "\xE2\x80\xA9")) {
            space(); // U+2028, U+2029
            i += 2;
        } else if (c == 0xe2 && find_bidi_control(text.substr(i, 3))) {
            i += 2; // an embedding, override or isolate: it would reorder what views show
        } else {
            out += static_cast<char>(c);
        }
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

std::string encode_header_text(std::string_view raw) {
    std::string text = strip_controls(raw);
    // Plain ASCII goes as it is, unless a reader could take part of it for an encoded
    // word (`=?UTF-8?B?...?=` decodes to anything, CR LF and a Bcc: included) or it is
    // too long for one header line: then all of it is encoded.
    if (is_ascii(text) && !looks_encoded(text) && text.size() <= 60) return text;
    // Each encoded word holds at most 45 bytes of text: 60 base64 characters plus 12 of
    // framing. Every B word but the last holds a multiple of 3 bytes (b_word_end), and
    // the characters where that cannot be go in Q words, which end the run of B words.
    std::vector<std::string> words;
    for (std::size_t i = 0; i < text.size();) {
        if (std::size_t end = b_word_end(text, i); end > i) {
            words.push_back("=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=");
            i = end;
            continue;
        }
        std::string q; // at most 51 + 12 characters of text, and 12 of framing
        do {
            std::size_t len =
                std::min(utf8_length(static_cast<unsigned char>(text[i])), text.size() - i);
            q += q_encoded(std::string_view(text).substr(i, len));
            i += len;
        } while (i < text.size() && b_word_end(text, i) == i && q.size() <= 51);
        words.push_back("=?UTF-8?Q?" + q + "?=");
    }
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i)
        out += (i ? "\r\n " : "") + words[i];
    return out;
}

void require_safe_address(const std::string& address) {
    bool bad = address.empty() || address.front() == '-' ||
               address.find('@') == std::string::npos ||
               address.find_first_of(" \t\r\n<>,;\"") != std::string::npos ||
               std::any_of(address.begin(), address.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    if (bad)
        throw UsageError(
            tr("'{}' is not an email address opsflow will send to", strip_controls(address)));
}

bool safe_message_id(std::string_view id) {
    if (id.empty() || id.size() > 250 || std::count(id.begin(), id.end(), '@') != 1) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return c > 32 && c < 127 && c != '<' && c != '>' && c != '"' && c != '\\';
    });
}

std::string render_message(const Message& m) {
    std::string to;
    for (const auto& r : m.recipients)
        to += (to.empty() ? "" : ",\r\n ") + strip_controls(r);
    std::string out;
    out += "From: " + encode_address(m.from) + "\r\n";
    out += "To: " + to + "\r\n";
    out += "Subject: " + encode_header_text(m.subject) + "\r\n";
    out += "Date: " + rfc5322_date(m.date) + "\r\n";
    out += "Message-ID: <" + strip_controls(m.message_id) + ">\r\n";
    std::vector<std::string> replies_to;
    for (const auto& id : m.replies_to)
        if (safe_message_id(id)) replies_to.push_back(id);
    if (!replies_to.empty()) {
        out += "In-Reply-To: <" + replies_to.back() + ">\r\n";
        out += "References:";
        for (const auto& id : replies_to)
            out += " <" + id + ">\r\n";
    }
    out += "MIME-Version: 1.0\r\n";
    out += "Auto-Submitted: " +
           std::string(m.auto_submitted == "auto-replied" ? "auto-replied" : "auto-generated") +
           "\r\n";
    std::string text_part =
        "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        base64_lines(m.body);
    if (!m.calendar) return out + text_part;
    std::string boundary = "=_opsflow_" + strip_controls(m.message_id).substr(0, 40);
    for (char& c : boundary)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '=') c = '_';
    out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "This is a MIME message with a calendar invitation.\r\n";
    out += "--" + boundary + "\r\n" + text_part;
    out += "--" + boundary + "\r\n";
    out += "Content-Type: text/calendar; charset=UTF-8; method=" + m.calendar->method +
           "; name=\"invite.ics\"\r\n";
    out += "Content-Disposition: attachment; filename=\"invite.ics\"\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n" + base64_lines(m.calendar->ics);
    out += "--" + boundary + "--\r\n";
    return out;
}

} // namespace opsflow
