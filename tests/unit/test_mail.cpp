// The mail reader and the text rules of email intake (SPEC §9), on messages
// written here byte by byte.
#include "opsflow/mail/mail_message.hpp"
#include "opsflow/mail/mail_text.hpp"

#include <doctest/doctest.h>

using namespace opsflow;

namespace {

const std::string gbk_nihao = "\xC4\xE3\xBA\xC3"; // 你好 in GBK

std::string base64(std::string_view bytes) {
    static constexpr char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned n = 0;
        for (std::size_t k = 0; k < 3; ++k)
            n = n << 8 | (i + k < bytes.size() ? static_cast<unsigned char>(bytes[i + k]) : 0u);
        for (std::size_t k = 0; k < 4; ++k)
            out += k <= bytes.size() - i ? digits[(n >> (18 - 6 * k)) & 63] : '=';
    }
    return out;
}

// `text` as adjacent B words of `size` bytes each, cut anywhere (inside a character
// too), folded: the words but the last often end in `=` padding.
std::string b_words(std::string_view text, std::size_t size, std::string_view charset = "utf-8") {
    std::string out;
    for (std::size_t at = 0; at < text.size(); at += size)
        out += (at ? "\r\n =?" : "=?") + std::string(charset) + "?B?" +
               base64(text.substr(at, size)) + "?=";
    return out;
}

} // namespace

