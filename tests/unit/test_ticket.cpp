// Tickets through the core API on a temporary store at fixed times: every verb's
// record, events and commit, the refusals of the workflow and of bad input (each
// leaving the store as it was), escalation to an incident, and the list's filters.
#include "opsflow/base/error.hpp"
#include "opsflow/mail/mail_message.hpp"
#include "opsflow/work/ticket.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace opsflow;
using opsflow::test::at;
using opsflow::test::StoreFixture;

namespace {

constexpr auto ticket = RecordKind::ticket;

NewTicket vpn_question() {
    NewTicket t;
    t.subject = "VPN asks for a token";
    t.requester = "Ann Lee <ann@example.com>";
    t.channel = "email";
    t.service = "vpn";
    t.category = "network";
    t.question = "Since Monday the VPN client asks for a token.";
    return t;
}

std::vector<std::string> strings(const Node* list) {
    std::vector<std::string> out;
    if (list)
        for (const auto& item : list->items())
            out.push_back(item.text());
    return out;
}

} // namespace

TEST_CASE("a ticket is received, analysed, answered, closed and reopened") {
    StoreFixture s;
    s.advance(std::chrono::minutes(5));
    Change received = receive_ticket(s.ctx(), vpn_question());
    const std::string id = received.record.id();
    CHECK(id == "TKT-00000001");
    Record r = s.load(ticket, id);
    CHECK(r.status() == "new");
    CHECK(r.field("subject") == "VPN asks for a token");
    CHECK(r.field("requester") == "Ann Lee <ann@example.com>");
    CHECK(r.field("channel") == "email");
    CHECK(r.field("service") == "vpn");
    CHECK(r.field("category") == "network");
    CHECK(r.field("received_at") == "2026-03-10T09:05:00+08:00");
    CHECK(r.events().items().front().get("by") == "wangwu");
    CHECK(s.subjects().front() == "ticket TKT-00000001: received: VPN asks for a token");

    s.advance(std::chrono::minutes(10));
    analyze_ticket(s.ctx(), id, "token server expired", std::string("chen"), std::nullopt);
    analyze_ticket(s.ctx(), id, "renewed the certificate", std::nullopt, std::nullopt);
    r = s.load(ticket, id);
    CHECK(r.status() == "analyzing");
    CHECK(r.field("assignee") == "chen");
    CHECK(r.field("analysis") == "token server expired\n\nrenewed the certificate");
    CHECK(s.subjects()[1] == "ticket TKT-00000001: analysing, assigned to chen");
    CHECK(s.subjects()[0] == "ticket TKT-00000001: analysis noted");

    s.advance(std::chrono::minutes(10));
    NoticeRun answered = answer_ticket(s.ctx(), id, "Log in again; the token is gone.",
                                       NoticeMode::send, std::nullopt);
    r = s.load(ticket, id);
    CHECK(r.status() == "answered");
    CHECK(r.field("answer") == "Log in again; the token is gone.");
    // The answer and, with survey.auto_send, a survey request: both archived (transport none).
    const auto& notices = r.doc().find("notices")->items();
    REQUIRE(notices.size() == 2);
    CHECK(notices[0].get("purpose") == "answer");
    CHECK(notices[0].get("delivery") == "archived");
    CHECK(strings(notices[0].find("recipients")) == std::vector<std::string>{"ann@example.com"});
    CHECK(notices[0].get("subject") == "Re: VPN asks for a token [TKT-00000001]");
    CHECK(notices[0].get("file") == "notices/2026/03/TKT-00000001/20260310T012500Z-answer.eml");
    CHECK(notices[1].get("purpose") == "survey");
    // The archived message, as its reader sees it.
    MailMessage sent = parse_mail(opsflow::test::read_text(s.root() / *notices[0].get("file")));
    CHECK(sent.recipients == std::vector<std::string>{"ann@example.com"});
    CHECK(sent.subject == "Re: VPN asks for a token [TKT-00000001]");
    CHECK(sent.text == "Hello,\n\nAbout your question \"VPN asks for a token\":\n\nLog in again; "
                       "the token is gone.\n\nIf anything is still unclear, reply to this message "
                       "and mention TKT-00000001.\n\nIT Operations");
    CHECK(answered.deliveries.size() == 2);
    CHECK(answered.deliveries[0].delivery.ok);
    CHECK(r.doc().find("survey")->get("sent_at") == "2026-03-10T09:25:00+08:00");
    CHECK(s.subjects()[0] == "ticket TKT-00000001: answered");
    // The notices are committed with the record: nothing is left over.
    CHECK(s.git({"status", "--porcelain"}).empty());

    s.advance(std::chrono::hours(1));
    close_ticket(s.ctx(), id, std::nullopt);
    CHECK(s.load(ticket, id).status() == "closed");
    s.advance(std::chrono::hours(1));
    reopen_ticket(s.ctx(), id, "the token is back", std::nullopt);
    r = s.load(ticket, id);
    CHECK(r.status() == "analyzing");
    CHECK(r.events().items().back().get("reason") == "the token is back");
    note_ticket(s.ctx(), id, "called Ann", std::nullopt);
    CHECK(s.actions(ticket, id) == std::vector<std::string>{"receive", "analyze", "analyze",
                                                            "answer", "survey_sent", "close",
                                                            "reopen", "note"});
    CHECK(s.subjects()[2] == "ticket TKT-00000001: closed");
    CHECK(s.subjects()[1] == "ticket TKT-00000001: reopened: the token is back");
    CHECK(s.subjects()[0] == "ticket TKT-00000001: note added");
}

