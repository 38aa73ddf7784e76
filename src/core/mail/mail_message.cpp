// Reading a received message with GMime: headers, addresses, the text to keep,
// attachments, and the messages it carries.
#include "opsflow/mail/mail_message.hpp"

#include "base/text_case.hpp"
#include "notice/gmime_ready.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/mail/mail_text.hpp"
#include "opsflow/notice/notice.hpp"

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>
#include <gmime/gmime.h>
#include <iconv.h>
#include <memory>
#include <mutex>
#include <utf8proc.h>

namespace opsflow {

namespace {

struct OptionsFree {
    void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};

// More multiparts than any client writes: a message built to exhaust the parser's stack.
constexpr std::size_t max_multiparts = 200;

bool valid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    for (utf8proc_ssize_t at = 0, n = static_cast<utf8proc_ssize_t>(s.size()); at < n;) {
        utf8proc_int32_t cp;
        auto len = utf8proc_iterate(p + at, n - at, &cp);
        if (len < 0) return false;
        at += len;
    }
    return true;
}

// The valid UTF-8 of `s`, each invalid byte as U+FFFD.
std::string replace_invalid_utf8(std::string_view s) {
    std::string out;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    for (utf8proc_ssize_t at = 0, n = static_cast<utf8proc_ssize_t>(s.size()); at < n;) {
        utf8proc_int32_t cp;
        auto len = utf8proc_iterate(p + at, n - at, &cp);
        if (len < 0) {
            out += "\xEF\xBF\xBD";
            ++at;
        } else {
            out.append(s.substr(static_cast<std::size_t>(at), static_cast<std::size_t>(len)));
            at += len;
        }
    }
    return out;
}

// `bytes` converted with iconv; nothing if the charset is unknown. With `strict`,
// nothing as soon as a byte cannot be read; otherwise such a byte becomes U+FFFD.
std::optional<std::string> convert(std::string_view bytes, const std::string& charset,
                                   bool strict) {
    iconv_t cd = iconv_open("UTF-8", charset.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out;
    std::string in(bytes);
    char* src = in.data();
    std::size_t left = in.size();
    char buffer[4096];
    while (left > 0) {
        char* dst = buffer;
        std::size_t room = sizeof buffer;
        std::size_t r = iconv(cd, &src, &left, &dst, &room);
        out.append(buffer, static_cast<std::size_t>(dst - buffer));
        if (r != static_cast<std::size_t>(-1)) continue;
        if (errno == E2BIG) continue;
        if (strict) {
            iconv_close(cd);
            return std::nullopt;
        }
        out += "\xEF\xBF\xBD"; // EILSEQ, or EINVAL at the end: skip one byte
        ++src;
        --left;
    }
    iconv_close(cd);
    return out;
}

std::string header(GMimeObject* object, const char* name) {
    const char* value = g_mime_object_get_header(object, name);
    return value ? std::string(value) : std::string();
}

std::string trim(std::string s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// RFC 3834 §2 and the usual list and bounce markers: why no program may answer.
std::string automatic_reason(GMimeObject* message, std::string_view raw) {
    // Every Auto-Submitted header counts, not only the first: `no` then `auto-replied`
    // is automatic. X-Autoreply and X-Autorespond are what older responders write.
    GMimeHeaderList* headers = g_mime_object_get_header_list(message);
    for (int i = 0; headers && i < g_mime_header_list_get_count(headers); ++i) {
        GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
        const char* name = g_mime_header_get_name(h);
        const char* raw_value = g_mime_header_get_value(h);
        std::string field = ascii_lower(name ? name : "");
        std::string value = ascii_lower(trim(raw_value ? raw_value : ""));
        if (field == "auto-submitted" && !value.empty() && value != "no")
            return "Auto-Submitted: " + strip_controls(value);
        if ((field == "x-autoreply" || field == "x-autorespond") && value != "no")
            return field == "x-autoreply" ? "X-Autoreply" : "X-Autorespond";
    }
    std::string precedence = ascii_lower(trim(header(message, "Precedence")));
    if (precedence == "bulk" || precedence == "junk" || precedence == "list")
        return "Precedence: " + precedence;
    if (!header(message, "List-Id").empty()) return "List-Id";
    // GMime keeps only one Return-Path; an empty one is `<>` (a bounce).
    std::string return_path = trim(header(message, "Return-Path"));
    if (return_path == "<>" || (raw.starts_with("Return-Path:") && return_path.empty()))
        return "Return-Path: <>";
    return "";
}

// `"ops"@example.com` is the mailbox ops@example.com: a quoted local part that needs
// no quotes is written without them, so that it compares equal to the plain form.
std::string unquoted_addr_spec(std::string addr) {
    auto at = addr.rfind('@');
    if (addr.size() < 3 || addr.front() != '"' || at == std::string::npos || at < 2 ||
        addr[at - 1] != '"')
        return addr;
    std::string local = addr.substr(1, at - 2);
    bool plain =
        !local.empty() && local.front() != '.' && local.back() != '.' &&
        local.find("..") == std::string::npos &&
        std::all_of(local.begin(), local.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   std::string_view("!#$%&'*+/=?^_`{|}~-.").find(c) != std::string_view::npos;
        });
    return plain ? local + addr.substr(at) : addr;
}

std::vector<std::string> ids_in(GMimeParserOptions* options, const std::string& text) {
    std::vector<std::string> out;
    if (text.empty()) return out;
    GMimeReferences* refs = g_mime_references_parse(options, text.c_str());
    if (!refs) return out;
    for (int i = 0; i < g_mime_references_length(refs); ++i)
        if (const char* id = g_mime_references_get_message_id(refs, i))
            out.push_back(strip_controls(id));
    g_mime_references_free(refs);
    return out;
}

void add_addresses(InternetAddressList* list, std::vector<std::string>& out) {
    if (!list) return;
    for (int i = 0; i < internet_address_list_length(list); ++i) {
        InternetAddress* a = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(a))
            add_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out);
        else if (const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)))
            out.push_back(ascii_lower(strip_controls(addr)));
    }
}

