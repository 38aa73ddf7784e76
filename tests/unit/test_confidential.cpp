#include "opsflow/base/confidential.hpp"

#include <doctest/doctest.h>
#include <random>
#include <regex>

using namespace opsflow;

namespace {

std::vector<std::string> whats(const std::vector<SensitiveMatch>& matches) {
    std::vector<std::string> out;
    for (const auto& m : matches)
        out.push_back(m.what);
    return out;
}

} // namespace

TEST_CASE("resident ID check digit (GB 11643, ISO 7064 MOD 11-2)") {
    CHECK(is_valid_resident_id("11010519491231002X"));
    CHECK(is_valid_resident_id("11010519491231002x"));
    CHECK_FALSE(is_valid_resident_id("110105194912310021"));
    CHECK_FALSE(is_valid_resident_id("11010519491231002"));
    CHECK_FALSE(is_valid_resident_id("1101051949123100AX"));
}

TEST_CASE("secrets: key blocks, passwords with a value, token formats") {
    CHECK(whats(find_secrets("-----BEGIN OPENSSH PRIVATE KEY-----")) ==
          std::vector<std::string>{"a private key block"});
    CHECK(whats(find_secrets("root Password = s3cret")) == std::vector<std::string>{"a password"});
    CHECK(whats(find_secrets("数据库密码：abc123")) == std::vector<std::string>{"a password"});
    CHECK(find_secrets("用户忘记密码，已重置").empty());
    CHECK(find_secrets("password reset done").empty());
    CHECK(whats(find_secrets("key AKIAIOSFODNN7EXAMPLE here")) ==
          std::vector<std::string>{"an AWS access key"});
    CHECK(whats(find_secrets("ghp_" + std::string(36, 'a'))) ==
          std::vector<std::string>{"a GitHub token"});
    CHECK(whats(find_secrets("xoxb-1234567890-abcdef")) ==
          std::vector<std::string>{"a Slack token"});
}

TEST_CASE("mask_secrets: what the scan finds is masked so that it no longer finds it") {
    std::vector<std::string> masked;
    CHECK(mask_secrets("my password: Hunter2 is refused", masked) ==
          "my password [masked] is refused");
    CHECK(mask_secrets("root Password = s3cret", masked) == "root Password [masked]");
    CHECK(mask_secrets("邮箱密码：忘记了，请帮忙重置。", masked) == "邮箱密码 [masked]");
    CHECK(mask_secrets("key AKIAIOSFODNN7EXAMPLE here", masked) == "key [masked] here");
    CHECK(mask_secrets("a\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\nabc\n-----END RSA PRIVATE "
                       "KEY-----\nb",
                       masked) == "a\n[masked]\nb");
    CHECK(mask_secrets("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", masked) ==
          "Authorization: [masked]");
    CHECK(masked == std::vector<std::string>{"a password", "an AWS access key",
                                             "a private key block", "a bearer token"});
    for (std::string text : {"pwd=1 pwd=2 password:3", "password: password: x", "密码：密码：x"}) {
        std::vector<std::string> found;
        CHECK(find_secrets(mask_secrets(text, found)).empty());
    }
    std::vector<std::string> none;
    CHECK(mask_secrets("password reset done", none) == "password reset done");
    CHECK(none.empty());
}

TEST_CASE("personal data: e-mail, phone, resident ID; not dates or times") {
    auto m =
        find_personal_data("call 138-0013-8000 or mail a.b@example.com, ID 11010519491231002X");
    CHECK(whats(m) ==
          std::vector<std::string>{"an e-mail address", "a resident ID number", "a phone number"});
    CHECK(find_personal_data("at 2026-03-02 09:00, build 20260302").empty());
    CHECK(find_personal_data("version 110105194912310021 is fine").empty());
}

TEST_CASE("a hostile 256 KiB scalar is scanned without deep recursion") {
    // Bounded repetition keeps std::regex from recursing once per character; a crash
    // (stack overflow) is what this guards against. Speed is measured in bench/, not here.
    std::string digits(256 * 1024, '1');
    std::string letters(256 * 1024, 'a');
    CHECK(find_secrets(digits).empty());
    CHECK(find_personal_data(digits).empty());
    CHECK(find_personal_data(letters + "@").empty());
    CHECK(whats(find_personal_data("+" + digits)) == std::vector<std::string>{"a phone number"});
    CHECK(find_secrets("password: " + letters).size() == 1);
}

TEST_CASE("the phone number prefilter never rules out text the phone pattern matches") {
    // Differential: random text over the characters the pattern cares about; wherever
    // std::regex finds a number, the prefilter must have said it may hold one.
    std::mt19937 random(20261202);
    const std::string alphabet = "0123456789013800+-  -T:x\n";
    int matched = 0, skipped = 0;
    for (int round = 0; round < 60000; ++round) {
        std::string text;
        auto length = random() % 40;
        for (unsigned k = 0; k < length; ++k)
            text += alphabet[random() % alphabet.size()];
        bool matches = std::regex_search(text, phone_pattern());
        bool may = may_hold_phone_number(text);
        INFO(text);
        if (matches) {
            ++matched;
            REQUIRE(may);
        }
        skipped += !may;
    }
    // Both sides were exercised: numbers found, and texts spared the regex.
    CHECK(matched > 1000);
    CHECK(skipped > 1000);
    CHECK_FALSE(may_hold_phone_number("2026-03-25T06:36:00+08:00"));
    CHECK(may_hold_phone_number("call 138-0013-8000"));
    CHECK(may_hold_phone_number("010-62345678"));
    CHECK(may_hold_phone_number("+86 10 6234 5678"));
}