TEST_CASE("an answer without a notice says so, and sends no survey") {
    StoreFixture s;
    std::string id = receive_ticket(s.ctx(), vpn_question()).record.id();
    NoticeRun run = answer_ticket(s.ctx(), id, "Restart it.", NoticeMode::suppress, std::nullopt);
    CHECK(run.deliveries.empty());
    Record r = s.load(ticket, id);
    CHECK(r.doc().find("notices") == nullptr);
    CHECK(r.doc().find("survey") == nullptr);
    CHECK(r.events().items().back().get("notice") == "not sent: --no-notify");

    // A requester known only by phone: the event says why nobody was told.
    NewTicket phoned = vpn_question();
    phoned.requester = "+86 10 1234 5678";
    phoned.channel = "phone";
    std::string by_phone = receive_ticket(s.ctx(), phoned).record.id();
    answer_ticket(s.ctx(), by_phone, "Restart it.", NoticeMode::send, std::nullopt);
    r = s.load(ticket, by_phone);
    CHECK(r.events().items()[1].get("notice") ==
          "not sent: the requester has no email address; tell them by phone");
}

TEST_CASE("a ticket's verbs are refused outside their statuses, and change nothing") {
    StoreFixture s;
    std::string id = receive_ticket(s.ctx(), vpn_question()).record.id();
    const std::size_t commits = s.commit_count();
    const std::string before = opsflow::test::read_text(s.store().locate(ticket, id));

    CHECK_THROWS_AS(close_ticket(s.ctx(), id, std::nullopt), RefusedError);
    CHECK_THROWS_AS(reopen_ticket(s.ctx(), id, "why", std::nullopt), RefusedError);
    CHECK_THROWS_WITH_AS(close_ticket(s.ctx(), id, std::nullopt), doctest::Contains("TKT-00000001"),
                         RefusedError);
    // Bad input, before the workflow is asked.
    CHECK_THROWS_AS(answer_ticket(s.ctx(), id, "", NoticeMode::send, std::nullopt), UsageError);
    CHECK_THROWS_AS(note_ticket(s.ctx(), id, "", std::nullopt), UsageError);
    CHECK_THROWS_AS(analyze_ticket(s.ctx(), id, "x", std::string("nobody"), std::nullopt),
                    InvalidDataError);
    // Times: in the future, or before the record's last event.
    CHECK_THROWS_AS(analyze_ticket(s.ctx(), id, "x", std::nullopt, at("2026-03-10T10:00:00+08:00")),
                    UsageError);
    CHECK_THROWS_AS(analyze_ticket(s.ctx(), id, "x", std::nullopt, at("2026-03-10T08:00:00+08:00")),
                    UsageError);
    // IDs: none such, and not an ID at all.
    CHECK_THROWS_AS(close_ticket(s.ctx(), "TKT-0000ffff", std::nullopt), NotFoundError);
    CHECK_THROWS_AS(close_ticket(s.ctx(), "../x", std::nullopt), UsageError);
    CHECK_THROWS_AS(escalate_ticket(s.ctx(), id, Escalation{std::string("huge"), {}, {}}),
                    InvalidDataError);

    CHECK(s.commit_count() == commits);
    CHECK(opsflow::test::read_text(s.store().locate(ticket, id)) == before);

    // Escalated is final: nothing but a note or a reply moves it.
    escalate_ticket(s.ctx(), id, Escalation{});
    CHECK_THROWS_AS(escalate_ticket(s.ctx(), id, Escalation{}), RefusedError);
    CHECK_THROWS_AS(answer_ticket(s.ctx(), id, "late", NoticeMode::suppress, std::nullopt),
                    RefusedError);
    CHECK_THROWS_AS(analyze_ticket(s.ctx(), id, "x", std::nullopt, std::nullopt), RefusedError);
}