// The decoded content of a leaf part (transfer encoding undone, charset untouched).
std::string content_bytes(GMimePart* part) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content) return "";
    GPtr<GMimeStream> memory(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, memory.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory.get()));
    return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

class BodyWalk {
  public:
    BodyWalk(MailMessage& out, GMimeParserOptions* options) : out_(out), options_(options) {}

    void walk(GMimeObject* object, int depth) {
        if (!object || depth > max_mime_depth) return;
        if (GMIME_IS_MULTIPART(object)) {
            auto* multipart = GMIME_MULTIPART(object);
            for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i)
                walk(g_mime_multipart_get_part(multipart, i), depth + 1);
        } else if (GMIME_IS_MESSAGE_PART(object)) {
            GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
            if (inner && g_mime_message_get_message_id(inner))
                out_.carried_ids.push_back(strip_controls(g_mime_message_get_message_id(inner)));
            // Its size as carried: the returned message a bounce holds is often the
            // largest part of it.
            std::size_t size = 0;
            if (inner) {
                GPtr<GMimeStream> null(g_mime_stream_null_new());
                auto n = g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, null.get());
                size = n > 0 ? static_cast<std::size_t>(n) : 0;
            }
            attachment(object, "message/rfc822", size);
        } else if (GMIME_IS_PART(object)) {
            leaf(GMIME_PART(object));
        }
    }

    // The plain text if there was one, else the HTML as text.
    std::string text() const { return plain_.empty() ? html_to_text(html_) : plain_; }

  private:
    void leaf(GMimePart* part) {
        GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(part));
        std::string mime = "text/plain";
        if (type) {
            char* name = g_mime_content_type_get_mime_type(type); // newly allocated
            mime = ascii_lower(name);
            g_free(name);
        }
        GMimeContentDisposition* disposition =
            g_mime_object_get_content_disposition(GMIME_OBJECT(part));
        bool attached = (disposition && g_mime_content_disposition_is_attachment(disposition)) ||
                        g_mime_part_get_filename(part);
        if (mime == "text/rfc822-headers") {
            // A delivery report's copy of the original's headers.
            auto headers = content_bytes(part);
            auto at = ascii_lower(headers).find("\nmessage-id:");
            if (at != std::string::npos) {
                auto end = headers.find('\n', at + 1);
                for (auto& id : ids_in(options_, headers.substr(at + 12, end - at - 12)))
                    out_.carried_ids.push_back(id);
            }
            return;
        }
        if (!attached && (mime == "text/plain" || mime == "text/html")) {
            const char* charset =
                type ? g_mime_content_type_get_parameter(type, "charset") : nullptr;
            std::string text = to_utf8(content_bytes(part), charset ? charset : "");
            std::string& target = mime == "text/plain" ? plain_ : html_;
            if (!target.empty()) target += "\n\n";
            target += text;
            return;
        }
        if (mime == "message/delivery-status") return; // machine text for the MTA
        GPtr<GMimeStream> null(g_mime_stream_null_new());
        std::size_t size = 0;
        if (GMimeDataWrapper* content = g_mime_part_get_content(part)) {
            auto n = g_mime_data_wrapper_write_to_stream(content, null.get());
            size = n > 0 ? static_cast<std::size_t>(n) : 0;
        }
        attachment(GMIME_OBJECT(part), mime, size);
    }

    void attachment(GMimeObject* object, const std::string& mime, std::size_t size) {
        const char* name =
            GMIME_IS_PART(object) ? g_mime_part_get_filename(GMIME_PART(object)) : nullptr;
        out_.attachments.push_back(
            {name ? strip_controls(replace_invalid_utf8(name)) : "", mime, size});
    }

    MailMessage& out_;
    GMimeParserOptions* options_;
    std::string plain_, html_;
};

