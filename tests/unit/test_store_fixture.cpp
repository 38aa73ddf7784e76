// The shared fixture itself: a store made by init_store in a git repository, its
// clock, its ID counter, and its directory gone with it.
#include "opsflow/work/ticket.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace opsflow;
using opsflow::test::at;
using opsflow::test::StoreFixture;
namespace fs = std::filesystem;

TEST_CASE("the fixture is a committed store with a team and services, removed with it") {
    fs::path root;
    {
        StoreFixture s;
        root = s.root();
        CHECK(fs::exists(root / ".git"));
        CHECK(s.subjects() == std::vector<std::string>{"test: team, services and settings",
                                                       "store: initialise opsflow store"});
        CHECK(s.git({"status", "--porcelain"}).empty());
        CHECK(s.store().team().find("lisi")->email == "lisi@example.com");
        CHECK(s.store().services().find("mail")->subscribers ==
              std::vector<std::string>{"all-staff@example.com"});
        CHECK(s.store().settings().timezone == "Asia/Shanghai");
        CHECK(s.store().settings().notify.transport == Transport::none);
        CHECK(s.ctx().actor.id == "wangwu");
    }
    CHECK_FALSE(fs::exists(root));
}

TEST_CASE("the fixture's clock is set and advanced by the test, and its IDs count up") {
    StoreFixture s;
    CHECK(s.ctx().clock() == at("2026-03-10T09:00:00+08:00"));
    s.advance(std::chrono::minutes(90));
    CHECK(s.ctx().clock() == at("2026-03-10T10:30:00+08:00"));

    NewTicket request;
    request.subject = "Printer jammed";
    request.requester = "Ann <ann@example.com>";
    Change first = receive_ticket(s.ctx(), request);
    CHECK(first.record.id() == "TKT-00000001");
    CHECK(first.record.field("received_at") == "2026-03-10T10:30:00+08:00");
    CHECK(receive_ticket(s.ctx(), request).record.id() == "TKT-00000002");
    CHECK(s.subjects().front() == "ticket TKT-00000002: received: Printer jammed");

    // Settings edited: the store is opened again, and the counter goes on.
    s.edit_settings("auto_send: true", "auto_send: false");
    CHECK_FALSE(s.store().settings().survey_auto_send);
    CHECK(receive_ticket(s.ctx(), request).record.id() == "TKT-00000003");
    CHECK(s.git({"status", "--porcelain"}).empty());
}

TEST_CASE("without commits, the fixture's changes are written and not committed") {
    opsflow::test::StoreSetup setup;
    setup.commit = CommitMode::no_commit;
    StoreFixture s(setup);
    NewTicket request;
    request.subject = "Printer jammed";
    request.requester = "Ann <ann@example.com>";
    receive_ticket(s.ctx(), request);
    CHECK(s.commit_count() == 2);
    CHECK(s.git({"status", "--porcelain"}) == "?? tickets/\n");
}
