// Importing records from other systems (import_records) on a temporary store: CSV
// and JSON Lines rows become records in one commit; a single bad row refuses the
// whole file and changes nothing; a dry run writes nothing; an export reads back.
#include "opsflow/base/error.hpp"
#include "opsflow/transfer/transfer.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace opsflow;
using opsflow::test::StoreFixture;

namespace {

constexpr auto ticket = RecordKind::ticket;

const std::string header = "subject,status,requester,channel,received_at,service\n";

std::string messages_of(const InvalidDataError& e) {
    std::string out;
    for (const auto& d : e.diagnostics())
        out += d.to_string() + "\n";
    return out.empty() ? std::string(e.what()) : out;
}

} // namespace

TEST_CASE("CSV rows become records, in one commit, their ids kept or made") {
    StoreFixture s;
    std::string csv = header +
                      "Printer jammed,new,Ann <ann@example.com>,email,2026-03-09 10:00,\n"
                      "VPN token,new,Bob <bob@example.com>,phone,2026-03-09T11:00:00+08:00,vpn\n";
    ImportResult r =
        import_records(s.ctx(), ticket, csv, TransferFormat::csv, "helpdesk.csv", false);
    CHECK(r.committed);
    REQUIRE(r.ids.size() == 2);
    CHECK(r.summary.english == "imported 2 ticket records from helpdesk.csv");
    CHECK(s.subjects().front().find("imported 2 ticket records from helpdesk.csv") !=
          std::string::npos);
    CHECK(s.commit_count() == 3);
    Record first = s.load(ticket, r.ids[0]);
    CHECK(first.field("subject") == "Printer jammed");
    CHECK(first.field("received_at") == "2026-03-09T10:00:00+08:00");
    CHECK(first.events().items().size() == 1);
    CHECK(first.events().items().front().get("action") == "import");
    Record second = s.load(ticket, r.ids[1]);
    CHECK(second.field("service") == "vpn");
    CHECK(second.field("channel") == "phone");
    CHECK(s.git({"status", "--porcelain"}).empty());

    // An id from the other system that is a valid one is kept.
    ImportResult kept = import_records(
        s.ctx(), ticket,
        "id," + header + "TKT-0badcafe,Mail,new,Cy <cy@example.com>,email,2026-03-09 12:00,mail\n",
        TransferFormat::csv, "old.csv", false);
    CHECK(kept.ids == std::vector<std::string>{"TKT-0badcafe"});
    CHECK(s.load(ticket, "TKT-0badcafe").field("requester") == "Cy <cy@example.com>");
}

TEST_CASE("one bad row refuses the whole file, and changes nothing") {
    StoreFixture s;
    const std::size_t commits = s.commit_count();
    std::string csv = header +
                      "Printer jammed,new,Ann <ann@example.com>,email,2026-03-09 10:00,\n" +
                      "VPN token,new,Bob <bob@example.com>,phone,2026-03-09 11:00,printer\n" +
                      "Mail,lost,Cy <cy@example.com>,email,2026-03-09 12:00,\n";
    try {
        import_records(s.ctx(), ticket, csv, TransferFormat::csv, "helpdesk.csv", false);
        FAIL("the import was not refused");
    } catch (const InvalidDataError& e) {
        std::string said = messages_of(e);
        CAPTURE(said);
        CHECK(said.find("helpdesk.csv:3") != std::string::npos); // the unknown service
        CHECK(said.find("printer") != std::string::npos);
        CHECK(said.find("helpdesk.csv:4") != std::string::npos); // the unknown status
        CHECK(said.find("helpdesk.csv:2") == std::string::npos); // the good row
    }
    CHECK(s.commit_count() == commits);
    CHECK(s.store().record_files(ticket).empty());
    CHECK(s.git({"status", "--porcelain"}).empty());

    // An unknown column, too.
    CHECK_THROWS_AS(import_records(s.ctx(), ticket, "subject,colour\nx,red\n", TransferFormat::csv,
                                   "x.csv", false),
                    InvalidDataError);
    CHECK(s.store().record_files(ticket).empty());
}

TEST_CASE("JSON Lines import, a dry run, and an export that reads back") {
    StoreFixture s;
    std::string jsonl =
        R"({"subject": "Printer jammed", "status": "new", "requester": "Ann <ann@example.com>", "channel": "email", "received_at": "2026-03-09T10:00:00+08:00"})"
        "\n";
    ImportResult dry =
        import_records(s.ctx(), ticket, jsonl, TransferFormat::jsonl, "in.jsonl", true);
    CHECK_FALSE(dry.committed);
    CHECK(dry.ids.size() == 1);
    CHECK(s.store().record_files(ticket).empty());
    CHECK(s.commit_count() == 2);

    ImportResult real =
        import_records(s.ctx(), ticket, jsonl, TransferFormat::jsonl, "in.jsonl", false);
    REQUIRE(real.ids.size() == 1);
    std::string exported;
    std::vector<std::string> problems;
    ExportOptions options;
    options.kind = ticket;
    options.format = TransferFormat::jsonl;
    export_records(
        s.store(), options, [&](std::string_view row) { exported += row; }, problems);
    CHECK(problems.empty());
    CHECK(exported.find("\"id\":\"" + real.ids[0] + "\"") != std::string::npos);
    CHECK(exported.find("\"subject\":\"Printer jammed\"") != std::string::npos);

    // Into another store, the export is the same record.
    StoreFixture other;
    ImportResult again =
        import_records(other.ctx(), ticket, exported, TransferFormat::jsonl, "export.jsonl", false);
    REQUIRE(again.ids == real.ids);
    CHECK(other.load(ticket, real.ids[0]).render() == s.load(ticket, real.ids[0]).render());

    CHECK_THROWS_AS(format_of_file("records.xlsx"), UsageError);
    CHECK(format_of_file("records.ndjson") == TransferFormat::jsonl);
}
