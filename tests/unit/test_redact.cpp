// Redaction (`--redact`): people of team.yaml, reporters, every e-mail address and
// phone number replaced by stable pseudonyms.
#include "opsflow/report/redact.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/incident.hpp"
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

    // A requester of a ticket is added by the caller (export does it for every record).
    CHECK(redactor.apply("Qian Qi asked") == "Qian Qi asked");
    redactor.add_person("Qian Qi <qian@example.net>");
    CHECK(redactor.apply("Qian Qi asked") == "person-4 asked");
    redactor.add_person("+86 10 1234 5678"); // a phone number is not a name
    CHECK(redactor.apply("Qian Qi asked") == "person-4 asked");
}
