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
    REQUIRE(all.starts.size() == 3);
    CHECK_FALSE(all.stopped_early);
    CHECK(format_rfc3339(all.starts[1], find_time_zone("Asia/Shanghai")) ==
          "2027-02-06T02:00:00+08:00");
    CHECK(occurrences(start, std::nullopt, "Asia/Shanghai", start, to).starts.size() == 1);
    auto two = occurrences(start, std::string("FREQ=MONTHLY;BYDAY=1SA"), "Asia/Shanghai", start,
                           to, 2);
    CHECK(two.starts.size() == 2);
    CHECK(two.stopped_early);
}

namespace {

std::vector<std::string> local_starts(const std::string& zone, const std::string& first,
                                      const std::string& rule, const std::string& from,
                                      const std::string& to) {
    std::vector<std::string> out;
    for (auto t : occurrences(*parse_rfc3339(first), rule, zone, *parse_rfc3339(from),
                              *parse_rfc3339(to))
                      .starts)
        out.push_back(format_rfc3339(t, find_time_zone(zone)));
    return out;
}

} // namespace

TEST_CASE("a weekly 02:00 window across DST: RFC 5545 times in the gap and the repeated hour") {
    // Berlin: 2026-03-29 02:00 does not exist (read with the offset before the gap:
    // 03:00+02:00); 2026-10-25 02:00 happens twice (the first: +02:00).
    auto berlin = local_starts("Europe/Berlin", "2026-03-22T02:00:00+01:00", "FREQ=WEEKLY;BYDAY=SU",
                               "2026-03-22T00:00:00+01:00", "2026-04-06T00:00:00+02:00");
    CHECK(berlin == std::vector<std::string>{"2026-03-22T02:00:00+01:00",
                                             "2026-03-29T03:00:00+02:00",
                                             "2026-04-05T02:00:00+02:00"});
    auto autumn = local_starts("Europe/Berlin", "2026-10-18T02:00:00+02:00",
                               "FREQ=WEEKLY;BYDAY=SU", "2026-10-18T00:00:00+02:00",
                               "2026-11-02T00:00:00+01:00");
    CHECK(autumn == std::vector<std::string>{"2026-10-18T02:00:00+02:00",
                                             "2026-10-25T02:00:00+02:00",
                                             "2026-11-01T02:00:00+01:00"});
    auto new_york = local_starts("America/New_York", "2026-03-01T02:30:00-05:00",
                                 "FREQ=WEEKLY;BYDAY=SU;COUNT=3", "2026-03-01T00:00:00-05:00",
                                 "2026-04-01T00:00:00-04:00");
    CHECK(new_york == std::vector<std::string>{"2026-03-01T02:30:00-05:00",
                                               "2026-03-08T03:30:00-04:00",
                                               "2026-03-15T02:30:00-04:00"});
}

TEST_CASE("a one-off time typed in a DST gap is read with the offset before the gap") {
    auto t = parse_time_input("2026-03-29 02:30", find_time_zone("Europe/Berlin"), Timestamp{},
                              "--start");
    CHECK(format_rfc3339(t, find_time_zone("Europe/Berlin")) == "2026-03-29T03:30:00+02:00");
    auto first = parse_time_input("2026-10-25 02:30", find_time_zone("Europe/Berlin"), Timestamp{},
                                  "--start");
    CHECK(format_rfc3339(first, find_time_zone("Europe/Berlin")) == "2026-10-25T02:30:00+02:00");
}

TEST_CASE("RRULEs that RFC 5545 forbids are refused, naming the part") {
    auto refused = [](const std::string& rule, const std::string& part) {
        try {
            validate_rrule(rule);
            FAIL("accepted: " << rule);
        } catch (const UsageError& e) {
            CHECK_MESSAGE(std::string(e.what()).find(part) != std::string::npos, e.what());
        }
    };
    refused("FREQ=MONTHLY;BYWEEKNO=20", "BYWEEKNO is only for FREQ=YEARLY");
    refused("FREQ=WEEKLY;BYYEARDAY=100", "BYYEARDAY is not for");
    refused("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY is not for FREQ=WEEKLY");
    refused("FREQ=WEEKLY;BYDAY=1SU", "a BYDAY with a number");
    refused("FREQ=DAILY;BYDAY=-1FR", "a BYDAY with a number");
    refused("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS needs another BYxxx");
    refused("FREQ=WEEKLY;UNTIL=20271231", "not a date");
    refused("FREQ=WEEKLY;UNTIL=20271231T000000", "UTC date-time");
    CHECK_NOTHROW(validate_rrule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"));
    CHECK_NOTHROW(validate_rrule("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO"));
    CHECK_NOTHROW(validate_rrule("FREQ=WEEKLY;BYDAY=SU;UNTIL=20271231T235959Z"));
}

TEST_CASE("an invitation names its zone plainly and gives a window in the repeated hour its "
          "real length") {
    CalendarEvent e;
    e.uid = "MNT-2@opsflow";
    e.summary = "x";
    e.start = *parse_rfc3339("2026-10-25T02:30:00+02:00"); // the first 02:30
    e.end = *parse_rfc3339("2026-10-25T02:30:00+01:00");   // the second, an hour later
    std::string ics = render_calendar({e}, "REQUEST", "Europe/Berlin", e.start);
    CHECK(ics.find("freeassociation") == std::string::npos);
    CHECK(ics.find("TZID:Europe/Berlin\r\n") != std::string::npos);
    CHECK(ics.find("DTSTART;TZID=Europe/Berlin:20261025T023000\r\n") != std::string::npos);
    CHECK(ics.find("DTEND:20261025T013000Z\r\n") != std::string::npos);
    CHECK(ics.find("DTSTAMP:20261025T003000Z\r\n") != std::string::npos);
}

TEST_CASE("calendar times carry the store timezone, never a contradictory Z") {
    CalendarEvent e;
    e.uid = "MNT-1@opsflow";
    e.summary = "x";
    e.start = *parse_rfc3339("2026-12-05T22:00:00+08:00");
    e.end = *parse_rfc3339("2026-12-06T02:00:00+08:00");
    std::string ics = render_calendar({e}, "REQUEST", "Asia/Shanghai", e.start);
    CHECK(ics.find("DTSTART;TZID=Asia/Shanghai:20261205T220000\r\n") != std::string::npos);
    CHECK(ics.find("METHOD:REQUEST") != std::string::npos);
}

TEST_CASE("text that looks like an encoded word, or is too long for a line, is encoded whole") {
    const std::string word = "=?UTF-8?B?SGkNCkJjYzogeEBldmlsLmV4YW1wbGU=?=";
    auto subject = encode_header_text("Hi " + word);
    CHECK(subject.find(word) == std::string::npos);
    CHECK(subject.rfind("=?UTF-8?B?", 0) == 0);
    CHECK(encode_header_text("Printer on fire") == "Printer on fire");
    auto long_text = encode_header_text(std::string(100, 'x'));
    CHECK(long_text.find("\r\n ") != std::string::npos); // folded into several words
}