TEST_CASE("a new ticket is refused what its settings do not list") {
    StoreFixture s;
    auto refused = [&](auto edit) {
        NewTicket t = vpn_question();
        edit(t);
        return t;
    };
    CHECK_THROWS_AS(receive_ticket(s.ctx(), refused([](NewTicket& t) { t.subject.clear(); })),
                    UsageError);
    CHECK_THROWS_AS(receive_ticket(s.ctx(), refused([](NewTicket& t) { t.requester.clear(); })),
                    UsageError);
    CHECK_THROWS_AS(receive_ticket(s.ctx(), refused([](NewTicket& t) { t.service = "printer"; })),
                    InvalidDataError);
    CHECK_THROWS_AS(receive_ticket(s.ctx(), refused([](NewTicket& t) { t.category = "food"; })),
                    InvalidDataError);
    CHECK_THROWS_AS(receive_ticket(s.ctx(), refused([](NewTicket& t) { t.channel = "fax"; })),
                    InvalidDataError);
    CHECK(s.commit_count() == 2);
    CHECK(s.store().record_files(ticket).empty());
}

TEST_CASE("escalating a ticket opens a linked incident in the same commit") {
    StoreFixture s;
    std::string id = receive_ticket(s.ctx(), vpn_question()).record.id();
    s.advance(std::chrono::minutes(20));
    Change incident =
        escalate_ticket(s.ctx(), id, Escalation{std::string("high"), std::string("high"), {}});
    const std::string inc = incident.record.id();
    CHECK(inc == "INC-00000002");
    Record t = s.load(ticket, id);
    CHECK(t.status() == "escalated");
    CHECK(strings(t.doc().find("links")) == std::vector<std::string>{inc});
    CHECK(t.events().items().back().get("incident") == inc);

    Record i = s.load(RecordKind::incident, inc);
    CHECK(i.status() == "new");
    CHECK(i.field("title") == "VPN asks for a token");
    CHECK(i.field("reporter") == "Ann Lee <ann@example.com>");
    CHECK(i.field("channel") == "ticket");
    CHECK(i.field("service") == "vpn");
    CHECK(i.field("priority") == "P1");
    CHECK(i.field("description") == "Since Monday the VPN client asks for a token.");
    CHECK(strings(i.doc().find("links")) == std::vector<std::string>{id});
    CHECK(i.events().items().front().get("escalated_from") == id);

    // One commit holds both records.
    CHECK(s.subjects().front() == "ticket TKT-00000001: escalated to INC-00000002");
    std::string files = s.git({"show", "--name-only", "--format=", "HEAD"});
    CHECK(files.find("tickets/2026/03/TKT-00000001.yaml") != std::string::npos);
    CHECK(files.find("incidents/2026/03/INC-00000002.yaml") != std::string::npos);
}

TEST_CASE("the ticket list keeps what its filter asks for, oldest first") {
    StoreFixture s;
    std::string first = receive_ticket(s.ctx(), vpn_question()).record.id();
    s.advance(std::chrono::hours(2));
    NewTicket mail = vpn_question();
    mail.subject = "Mailbox full";
    mail.service = "mail";
    mail.category = "email";
    std::string second = receive_ticket(s.ctx(), mail).record.id();
    analyze_ticket(s.ctx(), second, "quota", std::string("lisi"), std::nullopt);
    answer_ticket(s.ctx(), first, "done", NoticeMode::suppress, std::nullopt);
    close_ticket(s.ctx(), first, std::nullopt);

    auto ids = [&](const TicketFilter& f) {
        std::vector<std::string> problems, out;
        for (const auto& r : list_tickets(s.store(), f, problems))
            out.push_back(r.id());
        CHECK(problems.empty());
        return out;
    };
    using List = std::vector<std::string>;
    CHECK(ids({}) == List{first, second});
    TicketFilter open;
    open.open_only = true;
    CHECK(ids(open) == List{second});
    TicketFilter by_service;
    by_service.service = "vpn";
    CHECK(ids(by_service) == List{first});
    TicketFilter by_assignee;
    by_assignee.assignee = "lisi";
    CHECK(ids(by_assignee) == List{second});
    TicketFilter later;
    later.since = at("2026-03-10T10:00:00+08:00");
    CHECK(ids(later) == List{second});
    TicketFilter closed;
    closed.statuses = {"closed"};
    CHECK(ids(closed) == List{first});
}
