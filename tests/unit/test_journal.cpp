// Crash recovery (journal.hpp): a change that died after writing its journal and
// some files is rolled back by the next command, or finished when its commit made
// it into HEAD; a journal cut short, or naming a path outside the store, harms nothing.
#include "opsflow/base/error.hpp"
#include "opsflow/work/ticket.hpp"
#include "store/journal.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace opsflow;
using opsflow::test::read_text;
using opsflow::test::StoreFixture;
using opsflow::test::write_text;
namespace fs = std::filesystem;

namespace {

constexpr auto ticket = RecordKind::ticket;

struct Interrupted {
    std::string record;  // relative path of the record the change rewrote
    std::string before;  // its text before
    std::string archive; // relative path of a file the change added
};

// A ticket, then a change to it that died after its journal and its files were
// written (the new file only in part), as a kill between write and commit leaves it.
Interrupted die_while_writing(StoreFixture& s) {
    NewTicket t;
    t.subject = "Printer jammed";
    t.requester = "Ann <ann@example.com>";
    std::string id = receive_ticket(s.ctx(), t).record.id();
    Interrupted i;
    i.record = s.store().display(s.store().locate(ticket, id));
    i.before = read_text(s.root() / i.record);
    i.archive = "notices/2026/03/" + id + "/20260310T010000Z-answer.eml";
    const std::string after = i.before + "# not valid as a record, never committed\n";
    const std::string notice = "Subject: answered\r\n\r\nthe whole notice\r\n";
    ChangeJournal journal({s.root(), s.store().git()},
                          {FileWrite{i.record, after, i.before}, FileWrite{i.archive, notice, {}}},
                          "ticket " + id + ": answered");
    write_text(s.root() / i.record, after);
    write_text(s.root() / i.archive, notice.substr(0, 10));
    return i; // the journal is neither closed nor rolled back: the process "died"
}

} // namespace

TEST_CASE("an interrupted change is rolled back by the next recovery") {
    StoreFixture s;
    Interrupted i = die_while_writing(s);
    const std::size_t commits = s.commit_count();
    CHECK(fs::exists(s.root() / ".opsflow/journal"));

    Store reopened(s.root());
    reopened.recover();
    CHECK(reopened.take_recovery_notes() ==
          std::vector<std::string>{"an interrupted change was rolled back: ticket TKT-00000001: "
                                   "answered"});
    CHECK_FALSE(fs::exists(s.root() / ".opsflow/journal"));
    CHECK(read_text(s.root() / i.record) == i.before);
    CHECK_FALSE(fs::exists(s.root() / i.archive));
    CHECK(s.commit_count() == commits);
    CHECK(s.git({"status", "--porcelain"}).empty());
    // Once only.
    reopened.recover();
    CHECK(reopened.take_recovery_notes().empty());
}

TEST_CASE("the next change recovers first, then runs") {
    StoreFixture s;
    Interrupted i = die_while_writing(s);
    note_ticket(s.ctx(), "TKT-00000001", "called Ann", std::nullopt);
    auto notes = s.store().take_recovery_notes();
    REQUIRE(notes.size() == 1);
    CHECK(notes[0] == "an interrupted change was rolled back: ticket TKT-00000001: answered");
    CHECK(s.actions(ticket, "TKT-00000001") == std::vector<std::string>{"receive", "note"});
    CHECK_FALSE(fs::exists(s.root() / i.archive));
    CHECK(s.subjects().front() == "ticket TKT-00000001: note added");
    CHECK(s.git({"status", "--porcelain"}).empty());
}

TEST_CASE("a change that died after its commit is finished, not rolled back") {
    StoreFixture s;
    NewTicket t;
    t.subject = "Printer jammed";
    t.requester = "Ann <ann@example.com>";
    std::string id = receive_ticket(s.ctx(), t).record.id();
    std::string record = s.store().display(s.store().locate(ticket, id));
    std::string before = read_text(s.root() / record);
    std::string after = before;
    after.replace(after.find("status: new"), 11, "status: analyzing");
    {
        ChangeJournal journal({s.root(), s.store().git()}, {FileWrite{record, after, before}},
                              "ticket " + id + ": analysis noted");
        write_text(s.root() / record, after);
        Git(s.root()).commit({{record},
                              "ticket " + id + ": analysis noted",
                              "ticket.analyze",
                              id,
                              "Wang Wu",
                              "wangwu@example.com"});
    } // died before removing the journal
    Store reopened(s.root());
    reopened.recover();
    auto notes = reopened.take_recovery_notes();
    REQUIRE_FALSE(notes.empty());
    CHECK(notes[0] == "an interrupted change had been committed: ticket TKT-00000001: analysis "
                      "noted");
    CHECK(read_text(s.root() / record) == after);
    CHECK(s.subjects().front() == "ticket TKT-00000001: analysis noted");
    CHECK_FALSE(fs::exists(s.root() / ".opsflow/journal"));
    CHECK(s.git({"status", "--porcelain"}).empty());
}

TEST_CASE("a journal cut short or pointing outside the store changes nothing it should not") {
    StoreFixture s;
    // Cut short: its change never began.
    write_text(s.root() / ".opsflow/journal", "opsflow journal 1\nS 40\nticket TKT-0");
    Store reopened(s.root());
    reopened.recover();
    CHECK(reopened.take_recovery_notes() ==
          std::vector<std::string>{"removed the journal of a change that died before it began"});
    CHECK_FALSE(fs::exists(s.root() / ".opsflow/journal"));

    // Whole, but one path leads out of the store: that file is never touched. (Through
    // Store, git refuses the path when the change is unstaged, so the journal stays and
    // every later command says it is not recovered yet: see the report of issue 26.)
    const fs::path outside = s.root().parent_path() / (s.root().filename().string() + "-outside");
    write_text(outside, "kept\n");
    std::string path = "../" + outside.filename().string();
    std::string journal = "opsflow journal 1\nS 4\nevil\n" +
                          fmt::format("F {} 3 8\n{}old{}\n", path.size(), path, "replaced");
    write_text(s.root() / ".opsflow/journal", journal);
    CHECK(recover_interrupted_change({s.root(), std::nullopt}) ==
          std::vector<std::string>{"an interrupted change was rolled back: evil"});
    CHECK(read_text(outside) == "kept\n");
    CHECK_FALSE(fs::exists(s.root() / ".opsflow/journal"));

    write_text(s.root() / ".opsflow/journal", journal);
    reopened.recover();
    CHECK(read_text(outside) == "kept\n");
    auto notes = reopened.take_recovery_notes();
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].starts_with("an interrupted change is not recovered yet: git ls-files failed"));
    CHECK(fs::exists(s.root() / ".opsflow/journal"));
    fs::remove(outside);

    // A journal left in place refuses the next change's journal rather than lose it.
    write_text(s.root() / ".opsflow/journal", journal);
    CHECK_THROWS_WITH_AS(ChangeJournal({s.root(), std::nullopt}, {}, "another"),
                         doctest::Contains("exists already"), RuntimeError);
    CHECK(read_text(s.root() / ".opsflow/journal") == journal);
}
