// Runs of RFC 2047 B-encoded words merged into one word before GMime decodes them
// (the why is in mail_words.hpp).
#include "mail/mail_words.hpp"

#include "base/text_case.hpp"
#include "notice/gmime_ready.hpp"

#include <algorithm>
#include <glib.h>
#include <memory>
#include <optional>

namespace opsflow {

namespace {

// RFC 2978 charset names are at most 40 characters; a longer one is not a word.
constexpr std::size_t max_charset_length = 64;

int base64_rank(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

struct BWord {
    std::size_t end = 0;      // one past its `?=`
    std::string_view charset; // as written, with an RFC 2231 `*language` if there is one
    std::string_view payload; // base64, its padding included
};

// The B word (`=?charset?B?payload?=`) that starts at `at`, if the payload is base64
// with `=` padding at its end only. Anything else is left to GMime as it is.
std::optional<BWord> b_word_at(std::string_view s, std::size_t at) {
    if (s.substr(at, 2) != "=?") return std::nullopt;
    std::size_t charset = at + 2, q = charset;
    for (; q < s.size() && s[q] != '?'; ++q) {
        auto c = static_cast<unsigned char>(s[q]);
        if (c <= ' ' || c >= 0x7f || q - charset >= max_charset_length) return std::nullopt;
    }
    if (q == charset || s[charset] == '*') return std::nullopt;
    auto encoding = s.substr(q, 3);
    if (encoding != "?B?" && encoding != "?b?") return std::nullopt;
    std::size_t payload = q + 3, end = payload;
    while (end < s.size() && base64_rank(s[end]) >= 0)
        ++end;
    for (std::size_t pad = end; end < s.size() && s[end] == '=' && end - pad < 2;)
        ++end;
    if (s.substr(end, 2) != "?=") return std::nullopt;
    return BWord{end + 2, s.substr(charset, q - charset), s.substr(payload, end - payload)};
}

// What GMime compares to tell one run from the next: the charset without its language.
std::string charset_key(std::string_view charset) {
    return ascii_lower(charset.substr(0, charset.find('*')));
}

// The bytes of a run's payloads, decoded as one stream as GMime means to (a word
// split mid-quantum continues in the next), except that `=` padding ends the
// quantum of its word: the bits it pads are discarded, as every other reader does.
class Base64Run {
  public:
    void add(std::string_view payload) {
        for (char c : payload) {
            int rank = base64_rank(c);
            if (rank < 0) { // padding: this word's last quantum is complete
                bits_ = 0;
                count_ = 0;
                return;
            }
            bits_ = (bits_ << 6) | static_cast<unsigned>(rank);
            count_ += 6;
            if (count_ >= 8) {
                count_ -= 8;
                bytes_ += static_cast<char>((bits_ >> count_) & 0xffu);
            }
            bits_ &= (1u << count_) - 1;
        }
    }
    const std::string& bytes() const { return bytes_; }

  private:
    std::string bytes_;
    unsigned bits_ = 0;
    int count_ = 0;
};

std::string base64(const std::string& bytes) {
    std::unique_ptr<gchar, decltype(&g_free)> text(
        g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size()), &g_free);
    return text ? std::string(text.get()) : std::string();
}

} // namespace

std::string merge_encoded_words(std::string_view value) {
    std::string out;
    std::size_t copied = 0; // value[copied, at) is still to be copied
    for (std::size_t at = value.find("=?"); at != std::string_view::npos;
         at = value.find("=?", at)) {
        auto first = b_word_at(value, at);
        if (!first) {
            ++at;
            continue;
        }
        std::string key = charset_key(first->charset);
        Base64Run run;
        run.add(first->payload);
        std::size_t end = first->end, words = 1;
        for (;;) {
            std::size_t next = value.find_first_not_of(" \t\r\n", end);
            auto word = next == std::string_view::npos ? std::nullopt : b_word_at(value, next);
            if (!word || charset_key(word->charset) != key) break;
            run.add(word->payload);
            end = word->end;
            ++words;
        }
        if (words > 1) {
            out.append(value.substr(copied, at - copied));
            out += "=?";
            out += first->charset;
            out += "?B?" + base64(run.bytes()) + "?=";
            copied = end;
        }
        at = end;
    }
    if (copied == 0) return std::string(value);
    out.append(value.substr(copied));
    return out;
}

RawValues merge_encoded_words(GMimeObject* object, std::initializer_list<const char*> names) {
    RawValues replaced;
    GMimeHeaderList* headers = g_mime_object_get_header_list(object);
    for (int i = 0; headers && i < g_mime_header_list_get_count(headers); ++i) {
        GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
        const char* name = g_mime_header_get_name(header);
        const char* raw = g_mime_header_get_raw_value(header);
        if (!name || !raw || std::none_of(names.begin(), names.end(), [&](const char* wanted) {
                return g_ascii_strcasecmp(name, wanted) == 0;
            }))
            continue;
        std::string merged = merge_encoded_words(raw);
        if (merged == raw) continue;
        replaced.emplace_back(header, raw);
        g_mime_header_set_raw_value(header, merged.c_str()); // GMime decodes it anew
    }
    return replaced;
}

void restore_raw_values(const RawValues& replaced) {
    for (const auto& [header, raw] : replaced)
        g_mime_header_set_raw_value(header, raw.c_str());
}

} // namespace opsflow
