#include "opsflow/error.hpp"
#include "opsflow/icalendar.hpp"
#include "opsflow/notice.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace opsflow;

TEST_CASE("ASCII header text is left alone; control characters never survive") {
    CHECK(encode_header_text("Disk full") == "Disk full");
    CHECK(encode_header_text("Upgrade\r\nBcc: evil@example.com") ==
          "Upgrade Bcc: evil@example.com");
    CHECK(strip_controls("a\x01\x7f"
                         "b\xE2\x80\xA8"
                         "c") == "a b c");
}

TEST_CASE("non-ASCII headers are RFC 2047 words of at most 75 characters on character boundaries") {
    std::string title =
        "邮件系统升级通知：本周六晚上十点到凌晨两点之间邮件无法收发，请提前做好准备";
    std::string encoded = encode_header_text(title);
    std::istringstream lines(encoded);
    std::string decoded_bytes;
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.starts_with(" ")) line.erase(0, 1);
        CHECK(line.size() <= 75);
        CHECK(line.starts_with("=?UTF-8?B?"));
        CHECK(line.ends_with("?="));
    }
    CHECK(encoded.find("\r\n ") != std::string::npos);
}

TEST_CASE("a rendered message has the headers and parts a mail reader expects") {
    Message m{"运维服务部 <ops@example.com>",
              {"a@example.com", "b@example.com"},
              "维护通知\r\nBcc: x@y",
              "正文\n",
              CalendarPart{"REQUEST", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"},
              "MNT-1.20261124T000000Z.ab@example.com",
              Timestamp{std::chrono::seconds(1795500000)}};
    std::string text = render_message(m);
    auto headers = text.substr(0, text.find("\r\n\r\n"));
    CHECK(headers.find("\r\nBcc:") == std::string::npos);
    CHECK(headers.find("From: =?UTF-8?B?") == 0);
    CHECK(headers.find("<ops@example.com>") != std::string::npos);
    CHECK(headers.find("To: a@example.com,\r\n b@example.com") != std::string::npos);
    CHECK(headers.find("Message-ID: <MNT-1.20261124T000000Z.ab@example.com>") != std::string::npos);
    CHECK(headers.find("MIME-Version: 1.0") != std::string::npos);
    CHECK(text.find("Content-Type: text/calendar; charset=UTF-8; method=REQUEST") !=
          std::string::npos);
    for (char c : headers)
        CHECK(static_cast<unsigned char>(c) < 0x80);
}

TEST_CASE("email addresses in free text") {
    CHECK(extract_email("张三 <zhangsan@example.com>") == "zhangsan@example.com");
    CHECK(extract_email("ops@example.com") == "ops@example.com");
    CHECK_FALSE(extract_email("138-0013-8000"));
    CHECK_FALSE(extract_email("王五"));
    CHECK_THROWS_AS(require_safe_address("-oQ/tmp/x@y"), UsageError);
    CHECK_THROWS_AS(require_safe_address("a@b\r\nBcc: c@d"), UsageError);
    CHECK_NOTHROW(require_safe_address("a.b+c@example.com"));
}

TEST_CASE("an address is one RFC 5322 mailbox, never a substring of the text") {
    CHECK(extract_email("\"Li, Si\" <lisi@example.com>") == "lisi@example.com");
    CHECK(extract_email("lisi@example.com (Li Si)") == "lisi@example.com");
    CHECK(extract_email("=?UTF-8?B?5byg5LiJ?= <zhangsan@example.com>") == "zhangsan@example.com");
    // Each of these held an address-shaped substring that a pattern would have mailed.
    for (const char* text :
         {"Victim <-oQ/tmp/x@example.com>", "a@example.com, b@example.com",
          "Ann <ann@example.com> Bob <bob@example.com>", "team: a@example.com, b@example.com;",
          "Ann <ann@localhost>", "Ann <ann@-example.com>", "Ann <ann..x@example.com>",
          "<x@example.com@evil.example>", "Ann <ann@example.com>\r\nBcc: x@evil.example"}) {
        std::string shown = text;
        CAPTURE(shown);
        CHECK_FALSE(extract_email(text));
        CHECK_THROWS_AS(require_contact(text, "--reporter"), UsageError);
    }
    CHECK_NOTHROW(require_contact("王五", "--reporter"));
    CHECK_NOTHROW(require_contact("138-0013-8000", "--reporter"));
    CHECK_NOTHROW(require_contact("Ann <ann@example.com>", "--reporter"));
}

TEST_CASE("RRULEs are checked and expanded, DTSTART first") {
    CHECK_NOTHROW(validate_rrule("FREQ=MONTHLY;BYDAY=1SA"));
    CHECK_THROWS_AS(validate_rrule("FREQ=SOMETIMES"), UsageError);
    CHECK_THROWS_AS(validate_rrule("BYDAY=1SA"), UsageError);
    auto start = *parse_rfc3339("2027-01-02T02:00:00+08:00");
    auto to = *parse_rfc3339("2027-04-01T00:00:00+08:00");
    auto all =
        occurrences(start, std::string("FREQ=MONTHLY;BYDAY=1SA"), "Asia/Shanghai", start, to);
    REQUIRE(all.size() == 3);
    CHECK(format_rfc3339(all[1], find_time_zone("Asia/Shanghai")) == "2027-02-06T02:00:00+08:00");
    CHECK(occurrences(start, std::nullopt, "Asia/Shanghai", start, to).size() == 1);
}

TEST_CASE("calendar times carry the store timezone, never a contradictory Z") {
    CalendarEvent e;
    e.uid = "MNT-1@opsflow";
    e.summary = "x";
    e.start = *parse_rfc3339("2026-12-05T22:00:00+08:00");
    e.end = *parse_rfc3339("2026-12-06T02:00:00+08:00");
    std::string ics = render_calendar({e}, "REQUEST", "Asia/Shanghai", e.start);
    CHECK(ics.find("Asia/Shanghai:\r\n 20261205T220000\r\n") != std::string::npos);
    CHECK(ics.find("METHOD:REQUEST") != std::string::npos);
}
