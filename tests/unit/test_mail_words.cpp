// Runs of B-encoded words merged before GMime decodes them (src/core/mail/mail_words.cpp).
#include "mail/mail_words.hpp"

#include <chrono>
#include <doctest/doctest.h>

using namespace opsflow;

TEST_CASE("merge_encoded_words: a run of B words of one charset becomes one word") {
    CHECK(merge_encoded_words("=?UTF-8?B?SGVsbG8=?= =?utf-8?B?IHdvcmxk?=") ==
          "=?UTF-8?B?SGVsbG8gd29ybGQ=?=");
    CHECK(merge_encoded_words("Re: =?UTF-8?B?QeQ=?=\r\n =?UTF-8?b?uK0=?= [TKT-1]") ==
          "Re: =?UTF-8?B?QeS4rQ==?= [TKT-1]");
    // Without whitespace between them, as GMime reads them too; a language tag is
    // not part of the charset.
    CHECK(merge_encoded_words("=?UTF-8*en?B?QQ==?==?UTF-8*de?B?Qg==?=") == "=?UTF-8*en?B?QUI=?=");
    // A word cut mid-quantum (no padding) continues in the next, as GMime reads it.
    CHECK(merge_encoded_words("=?UTF-8?B?SGVsbG8gd2?= =?UTF-8?B?9ybGQ=?=") ==
          "=?UTF-8?B?SGVsbG8gd29ybGQ=?=");
}

TEST_CASE("merge_encoded_words: everything else stays as it is, byte for byte") {
    for (const char* value :
         {"plain text", "", "=?", "=?UTF-8?B?SGVsbG8=?=",   // one word is not a run
          "=?UTF-8?B?SGVsbG8=?= =?ISO-8859-1?B?IHdvcmxk?=", // two charsets
          "=?UTF-8?B?SGVsbG8=?= =?UTF-8?Q?_world?=",        // B then Q
          "=?UTF-8?B?SGVsbG8=?= x =?UTF-8?B?IHdvcmxk?=",    // text between
          "=?UTF-8?B?SGV$sbG8=?= =?UTF-8?B?IHdvcmxk?=",     // not base64
          "=?UTF-8?B?SG=Vs?= =?UTF-8?B?IHdvcmxk?=",         // padding inside
          "=?UTF-8?B?SGk===?= =?UTF-8?B?IHdvcmxk?=",        // three `=`
          "=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk",        // no end
          "=??B?SGk=?= =?UTF-8?B?IHdvcmxk?=",               // no charset
          "=?*en?B?SGk=?= =?*en?B?IHdvcmxk?=",              // a language only
          "=?UTF 8?B?SGk=?= =?UTF 8?B?IHdvcmxk?=",          // a space in the charset
          "\"=?UTF-8?B?SGk=?=\" \"=?UTF-8?B?IHdvcmxk?=\" <a@example.com>"})
        CHECK(merge_encoded_words(value) == value);
    std::string long_charset = "=?" + std::string(100, 'x') + "?B?SGk=?=";
    CHECK(merge_encoded_words(long_charset + " " + long_charset) ==
          long_charset + " " + long_charset);
}

TEST_CASE("merge_encoded_words: hostile values take linear time and never grow") {
    using Clock = std::chrono::steady_clock;
    auto start = Clock::now();
    std::string words;
    for (int i = 0; i < 100000; ++i)
        words += "=?UTF-8?B?QQ==?= ";
    std::string merged = merge_encoded_words(words);
    CHECK(merged.size() < words.size());
    CHECK(merged.starts_with("=?UTF-8?B?QUFB"));
    CHECK(merged.size() == 2 + 5 + 3 + 133336 + 2 + 1); // 100,000 bytes of base64, one space
    for (const std::string& junk : {std::string(1000000, '='),
                                    [] {
                                        std::string s;
                                        for (int i = 0; i < 200000; ++i)
                                            s += "=?x?B?";
                                        return s;
                                    }(),
                                    [] {
                                        std::string s;
                                        for (int i = 0; i < 200000; ++i)
                                            s += "=?UTF-8?B?QQ?= =?UTF-8?Q?x?=";
                                        return s;
                                    }()}) {
        std::string out = merge_encoded_words(junk);
        CHECK(out.size() <= junk.size());
    }
    CHECK(Clock::now() - start < std::chrono::seconds(5));
}
