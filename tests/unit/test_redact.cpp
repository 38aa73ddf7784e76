// Redaction (`--redact`): people of team.yaml, reporters, requesters, every e-mail
// address and phone number replaced by stable pseudonyms.
#include "opsflow/report/redact.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/incident.hpp"
#include "opsflow/work/ticket.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace opsflow;
using opsflow::test::StoreFixture;

TEST_CASE("names, addresses and phone numbers become stable pseudonyms") {
    StoreFixture s;
    NewIncident n;
    n.title = "Mail down";
    n.reporter = "Zhao Liu <zhao@example.org>";
    report_incident(s.ctx(), n);
    Redactor redactor(s.store(), load_facts(s.store(), {RecordKind::incident}));

    CHECK(redactor.apply("Zhao Liu (zhao@example.org, 13812345678) called Li Si.") ==
          "person-1 (email-1, phone-1) called person-2.");
    // The same value, the same pseudonym; another, the next one.
    CHECK(redactor.apply("Li Si wrote to zhao@example.org and to chen@example.com") ==
          "person-2 wrote to email-1 and to email-2");
    // Team ids as whole words only: `lisi` is a person, `lisinopril` is not.
    CHECK(redactor.apply("lisi ordered lisinopril") == "person-3 ordered lisinopril");
    CHECK(redactor.apply("nothing personal here") == "nothing personal here");
}

TEST_CASE("the requesters of tickets are known as the reporters of incidents are") {
    StoreFixture s;
    NewTicket t;
    t.subject = "Printer jams";
    t.requester = "Sun Ba <sun@example.net>";
    t.channel = "email";
    t.question = "Sun Ba's printer jams on every page.";
    receive_ticket(s.ctx(), t);
    Redactor redactor(s.store(), load_facts(s.store(), {RecordKind::incident, RecordKind::ticket}));
    CHECK(redactor.apply("Sun Ba's printer") == "person-1's printer");
}
