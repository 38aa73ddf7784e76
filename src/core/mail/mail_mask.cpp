// The archived copy of a received message with the secrets of its text masked
// (SPEC §9): the same MIME structure, headers and attachments; only the subject and
// the text parts the scan finds a secret in are rewritten, in UTF-8.
#include "base/text_case.hpp"
#include "notice/gmime_ready.hpp"
#include "opsflow/base/confidential.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/mail/mail_message.hpp"

#include <gmime/gmime.h>
#include <memory>

namespace opsflow {

namespace {

std::string decoded(GMimePart* part) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content) return "";
    GPtr<GMimeStream> memory(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, memory.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory.get()));
    return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

void mask_part(GMimeObject* object, int depth, std::vector<std::string>& masked);

void mask_message_of(GMimeMessage* message, int depth, std::vector<std::string>& masked) {
    // The subject as parse_mail reads it (gmime_ready.hpp), or a secret after a padded
    // B word would stay; kept as received if nothing in it is masked.
    RawValues received = merge_encoded_words(GMIME_OBJECT(message), {"Subject"});
    if (const char* subject = g_mime_message_get_subject(message)) {
        std::size_t before = masked.size();
        std::string text = mask_secrets(subject, masked);
        if (masked.size() != before || text != subject) {
            g_mime_message_set_subject(message, text.c_str(), "utf-8");
            received.clear();
        }
    }
    restore_raw_values(received);
    mask_part(g_mime_message_get_mime_part(message), depth + 1, masked);
}

void mask_part(GMimeObject* object, int depth, std::vector<std::string>& masked) {
    if (!object || depth > max_mime_depth) return;
    if (GMIME_IS_MULTIPART(object)) {
        auto* multipart = GMIME_MULTIPART(object);
        for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i)
            mask_part(g_mime_multipart_get_part(multipart, i), depth + 1, masked);
        return;
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
        if (GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object)))
            mask_message_of(inner, depth, masked);
        return;
    }
    if (!GMIME_IS_TEXT_PART(object)) return;
    GMimeContentType* type = g_mime_object_get_content_type(object);
    if (!type || (!g_mime_content_type_is_type(type, "text", "plain") &&
                  !g_mime_content_type_is_type(type, "text", "html")))
        return;
    const char* charset = g_mime_content_type_get_parameter(type, "charset");
    std::string text = to_utf8(decoded(GMIME_PART(object)), charset ? charset : "");
    std::string masked_text = mask_secrets(text, masked);
    if (masked_text == text) return;
    g_mime_text_part_set_text(GMIME_TEXT_PART(object), masked_text.c_str());
    g_mime_part_set_content_encoding(GMIME_PART(object), GMIME_CONTENT_ENCODING_BASE64);
}

} // namespace

std::string mask_message(std::string_view raw) {
    gmime_ready();
    std::string copy(raw);
    // As parse_mail reads it: a NUL in the header block is a space.
    auto header_end = std::min(copy.find("\n\n"), copy.find("\r\n\r\n"));
    for (std::size_t i = 0; i < copy.size() && i < header_end; ++i)
        if (copy[i] == '\0') copy[i] = ' ';
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(copy.data(), copy.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(),
                             copy.starts_with("From ") ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
    GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    if (!message) throw MailDataError(tr("this is not a mail message (GMime could not read it)"));
    std::vector<std::string> masked;
    mask_message_of(message.get(), 0, masked);
    char* text = g_mime_object_to_string(GMIME_OBJECT(message.get()), nullptr);
    std::string out = text ? text : "";
    g_free(text);
    return out;
}

} // namespace opsflow
