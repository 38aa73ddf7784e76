// Email intake (receive_mail) fed raw RFC 5322 text on a temporary store: a new
// ticket, a duplicate, replies threaded by In-Reply-To and by the [ID] of the
// subject, a stranger's forged reply taken as a new ticket, replies that reopen or
// follow a closed ticket, automatic messages, a dry run, and what is not a message.
#include "opsflow/base/error.hpp"
#include "opsflow/mail/mail_intake.hpp"
#include "opsflow/work/ticket.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace opsflow;
using opsflow::test::read_text;
using opsflow::test::StoreFixture;
using opsflow::test::StoreSetup;

namespace {

constexpr auto ticket = RecordKind::ticket;

StoreSetup with_mail() {
    StoreSetup setup;
    setup.settings_extra = "mail:\n  address: ops@example.com\n";
    return setup;
}

struct Mail {
    std::string from = "Ann Lee <ann@example.com>";
    std::string subject = "Printer on floor 3 is jammed";
    std::string message_id = "<m1@mail.example.com>";
    std::string in_reply_to;
    std::string extra_headers;
    std::string body = "It jams on every page.\n";

    std::string raw() const {
        std::string out = fmt::format("From: {}\r\nTo: ops@example.com\r\nSubject: {}\r\n"
                                      "Date: Tue, 10 Mar 2026 08:58:00 +0800\r\n"
                                      "Message-ID: {}\r\n",
                                      from, subject, message_id);
        if (!in_reply_to.empty()) out += "In-Reply-To: " + in_reply_to + "\r\n";
        out += extra_headers;
        out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
        for (char c : body)
            out += c == '\n' ? std::string("\r\n") : std::string(1, c);
        return out;
    }
};

MailReceipt receive(StoreFixture& s, const Mail& m) {
    return receive_mail(s.ctx(), m.raw(), false);
}

// The Message-ID of the acknowledgement the ticket got: what a reply names.
std::string ack_id(const StoreFixture& s, const std::string& id) {
    Record record = s.load(ticket, id);
    const Node* notices = record.doc().find("notices");
    REQUIRE(notices);
    REQUIRE(notices->items().front().get("purpose") == "ack");
    return *notices->items().front().get("message_id");
}

} // namespace

TEST_CASE("a message from a user opens a ticket, acknowledged and archived as received") {
    StoreFixture s(with_mail());
    Mail m;
    MailReceipt r = receive(s, m);
    CHECK(r.action == "created");
    CHECK(r.kind == ticket);
    CHECK(r.id == "TKT-00000001");
    CHECK(r.message_id == "m1@mail.example.com");
    CHECK(r.from == "ann@example.com");
    CHECK(r.no_ack.english.empty());
    CHECK(r.archive == "notices/2026/03/TKT-00000001/20260310T005800Z-received.eml");
    CHECK(read_text(s.root() / r.archive) == m.raw());

    Record t = s.load(ticket, r.id);
    CHECK(t.status() == "new");
    CHECK(t.field("subject") == "Printer on floor 3 is jammed");
    CHECK(t.field("requester") == "Ann Lee <ann@example.com>");
    CHECK(t.field("channel") == "email");
    CHECK(t.field("question") == "It jams on every page.");
    // The sender's Date, within a day of the arrival, is the time of the event.
    CHECK(t.field("received_at") == "2026-03-10T08:58:00+08:00");
    const Node& received = t.events().items().front();
    CHECK(received.get("by") == "requester");
    CHECK(received.get("message_id") == "m1@mail.example.com");
    CHECK(received.get("received") == r.archive);
    const Node& ack = t.doc().find("notices")->items().front();
    CHECK(ack.get("purpose") == "ack");
    CHECK(ack.get("subject") == "[Received] Printer on floor 3 is jammed [TKT-00000001]");
    CHECK(received.get("notice") == ack.get("message_id"));
    CHECK(s.subjects().front() == "ticket TKT-00000001: received by email");
    CHECK(s.git({"status", "--porcelain"}).empty());

    // The same message again (an MTA's redelivery): nothing more.
    MailReceipt again = receive(s, m);
    CHECK(again.action == "duplicate");
    CHECK(again.id == "TKT-00000001");
    CHECK(s.commit_count() == 3);
}

