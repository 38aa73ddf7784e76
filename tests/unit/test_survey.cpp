// Satisfaction surveys on a temporary store: a request on an answered ticket, an
// answer recorded (and replaced only when asked), the refusals, the CSV import that
// is all or nothing, and parse_score.
#include "opsflow/base/error.hpp"
#include "opsflow/work/survey.hpp"
#include "opsflow/work/ticket.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace opsflow;
using opsflow::test::StoreFixture;
using opsflow::test::write_text;

namespace {

constexpr auto ticket = RecordKind::ticket;

// An answered ticket (its answer sent no notice, so no survey went with it).
std::string answered(StoreFixture& s, const std::string& subject) {
    NewTicket t;
    t.subject = subject;
    t.requester = "Ann <ann@example.com>";
    std::string id = receive_ticket(s.ctx(), t).record.id();
    answer_ticket(s.ctx(), id, "Done.", NoticeMode::suppress, std::nullopt);
    return id;
}

} // namespace

TEST_CASE("a survey is sent on an answered ticket, answered once, replaced only when asked") {
    StoreFixture s;
    NewTicket t;
    t.subject = "Printer";
    t.requester = "Ann <ann@example.com>";
    std::string fresh = receive_ticket(s.ctx(), t).record.id();
    CHECK_THROWS_WITH_AS(
        send_survey(s.ctx(), fresh, std::nullopt),
        doctest::Contains("surveys follow a closed incident or an answered ticket"), RefusedError);

    std::string id = answered(s, "Mailbox full");
    s.advance(std::chrono::minutes(10));
    NoticeRun run = send_survey(s.ctx(), id, std::nullopt);
    REQUIRE(run.deliveries.size() == 1);
    Record r = s.load(ticket, id);
    CHECK(r.doc().find("survey")->get("sent_at") == "2026-03-10T09:10:00+08:00");
    CHECK(r.doc().find("notices")->items().front().get("purpose") == "survey");
    CHECK(s.subjects().front() == "ticket " + id + ": survey request sent");

    record_survey(s.ctx(), id, 4, std::string("quick"), AnswerPolicy::first_only, std::nullopt);
    r = s.load(ticket, id);
    CHECK(r.doc().find("survey")->get("score") == "4");
    CHECK(r.doc().find("survey")->get("comment") == "quick");
    CHECK(s.subjects().front() == "ticket " + id + ": survey answer recorded: 4/5");

    CHECK_THROWS_WITH_AS(
        record_survey(s.ctx(), id, 2, std::nullopt, AnswerPolicy::first_only, std::nullopt),
        doctest::Contains("already has a survey answer (score 4)"), RefusedError);
    CHECK_THROWS_AS(
        record_survey(s.ctx(), id, 6, std::nullopt, AnswerPolicy::replace, std::nullopt),
        UsageError);
    record_survey(s.ctx(), id, 2, std::nullopt, AnswerPolicy::replace, std::nullopt);
    r = s.load(ticket, id);
    CHECK(r.doc().find("survey")->get("score") == "2");
    CHECK_FALSE(r.doc().find("survey")->get("comment"));
    CHECK(r.events().items().back().get("replaces_score") == "4");
    CHECK(s.actions(ticket, id) == std::vector<std::string>{"receive", "answer", "survey_sent",
                                                            "survey_answered", "survey_answered"});
    std::vector<std::string> problems;
    auto listed = list_surveys(s.store(), problems);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].id() == id);
}

TEST_CASE("a survey import is all or nothing") {
    StoreFixture s;
    std::string first = answered(s, "Mailbox full");
    std::string second = answered(s, "VPN");
    const std::size_t commits = s.commit_count();
    const auto csv = s.root() / "answers.csv";

    // One bad row (a score of 7): nothing is written.
    write_text(csv, "id,score,comment,answered_at\n" + first + ",5,great,\n" + second + ",7,,\n");
    try {
        import_surveys(s.ctx(), csv);
        FAIL("the import was not refused");
    } catch (const InvalidDataError& e) {
        REQUIRE(e.diagnostics().size() == 1);
        CHECK(e.diagnostics()[0].file == "answers.csv");
        CHECK(e.diagnostics()[0].line == 3);
    }
    CHECK(s.commit_count() == commits);
    CHECK(s.load(ticket, first).doc().find("survey") == nullptr);

    write_text(csv, "id,score,comment,answered_at\n" + first + ",5,great,\n" + second +
                        ",3,\"slow, but done\",2026-03-10T09:00:00+08:00\n");
    CHECK(import_surveys(s.ctx(), csv) == 2);
    CHECK(s.load(ticket, first).doc().find("survey")->get("score") == "5");
    Record r = s.load(ticket, second);
    CHECK(r.doc().find("survey")->get("comment") == "slow, but done");
    CHECK(r.doc().find("survey")->get("answered_at") == "2026-03-10T09:00:00+08:00");
    CHECK(s.commit_count() == commits + 1);
    CHECK(s.subjects().front() ==
          "ticket " + first + ": 2 survey answers imported from answers.csv");

    // A second import of the same answers is refused row by row.
    CHECK_THROWS_AS(import_surveys(s.ctx(), csv), InvalidDataError);
    write_text(csv, "id,score\n");
    CHECK_THROWS_AS(import_surveys(s.ctx(), csv), InvalidDataError);
}

TEST_CASE("a score is a whole number from 1 to 5") {
    CHECK(parse_score("1") == 1);
    CHECK(parse_score("5") == 5);
    CHECK_THROWS_AS(parse_score("0"), UsageError);
    CHECK_THROWS_AS(parse_score("6"), UsageError);
    CHECK_THROWS_AS(parse_score("4.5"), UsageError);
    CHECK_THROWS_AS(parse_score(""), UsageError);
}