TEST_CASE(
    "to_utf8: GB2312 labels are read as GB18030, lying labels fall back, junk becomes U+FFFD") {
    CHECK(to_utf8(gbk_nihao, "gb2312") == "你好");
    CHECK(to_utf8(gbk_nihao, "GBK") == "你好");
    CHECK(to_utf8(gbk_nihao, "utf-8") == "你好");             // the label lies
    CHECK(to_utf8(gbk_nihao, "x-no-such-charset") == "你好"); // an unknown label
    CHECK(to_utf8("caf\xE9", "iso-8859-1") == "café");
    CHECK(to_utf8("\xA7\x41\xA6\x6E", "big5") == "你好");
    CHECK(to_utf8("\xFF\xFE\xFF", "utf-8") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(to_utf8("plain", "") == "plain");
}

TEST_CASE("parse_mail: headers decoded, references in order, RFC 3834 markers") {
    std::string raw = "Return-Path: <>\r\n"
                      "From: =?GBK?B?1cXOsA==?= <Zhang.Wei@Example.com>\r\n"
                      "To: ops@example.com, \"Alerts\" <ALERTS@example.com>\r\n"
                      "Subject: =?UTF-8?B?5omT5Y2w5py6?= [TKT-3f9a1c2e]\r\n"
                      "Date: Mon, 30 Nov 2026 09:15:00 +0800\r\n"
                      "Message-ID: <m1@example.com>\r\n"
                      "In-Reply-To: <b@example.com>\r\n"
                      "References: <a@example.com> <b@example.com>\r\n"
                      "\r\n"
                      "hello\r\n";
    MailMessage m = parse_mail(raw);
    CHECK(m.message_id == "m1@example.com");
    CHECK(m.from_name == "张伟");
    CHECK(m.from_address == "zhang.wei@example.com");
    CHECK(m.subject == "打印机 [TKT-3f9a1c2e]");
    REQUIRE(m.references.size() == 3);
    CHECK(m.references[0] == "b@example.com"); // In-Reply-To first, then newest first
    CHECK(m.references[2] == "a@example.com");
    CHECK(m.recipients == std::vector<std::string>{"ops@example.com", "alerts@example.com"});
    CHECK(m.automatic == "Return-Path: <>");
    CHECK(m.text == "hello");
    REQUIRE(m.date);
    CHECK(m.date->time_since_epoch().count() == 1796001300); // 2026-11-30T01:15:00Z
}

TEST_CASE("parse_mail: what is not a message is refused as data, never crashes") {
    CHECK_THROWS_AS(parse_mail(""), MailDataError);
    CHECK_THROWS_AS(parse_mail("\x89PNG\r\n\x1a\n"), MailDataError);
    CHECK_THROWS_AS(parse_mail("just a line of text\n"), MailDataError);
    CHECK_THROWS_AS(parse_mail("Subject: no sender\r\n\r\nbody\r\n"), MailDataError);
    std::string nested =
        "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n";
    for (int i = 1; i < 300; ++i)
        nested += "--b" + std::to_string(i - 1) + "\r\nContent-Type: multipart/mixed; boundary=b" +
                  std::to_string(i) + "\r\n\r\n";
    CHECK_THROWS_AS(parse_mail(nested), MailDataError);
}

TEST_CASE("parse_mail: an encoded CR/LF in a name or subject never survives") {
    MailMessage m = parse_mail("From: =?UTF-8?Q?Eve=0D=0AX-Evil=3A_1?= <eve@example.com>\r\n"
                               "Subject: =?UTF-8?Q?Hi=0D=0ABcc:_victim@example.com?=\r\n\r\nx\r\n");
    CHECK(m.subject.find('\n') == std::string::npos);
    CHECK(m.subject.find('\r') == std::string::npos);
    CHECK(m.from_name.find('\n') == std::string::npos);
    CHECK(m.from_address == "eve@example.com");
    // A raw `:` in the encoded word makes the name a group to a parser: the sender is
    // still found in it.
    m = parse_mail("From: =?UTF-8?Q?Eve=0D=0ABcc:_x@evil.example?= <eve@example.com>\r\n\r\nx\r\n");
    CHECK(m.from_name.find('\n') == std::string::npos);
}

TEST_CASE("parse_mail: the text part wins over HTML; attachments are named and sized") {
    std::string raw = "From: a@example.com\r\n"
                      "Content-Type: multipart/mixed; boundary=X\r\n\r\n"
                      "--X\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html</p>\r\n"
                      "--X\r\nContent-Type: text/plain; charset=gbk\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\nxOO6ww==\r\n"
                      "--X\r\nContent-Type: application/octet-stream\r\n"
                      "Content-Disposition: attachment; filename*=UTF-8''%E6%88%AA%E5%9B%BE.png\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n"
                      "--X--\r\n";
    MailMessage m = parse_mail(raw);
    CHECK(m.text == "你好");
    REQUIRE(m.attachments.size() == 1);
    CHECK(m.attachments[0].name == "截图.png");
    CHECK(m.attachments[0].size == 4);
}

TEST_CASE("parse_mail: a returned message (message/rfc822) is listed with its real size") {
    std::string inner = "From: ops@example.com\r\nMessage-ID: <n1@example.com>\r\n"
                        "Subject: ack\r\n\r\n" +
                        std::string(3000, 'x') + "\r\n";
    std::string raw = "From: MAILER-DAEMON@example.com\r\n"
                      "Content-Type: multipart/report; report-type=delivery-status; "
                      "boundary=B\r\n\r\n"
                      "--B\r\nContent-Type: text/plain\r\n\r\nunknown user\r\n"
                      "--B\r\nContent-Type: message/rfc822\r\n\r\n" +
                      inner + "--B--\r\n";
    MailMessage m = parse_mail(raw);
    REQUIRE(m.attachments.size() == 1);
    CHECK(m.attachments[0].type == "message/rfc822");
    CHECK(m.attachments[0].size >= 3000);
    CHECK(m.attachments[0].size < inner.size() + 100);
    REQUIRE(m.carried_ids.size() == 1);
}

TEST_CASE("html_to_text: what a reader sees, without script or style; quotes marked") {
    std::string text = html_to_text("<html><head><style>p{color:red}</style></head><body>"
                                    "<div>第一行<br>second&nbsp;line &amp; more</div>"
                                    "<script>alert(1)</script><blockquote>old</blockquote>"
                                    "</body></html>");
    CHECK(text == "第一行\nsecond line & more\n> old");
}

TEST_CASE("clean_text: bidi overrides and isolates go, line and paragraph separators break") {
    // "Trojan Source": U+202E reverses what follows on screen, U+2066 opens an isolate.
    CHECK(clean_text("invoice\xE2\x80\xAE"
                     "fdp.exe\xE2\x80\xAC ok") == "invoicefdp.exe ok");
    CHECK(clean_text("a\xE2\x81\xA6"
                     "b\xE2\x81\xA9"
                     "c") == "abc");
    CHECK(clean_text("line one\xE2\x80\xA8line two\xE2\x80\xA9three") ==
          "line one\nline two\nthree");
    // Right-to-left text keeps its marks and letters.
    CHECK(clean_text("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D\xE2\x80\x8F") ==
          "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D\xE2\x80\x8F");
}

TEST_CASE("new_text: the quoted history and signature of real clients are left out") {
    CHECK(new_text("new\n\nOn Mon, Nov 30, 2026 at 9:20 AM Ops <ops@example.com> wrote:\n> old") ==
          "new");
    CHECK(new_text("new\nOn Mon, Nov 30, 2026 at 9:20 AM Ops\n<ops@example.com> wrote:\n> old") ==
          "new");
    CHECK(new_text("新的\n\n在 2026年11月30日 09:20，运维部 <ops@example.com> 写道：\n>旧的") ==
          "新的");
    CHECK(new_text("new\n-----Original Message-----\nFrom: x\nold") == "new");
    CHECK(new_text("新\n\n发件人: 运维部\n发送时间: 2026年11月30日\n收件人: 张伟\n旧") == "新");
    CHECK(new_text("新\n------------------ 原始邮件 ------------------\n旧") == "新");
    CHECK(new_text("new\n-- \nZhang Wei\nFinance") == "new");
    CHECK(new_text("new\n\n发自我的iPhone") == "new");
    CHECK(new_text("From the printer on floor 3: it jams.") ==
          "From the printer on floor 3: it jams.");
}

TEST_CASE("survey_score: digits and the Chinese words, on the first line only") {
    CHECK(survey_score("4") == 4);
    CHECK(survey_score("\n 5分。\nthanks") == 5);
    CHECK(survey_score("3/5") == 3);
    CHECK(survey_score("４") == 4);
    CHECK(survey_score("非常满意") == 5);
    CHECK(survey_score("满意！") == 4);
    CHECK(survey_score("一般") == 3);
    CHECK(survey_score("不满意") == 2);
    CHECK(survey_score("非常不满意") == 1);
    CHECK_FALSE(survey_score("6"));
    CHECK_FALSE(survey_score("45"));
    CHECK_FALSE(survey_score("4 printers are broken"));
    CHECK_FALSE(survey_score(""));
}

// GMime 3.2.13 drops every word after a padded B word of the same run (gmime#133;
// mail_words.hpp). The expected readings are Python's (email.policy.strict), and
// test_mail.sh compares the two parsers on these messages.
TEST_CASE("parse_mail: adjacent B words after a padded one are read whole") {
    auto subject_of = [](const std::string& value) {
        return parse_mail("From: a@example.com\r\nSubject: " + value + "\r\n\r\nx\r\n").subject;
    };
    CHECK(subject_of("=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=") == "Hello world");
    // Outlook's: an ö split across the first two words, padding in the last.
    CHECK(subject_of("=?utf-8?B?ZGlkYWN0YSAyMDIwIHdpcmQgdmVyc2Nob2JlbiAtICBCZWjD?=\r\n"
                     " =?utf-8?B?tnJkZW4gdmVyZsO8Z2VuIFZlcmFuc3RhbHR1bmdzdmVyYm90IGbDvHIg?=\r\n"
                     " =?utf-8?B?QmlsZHVuZ3NtZXNzZSBpbSBNw6Ryeg==?=") ==
          "didacta 2020 wird verschoben -  Behörden verfügen Veranstaltungsverbot für "
          "Bildungsmesse im März");
    // 中 (E4 B8 AD) split across two padded words.
    CHECK(subject_of("=?UTF-8?B?QeQ=?= =?UTF-8?B?uK0=?=") == "A中");
    CHECK(subject_of(b_words("A中", 2)) == "A中");
    // A CJK subject of 128 characters mixed with ASCII, in words of every size from 1
    // to 20 bytes, cut anywhere; and in GBK.
    const std::string cjk = "Re: 【变更通知】核心交换机固件升级 (Core switch firmware upgrade) "
                            "期间办公网络将中断约三十分钟，请各部门提前保存工作并关闭VPN连接；"
                            "如有疑问请联系运维值班电话 8888-1234，谢谢配合 [TKT-3f9a1c2e]";
    for (std::size_t size = 1; size <= 20; ++size)
        CHECK_MESSAGE(subject_of(b_words(cjk, size)) == cjk, size);
    const std::string gbk_cjk = "Re: \xC4\xE3\xBA\xC3 printer \xC4\xE3\xBA\xC3 [TKT-3f9a1c2e]";
    CHECK(subject_of(b_words(gbk_cjk, 4, "gbk")) == "Re: 你好 printer 你好 [TKT-3f9a1c2e]");
    // Words of two charsets are two runs; Q words and text between words stay as they are.
    CHECK(subject_of("=?UTF-8?B?SGVsbG8=?= =?iso-8859-1?B?IHf2cmxk?=") == "Hello wörld");
    CHECK(subject_of("=?UTF-8?B?SGVsbG8=?= =?UTF-8?Q?_to_the?= =?UTF-8?B?IHdvcmxk?=") ==
          "Hello to the world");
    CHECK(subject_of("=?UTF-8?B?SGVsbG8=?= and =?UTF-8?B?IHdvcmxk?=") == "Hello and  world");

    // The sender's name is decoded the same way; the address is untouched.
    MailMessage m =
        parse_mail("From: =?UTF-8?B?5byg?= =?UTF-8?B?5LyfIA==?= =?UTF-8?B?KOi0ouWKoSk=?= "
                   "<Zhang.Wei@Example.com>\r\n"
                   "To: =?UTF-8?B?6L+Q57u0?= =?UTF-8?B?6YOo?= <ops@example.com>\r\n"
                   "Subject: x\r\n\r\nx\r\n");
    CHECK(m.from_name == "张伟 (财务)");
    CHECK(m.from_address == "zhang.wei@example.com");
    CHECK(m.recipients == std::vector<std::string>{"ops@example.com"});
}

TEST_CASE("mask_message: a secret after a padded B word is masked; else the subject stays") {
    std::string subject = "Subject: =?UTF-8?B?SGVsbG8=?= " + b_words(" my password: Hunter2", 7);
    std::string masked = mask_message("From: a@example.com\r\n" + subject + "\r\n\r\nx\r\n");
    CHECK(masked.find("Hunter2") == std::string::npos);
    CHECK(parse_mail(masked).subject == "Hello my password [masked]");
    subject = "Subject: =?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=";
    masked = mask_message("From: a@example.com\r\n" + subject + "\r\n\r\npassword: Hunter2\r\n");
    CHECK(masked.find(subject + "\n") != std::string::npos);
    CHECK(masked.find("Hunter2") == std::string::npos);
}