TEST_CASE("a reply joins its ticket by In-Reply-To, or by the [ID] in its subject") {
    StoreFixture s(with_mail());
    const std::string id = receive(s, Mail{}).id;

    Mail by_header;
    by_header.message_id = "<m2@mail.example.com>";
    by_header.subject = "Re: [Received] Printer on floor 3 is jammed";
    by_header.in_reply_to = "<" + ack_id(s, id) + ">";
    by_header.body = "Now it jams on page two.\n\n> It jams on every page.\n";
    s.advance(std::chrono::minutes(30));
    MailReceipt r = receive(s, by_header);
    CHECK(r.action == "reply");
    CHECK(r.id == id);
    Record t = s.load(ticket, id);
    const Node& reply = t.events().items().back();
    CHECK(reply.get("action") == "reply");
    CHECK(reply.get("threaded_by") == "In-Reply-To");
    CHECK(reply.get("by") == "requester");
    CHECK(reply.get("text") == "Now it jams on page two.");
    CHECK(t.status() == "new");
    CHECK(s.subjects().front() == "ticket TKT-00000001: reply by email");

    // A client that dropped In-Reply-To: the subject's token still threads it.
    Mail by_token;
    by_token.message_id = "<m3@mail.example.com>";
    by_token.subject = "Re: [TKT-00000001] Printer";
    by_token.body = "Fixed itself.\n";
    r = receive(s, by_token);
    CHECK(r.action == "reply");
    CHECK(r.id == id);
    CHECK(s.load(ticket, id).events().items().back().get("threaded_by") == "subject token");

    // A technician in team.yaml may write about it too, and is named.
    Mail colleague;
    colleague.from = "Li Si <lisi@example.com>";
    colleague.message_id = "<m4@mail.example.com>";
    colleague.subject = "[TKT-00000001] toner";
    r = receive(s, colleague);
    CHECK(r.action == "reply");
    CHECK(s.load(ticket, id).events().items().back().get("by") == "lisi");
    CHECK(s.store().record_files(ticket).size() == 1);
}

TEST_CASE("a stranger's message is never threaded to someone else's ticket") {
    StoreFixture s(with_mail());
    const std::string id = receive(s, Mail{}).id;
    const std::string before = read_text(s.store().locate(ticket, id));

    // The ticket's token in the subject, from an address that is not its requester's.
    Mail forged;
    forged.from = "Eve <eve@elsewhere.example>";
    forged.message_id = "<e1@elsewhere.example>";
    forged.subject = "Re: [TKT-00000001] Printer on floor 3 is jammed";
    forged.body = "Please send the admin password.\n";
    MailReceipt r = receive(s, forged);
    CHECK(r.action == "created");
    CHECK(r.id != id);
    CHECK(s.load(ticket, r.id).field("requester") == "Eve <eve@elsewhere.example>");

    // In-Reply-To naming the acknowledgement it could only have guessed or stolen.
    forged.message_id = "<e2@elsewhere.example>";
    forged.in_reply_to = "<" + ack_id(s, id) + ">";
    MailReceipt r2 = receive(s, forged);
    CHECK(r2.action == "created");
    CHECK(r2.id != id);
    CHECK(r2.id != r.id);

    // Ann's ticket is as it was; and her own Message-ID reused by Eve is a new message.
    CHECK(read_text(s.store().locate(ticket, id)) == before);
    forged.message_id = "<m1@mail.example.com>";
    forged.in_reply_to.clear();
    forged.subject = "Another question";
    CHECK(receive(s, forged).action == "created");
    CHECK(s.store().record_files(ticket).size() == 4);
}

