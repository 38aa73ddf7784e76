// Delivering notices without a network: the sendmail transport to a script that
// keeps what it is given, a sendmail that fails (recorded, then retried), and the
// archive-only transport. (SMTP and webhooks need a server: tests/e2e.)
#include "opsflow/base/environment.hpp"
#include "opsflow/notice/notify.hpp"
#include "opsflow/notice/transport.hpp"
#include "opsflow/work/ticket.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

using namespace opsflow;
using opsflow::test::read_text;
using opsflow::test::StoreFixture;
using opsflow::test::StoreSetup;
using opsflow::test::TempDir;
using opsflow::test::write_text;
namespace fs = std::filesystem;

namespace {

// A sendmail that writes its arguments and its standard input next to itself, and
// fails (exit 75, a word on stderr) while a file `fail` is there.
fs::path fake_sendmail(const fs::path& dir) {
    fs::path script = dir / "sendmail";
    write_text(script, "#!/bin/sh\n"
                       "d=$(dirname \"$0\")\n"
                       "if [ -e \"$d/fail\" ]; then echo 'queue full' >&2; exit 75; fi\n"
                       "printf '%s\\n' \"$@\" > \"$d/args\"\n"
                       "cat > \"$d/message\"\n");
    ::chmod(script.c_str(), 0755);
    return script;
}

NewTicket question() {
    NewTicket t;
    t.subject = "Printer jammed";
    t.requester = "Ann <ann@example.com>";
    return t;
}

} // namespace

TEST_CASE("the sendmail transport pipes the message to the program, recipients as arguments") {
    TempDir dir;
    NotifyConfig config;
    config.transport = Transport::sendmail;
    config.sendmail = {fake_sendmail(dir.path()).string(), "-i"};
    Outgoing out{
        "ops@example.com", {"ann@example.com", "bob@example.com"}, "Subject: x\r\n\r\nhi\r\n", {}};
    Delivery d = deliver(config, out, Environment{});
    CHECK(d.ok);
    CHECK(d.error.empty());
    CHECK(read_text(dir.path() / "args") ==
          "-i\n-f\nops@example.com\n--\nann@example.com\nbob@example.com\n");
    CHECK(read_text(dir.path() / "message") == out.mime);

    // A command line that sets the envelope sender itself keeps it.
    config.sendmail.push_back("-fbounce@example.com");
    CHECK(deliver(config, out, Environment{}).ok);
    CHECK(read_text(dir.path() / "args") ==
          "-i\n-fbounce@example.com\n--\nann@example.com\nbob@example.com\n");

    write_text(dir.path() / "fail", "");
    Delivery failed = deliver(config, out, Environment{});
    CHECK_FALSE(failed.ok);
    CHECK(failed.error == (dir.path() / "sendmail").string() + " exited with 75: queue full");

    NotifyConfig none;
    CHECK(deliver(none, out, Environment{}).ok); // archive only: nothing to do
    CHECK(transport_name(Transport::sendmail) == "sendmail");
}

TEST_CASE("a notice delivered by sendmail is recorded sent; a failed one, failed, then retried") {
    TempDir mta;
    const fs::path sendmail = fake_sendmail(mta.path());
    StoreSetup setup;
    setup.settings_edits = {
        {"transport: none", "transport: sendmail\n  sendmail: [\"" + sendmail.string() + "\"]"}};
    StoreFixture s(setup);
    CHECK(s.store().settings().notify.transport == Transport::sendmail);
    std::string id = receive_ticket(s.ctx(), question()).record.id();
    s.edit_settings("auto_send: true", "auto_send: false");

    write_text(mta.path() / "fail", "");
    NoticeRun run = answer_ticket(s.ctx(), id, "Open tray 2.", NoticeMode::send, std::nullopt);
    REQUIRE(run.deliveries.size() == 1);
    CHECK_FALSE(run.deliveries[0].delivery.ok);
    Record r = s.load(RecordKind::ticket, id);
    const Node& notice = r.doc().find("notices")->items().front();
    CHECK(notice.get("transport") == "sendmail");
    CHECK(notice.get("delivery") == "failed");
    CHECK(notice.get("attempts") == "1");
    CHECK(notice.get("error") == sendmail.string() + " exited with 75: queue full");
    CHECK(failed_notice(r) == notice.get("message_id"));
    CHECK(s.subjects().front() == "ticket " + id + ": notice delivery failed: " +
                                      sendmail.string() + " exited with 75: queue full");

    fs::remove(mta.path() / "fail");
    NoticeRun retried = retry_notices(s.ctx(), RecordKind::ticket, id);
    REQUIRE(retried.deliveries.size() == 1);
    CHECK(retried.deliveries[0].delivery.ok);
    const Node& sent = retried.change.record.doc().find("notices")->items().front();
    CHECK(sent.get("delivery") == "sent");
    CHECK(sent.get("attempts") == "2");
    CHECK_FALSE(sent.get("error"));
    CHECK(s.subjects().front() == "ticket " + id + ": notice delivered to 1 recipient");
    // What the MTA got is the archived message, byte for byte.
    CHECK(read_text(mta.path() / "message") == read_text(s.root() / *sent.get("file")));
    CHECK_FALSE(failed_notice(retried.change.record));
    // Nothing is left to retry.
    CHECK(retry_notices(s.ctx(), RecordKind::ticket, id).deliveries.empty());
}