// The first mailbox of a From list, looking into groups (`Name: a@b;`, or what a
// broken encoded word makes of a name) too.
void read_sender(InternetAddressList* list, MailMessage& out, int depth) {
    for (int i = 0; list && depth < 4 && i < internet_address_list_length(list); ++i) {
        InternetAddress* a = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(a)) {
            read_sender(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out,
                        depth + 1);
        } else if (const char* addr =
                       internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
                   addr && std::string_view(addr).find('@') != std::string_view::npos) {
            out.from_address =
                ascii_lower(unquoted_addr_spec(strip_controls(replace_invalid_utf8(addr))));
            if (const char* name = internet_address_get_name(a))
                out.from_name = strip_controls(replace_invalid_utf8(name));
        }
        if (!out.from_address.empty()) return;
    }
}

// Whether the text starts as a message does: a header field, or an mbox `From ` line.
bool starts_like_a_message(std::string_view raw) {
    if (raw.starts_with("From ")) return true;
    auto colon = raw.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon > 76) return false;
    return std::all_of(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(colon),
                       [](char c) { return c > 32 && c < 127; });
}

std::size_t count_multiparts(std::string_view raw) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = raw.find("ultipart/", at)) != std::string_view::npos; ++at)
        ++n;
    return n;
}

} // namespace

std::string to_utf8(std::string_view bytes, std::string_view label) {
    std::string charset = ascii_lower(trim(std::string(label)));
    if (charset == "gb2312" || charset == "gbk" || charset == "x-gbk" || charset == "cp936" ||
        charset == "euc-cn")
        charset = "gb18030";
    bool unicode = charset.empty() || charset == "utf-8" || charset == "utf8" ||
                   charset == "us-ascii" || charset == "ascii";
    if (!unicode)
        if (auto text = convert(bytes, charset, false)) return replace_invalid_utf8(*text);
    if (valid_utf8(bytes)) return std::string(bytes);
    // A lying or unknown label: the usual culprit in Chinese mail is GBK.
    if (auto text = convert(bytes, "gb18030", true)) return *text;
    return replace_invalid_utf8(bytes);
}

MailMessage parse_mail(std::string_view raw) {
    if (raw.empty()) throw MailDataError(tr("the message is empty"));
    if (!starts_like_a_message(raw))
        throw MailDataError(tr("this is not a mail message (it does not start with a header)"));
    if (count_multiparts(raw) > max_multiparts)
        throw MailDataError(
            tr("the message has more than {} multipart parts; it is not taken in", max_multiparts));
    gmime_ready();
    // GMime reads header values as C strings: a raw NUL would end the rest of its line
    // (`nul\0subject` read as `nul`). In the header block it becomes a space, as every
    // other control character in a header does.
    std::string without_nul;
    auto header_end = raw.find("\n\n");
    if (auto crlf = raw.find("\r\n\r\n"); crlf < header_end) header_end = crlf;
    if (auto nul = raw.find('\0'); nul != std::string_view::npos && nul < header_end) {
        without_nul.assign(raw);
        for (std::size_t i = nul; i < header_end && i < without_nul.size(); ++i)
            if (without_nul[i] == '\0') without_nul[i] = ' ';
        raw = without_nul;
    }
    std::unique_ptr<GMimeParserOptions, OptionsFree> options(g_mime_parser_options_new());
    const char* fallback[] = {"utf-8", "gb18030", "iso-8859-1", nullptr};
    g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
    g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);

    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(),
                             raw.starts_with("From ") ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
    GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
    if (!message) throw MailDataError(tr("this is not a mail message (GMime could not read it)"));
    auto* object = GMIME_OBJECT(message.get());
    // GMime 3.2.13 drops what follows a padded B word (gmime_ready.hpp): the headers
    // read below are decoded again with their runs of B words merged.
    merge_encoded_words(object, {"Subject", "From", "To", "Cc"});

    MailMessage out;
    if (const char* id = g_mime_message_get_message_id(message.get()))
        out.message_id = strip_controls(id);
    out.references = ids_in(options.get(), header(object, "In-Reply-To"));
    auto references = ids_in(options.get(), header(object, "References"));
    out.references.insert(out.references.end(), references.rbegin(), references.rend());

    read_sender(g_mime_message_get_from(message.get()), out, 0);
    if (out.from_address.empty())
        throw MailDataError(tr("the message has no From address to answer or record"));
    add_addresses(g_mime_message_get_to(message.get()), out.recipients);
    add_addresses(g_mime_message_get_cc(message.get()), out.recipients);
    if (auto delivered = ascii_lower(trim(header(object, "Delivered-To"))); !delivered.empty())
        out.recipients.push_back(strip_controls(delivered));

    if (const char* subject = g_mime_message_get_subject(message.get()))
        out.subject = strip_controls(replace_invalid_utf8(subject));
    if (GDateTime* date = g_mime_message_get_date(message.get()))
        out.date = Timestamp{std::chrono::seconds(g_date_time_to_unix(date))};
    out.automatic = automatic_reason(object, raw);

    BodyWalk walk(out, options.get());
    walk.walk(g_mime_message_get_mime_part(message.get()), 0);
    out.text = clean_text(walk.text());
    return out;
}

} // namespace opsflow
