// libFuzzer target: the mail reader. Any bytes as a received message: reading
// either succeeds or throws MailDataError, and what it reads is valid UTF-8 with
// no control character in a header value (nothing a terminal or a notice header
// would obey).
#include "opsflow/mail/mail_message.hpp"
#include "opsflow/mail/mail_text.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace opsflow;

namespace {

void require_clean_header(const std::string& value) {
    for (unsigned char c : value)
        if (c < 0x20 || c == 0x7f) std::abort();
    if (to_utf8(value, "utf-8") != value) std::abort(); // not valid UTF-8
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string raw(reinterpret_cast<const char*>(data), size);
    try {
        MailMessage m = parse_mail(raw);
        require_clean_header(m.subject);
        require_clean_header(m.from_name);
        require_clean_header(m.from_address);
        for (const auto& id : m.references)
            require_clean_header(id);
        for (const auto& a : m.attachments)
            require_clean_header(a.name);
        if (to_utf8(m.text, "utf-8") != m.text) std::abort();
        new_text(m.text);
        survey_score(m.text);
    } catch (const MailDataError&) {
    }
    return 0;
}