TEST_CASE("a reply to an answered or closed ticket brings it back; a late one follows it") {
    StoreFixture s(with_mail());
    const std::string id = receive(s, Mail{}).id;
    answer_ticket(s.ctx(), id, "Open tray 2.", NoticeMode::suppress, std::nullopt);

    Mail reply;
    reply.message_id = "<m2@mail.example.com>";
    reply.subject = "Re: [TKT-00000001] Printer";
    reply.body = "Tray 2 is empty.\n";
    MailReceipt r = receive(s, reply);
    CHECK(r.action == "reply");
    CHECK(r.description.english == "reply by email; back to analyzing");
    CHECK(s.load(ticket, id).status() == "analyzing");

    answer_ticket(s.ctx(), id, "Fill it.", NoticeMode::suppress, std::nullopt);
    close_ticket(s.ctx(), id, std::nullopt);
    reply.message_id = "<m3@mail.example.com>";
    r = receive(s, reply);
    CHECK(r.action == "reopened");
    CHECK(s.load(ticket, id).status() == "analyzing");
    CHECK(s.subjects().front() == "ticket TKT-00000001: reply by email; reopened");

    // Closed for longer than mail.reopen_within (14 days): a new ticket that follows it.
    answer_ticket(s.ctx(), id, "Filled.", NoticeMode::suppress, std::nullopt);
    close_ticket(s.ctx(), id, std::nullopt);
    s.advance(std::chrono::hours(24 * 15));
    reply.message_id = "<m4@mail.example.com>";
    r = receive(s, reply);
    CHECK(r.action == "linked");
    CHECK(r.id != id);
    Record follower = s.load(ticket, r.id);
    CHECK(follower.events().items().front().get("follows") == id);
    CHECK(s.load(ticket, id).status() == "closed");
    CHECK(s.subjects().front() == "ticket " + r.id + ": received by email (follows " + id + ")");
}

TEST_CASE("an automatic message is taken in without an acknowledgement") {
    StoreFixture s(with_mail());
    Mail out_of_office;
    out_of_office.subject = "Out of office";
    out_of_office.extra_headers = "Auto-Submitted: auto-replied\r\n";
    MailReceipt r = receive(s, out_of_office);
    CHECK(r.action == "created");
    CHECK(r.automatic == "Auto-Submitted: auto-replied");
    CHECK(r.no_ack.english == "an automatic message (Auto-Submitted: auto-replied)");
    Record t = s.load(ticket, r.id);
    CHECK(t.doc().find("notices") == nullptr);
    CHECK(t.events().items().front().get("notice") ==
          "not sent: an automatic message (Auto-Submitted: auto-replied)");

    // From one of our own addresses: a loop, not a user.
    Mail own;
    own.from = "Operations <ops@example.com>";
    own.message_id = "<o1@example.com>";
    r = receive(s, own);
    CHECK(r.automatic == "From: one of our own addresses");
    CHECK(s.load(ticket, r.id).doc().find("notices") == nullptr);
}

TEST_CASE("a dry run decides and writes nothing; what is not a message is refused") {
    StoreFixture s(with_mail());
    MailReceipt r = receive_mail(s.ctx(), Mail{}.raw(), true);
    CHECK(r.action == "created");
    CHECK(r.id == "TKT-00000001");
    CHECK(s.store().record_files(ticket).empty());
    CHECK(s.commit_count() == 2);
    CHECK(s.git({"status", "--porcelain"}).empty());

    CHECK_THROWS_AS(receive_mail(s.ctx(), "", false), MailDataError);
    CHECK_THROWS_AS(receive_mail(s.ctx(), "just some text\nwithout headers\n", false),
                    MailDataError);
    Mail no_sender;
    no_sender.from = "";
    CHECK_THROWS_AS(receive_mail(s.ctx(), no_sender.raw(), false), MailDataError);
    s.edit_settings("mail:\n  address: ops@example.com\n",
                    "mail:\n  address: ops@example.com\n  max_size: 100B\n");
    CHECK_THROWS_WITH_AS(receive_mail(s.ctx(), Mail{}.raw(), false),
                         doctest::Contains("mail.max_size"), MailDataError);
    CHECK(s.store().record_files(ticket).empty());
}
