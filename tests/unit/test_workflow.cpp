// Workflows run through the core API on a temporary store, with a fixed clock and
// seeded IDs: every incident verb's transitions and refusals against the workflow
// table, a history replayed through it, Batch's rollback, the query index after a
// change, and routing.
#include "base/checksum.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/store/init.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/incident.hpp"
#include "opsflow/work/routing.hpp"
#include "store/index_codec.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

using namespace opsflow;
namespace fs = std::filesystem;

namespace {

Timestamp at(const char* text) {
    return *parse_rfc3339(text);
}

// A store in a temporary directory, made by init_store (its hooks call `true`).
class TempStore {
  public:
    TempStore() {
        root_ =
            fs::temp_directory_path() / ("opsflow-unit-" + std::to_string(std::random_device{}()));
        init_store(root_, "Asia/Shanghai", Language::en, "/bin/true");
        std::ofstream(root_ / "team.yaml") << R"(people:
  - {id: lisi, name: Li Si, email: lisi@example.com, roles: [technician]}
  - {id: chen, name: Chen, email: chen@example.com, roles: [technician]}
  - {id: wangwu, name: Wang Wu, email: wangwu@example.com, roles: [lead]}
teams:
  mail: [lisi, chen]
)";
        std::ofstream(root_ / "services.yaml") << R"(services:
  - {id: mail, name: Mail, owner: lisi, criticality: high, subscribers: []}
)";
        std::string settings;
        {
            std::ifstream in(root_ / "opsflow.yaml");
            settings.assign(std::istreambuf_iterator<char>(in), {});
        }
        auto routing = settings.find("routing: []");
        REQUIRE(routing != std::string::npos);
        settings.replace(routing, 11, "routing:\n  - {service: mail, assign: \"team:mail\"}");
        std::ofstream(root_ / "opsflow.yaml") << settings;
        store_.emplace(root_);
    }
    ~TempStore() {
        std::error_code ignored;
        fs::remove_all(root_, ignored);
    }
    Store& store() { return *store_; }
    const fs::path& root() const { return root_; }

  private:
    fs::path root_;
    std::optional<Store> store_;
};

// A context with a fixed clock and seeded IDs; no commits unless asked.
Context context(Store& store, CommitMode mode = CommitMode::no_commit) {
    auto ids = std::make_shared<std::mt19937>(42);
    return Context{store, Actor{"wangwu", "Wang Wu", "wangwu@example.com"},
                   [] { return at("2026-03-10T12:00:00+08:00"); }, mode,
                   [ids] { return (*ids)(); }};
}

NewIncident mail_down() {
    NewIncident n;
    n.title = "Mail down";
    n.classification.service = "mail";
    n.classification.category = "email";
    n.classification.impact = "high";
    n.classification.urgency = "medium";
    n.reporter = "Ann <ann@example.com>";
    n.at = at("2026-03-10T09:00:00+08:00");
    return n;
}

std::string status_of(Store& store, const std::string& id) {
    return store.load(RecordKind::incident, store.locate(RecordKind::incident, id)).status();
}

// An index file's text edited by hand and sealed again as opsflow seals it
// (checksum.hpp): what these tests look at is what a sound index says.
std::string resealed(std::string text) {
    REQUIRE(text.size() > checksum::trailer_size);
    REQUIRE(text.compare(text.size() - checksum::trailer_size, 6, "xxh64 ") == 0);
    text.resize(text.size() - checksum::trailer_size);
    checksum::seal(text);
    return text;
}

} // namespace

TEST_CASE("an incident's verbs move it along the workflow table, and its history replays") {
    TempStore temp;
    Context ctx = context(temp.store());
    std::string id = report_incident(ctx, mail_down()).record.id();
    CHECK(status_of(temp.store(), id) == "new");
    assign_incident(ctx, id, AssignMode::person, "lisi", std::nullopt,
                    at("2026-03-10T09:05:00+08:00"));
    CHECK(status_of(temp.store(), id) == "assigned");
    diagnose_incident(ctx, id, "queue full", at("2026-03-10T09:20:00+08:00"));
    CHECK(status_of(temp.store(), id) == "diagnosing");
    fix_incident(ctx, id, "flushed", std::nullopt, at("2026-03-10T09:40:00+08:00"));
    CHECK(status_of(temp.store(), id) == "resolved");
    verify_incident(ctx, id, VerifyResult::failed, std::string("still slow"),
                    at("2026-03-10T09:50:00+08:00"));
    CHECK(status_of(temp.store(), id) == "diagnosing");
    fix_incident(ctx, id, "flushed again", std::nullopt, at("2026-03-10T10:00:00+08:00"));
    verify_incident(ctx, id, VerifyResult::passed, std::nullopt, at("2026-03-10T10:10:00+08:00"));
    close_incident(ctx, id, std::string("mail works"), NoticeMode::suppress,
                   at("2026-03-10T10:20:00+08:00"));
    Record closed =
        temp.store().load(RecordKind::incident, temp.store().locate(RecordKind::incident, id));
    CHECK(closed.status() == "closed");
    Replay replay = replay_workflow(closed);
    CHECK(replay.problems.empty());
    CHECK(replay.status == "closed");
    CHECK(closed.events().items().size() == 8);
}

TEST_CASE("every governed incident verb is refused exactly outside the statuses it starts from") {
    TempStore temp;
    Context ctx = context(temp.store());
    const Workflow& workflow = workflow_of(RecordKind::incident);
    std::string id = report_incident(ctx, mail_down()).record.id();
    Record record =
        temp.store().load(RecordKind::incident, temp.store().locate(RecordKind::incident, id));
    // (clang 14 cannot capture a structured binding, which CAPTURE does.)
    for (const auto& entry : workflow.steps) {
        const std::string_view verb = entry.first;
        const Step& step = entry.second;
        if (step.kind != Step::Kind::governed) continue;
        for (auto status : workflow.statuses) {
            record.doc().set("status", Node::string(std::string(status)));
            bool allowed = std::find(step.from.begin(), step.from.end(), status) != step.from.end();
            CAPTURE(verb);
            CAPTURE(status);
            if (allowed)
                CHECK_NOTHROW(workflow.require(record, verb));
            else
                CHECK_THROWS_AS(workflow.require(record, verb), RefusedError);
        }
    }
}

TEST_CASE("a refused step changes nothing and says what to run next") {
    TempStore temp;
    Context ctx = context(temp.store());
    std::string id = report_incident(ctx, mail_down()).record.id();
    fs::path file = temp.store().locate(RecordKind::incident, id);
    std::ifstream before_in(file);
    std::string before((std::istreambuf_iterator<char>(before_in)), {});
    try {
        close_incident(ctx, id, std::string("done"), NoticeMode::suppress, std::nullopt);
        FAIL("close of a new incident was not refused");
    } catch (const RefusedError& e) {
        CHECK(std::string(e.what()) == "cannot close " + id +
                                           ": it is 'new', not yet assigned (run: opsflow "
                                           "incident assign " +
                                           id + " --to PERSON)");
    }
    CHECK_THROWS_AS(fix_incident(ctx, id, "x", std::nullopt, std::nullopt), RefusedError);
    std::ifstream after_in(file);
    CHECK(std::string((std::istreambuf_iterator<char>(after_in)), {}) == before);
}

TEST_CASE("a batch whose commit fails puts every file back") {
    TempStore temp;
    // A pre-commit hook that refuses every commit.
    std::ofstream(temp.root() / ".git" / "hooks" / "pre-commit") << "#!/bin/sh\nexit 1\n";
    Context ctx = context(temp.store(), CommitMode::commit);
    CHECK_THROWS(report_incident(ctx, mail_down()));
    CHECK(temp.store().record_files(RecordKind::incident).empty());
}

TEST_CASE("the query index sees a change made through the core and a record removed by hand") {
    TempStore temp;
    Context ctx = context(temp.store());
    std::string first = report_incident(ctx, mail_down()).record.id();
    std::string second = report_incident(ctx, mail_down()).record.id();
    CHECK(first != second); // seeded, but never the same ID twice
    auto facts = load_facts(temp.store(), {RecordKind::incident});
    REQUIRE(facts.incidents.size() == 2);
    assign_incident(ctx, first, AssignMode::person, "chen", std::nullopt, std::nullopt);
    fs::remove(temp.store().locate(RecordKind::incident, second));
    facts = load_facts(temp.store(), {RecordKind::incident});
    REQUIRE(facts.incidents.size() == 1);
    CHECK(facts.incidents[0].id == first);
    CHECK(facts.incidents[0].status == "assigned");
    CHECK(facts.incidents[0].assignee == "chen");
}

TEST_CASE("the open scope of the query index leaves out closed and cancelled incidents only") {
    TempStore temp;
    Context ctx = context(temp.store());
    std::string open = report_incident(ctx, mail_down()).record.id();
    std::string held = report_incident(ctx, mail_down()).record.id();
    std::string cancelled = report_incident(ctx, mail_down()).record.id();
    hold_incident(ctx, held, "waiting for the vendor", std::nullopt);
    cancel_incident(ctx, cancelled, "reported twice", std::nullopt, std::nullopt);
    for (int pass = 0; pass < 2; ++pass) { // the index written, then read back
        auto all = load_facts(temp.store(), {RecordKind::incident});
        auto still_open = load_facts(temp.store(), {RecordKind::incident}, FactsScope::open);
        CHECK(all.incidents.size() == 3);
        std::vector<std::string> ids;
        for (const auto& i : still_open.incidents)
            ids.emplace_back(i.id);
        std::sort(ids.begin(), ids.end());
        std::vector<std::string> expected{open, held};
        std::sort(expected.begin(), expected.end());
        CHECK(ids == expected);
        for (const auto& i : still_open.incidents)
            CHECK(!i.title.empty()); // decoded whole
    }
}

TEST_CASE("an index line that does not decode is read again, and kept out if no longer in scope") {
    TempStore temp;
    Context ctx = context(temp.store());
    std::string open = report_incident(ctx, mail_down()).record.id();
    std::string cancelled = report_incident(ctx, mail_down()).record.id();
    cancel_incident(ctx, cancelled, "reported twice", std::nullopt, std::nullopt);
    // Stamps written within the file system's granularity are not trusted (racily
    // clean); past it, the index's facts are used as they are.
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    REQUIRE(load_facts(temp.store(), {RecordKind::incident}).incidents.size() == 2);
    // The cancelled incident's line now says `new`, and is cut short after its status.
    fs::path index = temp.root() / ".opsflow/index/incidents/2026/03";
    std::string text;
    {
        std::ifstream in(index);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto line = text.find("\t" + cancelled + "\t");
    REQUIRE(line != std::string::npos);
    std::size_t status = line;
    for (int field = 0; field < 2; ++field)
        status = text.find('\t', status + 1);
    auto status_end = text.find('\t', status + 1);
    REQUIRE(text.substr(status + 1, status_end - status - 1) == "cancelled");
    text.replace(status + 1, text.find('\n', status) - status - 1, "new");
    std::ofstream(index) << resealed(text);

    auto still_open = load_facts(temp.store(), {RecordKind::incident}, FactsScope::open);
    REQUIRE(still_open.incidents.size() == 1);
    CHECK(still_open.incidents[0].id == open);
    CHECK(still_open.problems.empty());
    auto all = load_facts(temp.store(), {RecordKind::incident});
    REQUIRE(all.incidents.size() == 2);
    CHECK(std::count_if(all.incidents.begin(), all.incidents.end(),
                        [](const auto& i) { return i.status == "cancelled"; }) == 1);
}

TEST_CASE("a list is sorted by report time, then ID; equal ones keep their order") {
    std::vector<IncidentFacts> facts(6);
    const char* ids[] = {"INC-6", "INC-2", "INC-9", "INC-1", "INC-2", "INC-3"};
    const char* times[] = {"2026-03-10T09:00:00Z", "2026-03-10T08:00:00Z", "2026-03-09T08:00:00Z",
                           "2026-03-10T08:00:00Z", "2026-03-10T08:00:00Z", "2026-03-11T08:00:00Z"};
    const char* titles[] = {"a", "b", "c", "d", "e", "f"};
    for (std::size_t k = 0; k < facts.size(); ++k) {
        facts[k].id = ids[k];
        facts[k].reported = at(times[k]);
        facts[k].title = titles[k];
        facts[k].status = "new";
    }
    std::string order;
    for (const auto& f : filter_incidents(facts, IncidentFilter{}))
        order += f.title;
    CHECK(order == "cdbeaf"); // INC-2 (b) before its duplicate (e), as they came
}

TEST_CASE("routing gives a team's incident to its member with the fewest open incidents") {
    TempStore temp;
    Context ctx = context(temp.store());
    std::string first = report_incident(ctx, mail_down()).record.id();
    assign_incident(ctx, first, AssignMode::person, "lisi", std::nullopt, std::nullopt);
    CHECK(route_incident(temp.store(), "email", "mail") == "chen");
    std::string second = report_incident(ctx, mail_down()).record.id();
    assign_incident(ctx, second, AssignMode::automatic, "", std::nullopt, std::nullopt);
    CHECK(temp.store()
              .load(RecordKind::incident, temp.store().locate(RecordKind::incident, second))
              .field("assignee") == "chen");
    // A closed incident no longer counts: lisi's is cancelled, and she is free again.
    cancel_incident(ctx, first, "false alarm", std::nullopt, std::nullopt);
    CHECK(route_incident(temp.store(), "email", "mail") == "lisi");
}

TEST_CASE("a scope is read from an index line's status or Message-IDs alone") {
    IncidentFacts incident;
    incident.id = "INC-3f9a1c2e", incident.title = "VPN\tdown", incident.status = "closed";
    TicketFacts ticket;
    ticket.id = "TKT-3f9a1c2e", ticket.status = "answered";
    auto line = [](const auto& facts) { return index_codec::serialize(facts); };
    CHECK(!index_codec::in_scope(FactsScope::open, RecordKind::incident, line(incident)));
    CHECK(index_codec::in_scope(FactsScope::all, RecordKind::incident, line(incident)));
    incident.status = "on_hold";
    CHECK(index_codec::in_scope(FactsScope::open, RecordKind::incident, line(incident)));
    CHECK(index_codec::in_scope(FactsScope::open, RecordKind::ticket, line(ticket)));
    ticket.status = "closed";
    CHECK(!index_codec::in_scope(FactsScope::open, RecordKind::ticket, line(ticket)));
    CHECK(!index_codec::in_scope(FactsScope::mailed, RecordKind::ticket, line(ticket)));
    ticket.mail_ids = {"a@example.com"};
    CHECK(index_codec::in_scope(FactsScope::mailed, RecordKind::ticket, line(ticket)));
    CHECK(!index_codec::in_scope(FactsScope::mailed, RecordKind::incident, line(incident)));
    incident.mail_ids = {"b@example.com", "c@example.com"};
    CHECK(index_codec::in_scope(FactsScope::mailed, RecordKind::incident, line(incident)));
    // Too short to tell: in scope, so that decoding it reports the damage.
    CHECK(index_codec::in_scope(FactsScope::open, RecordKind::incident, "INC-1\tno status"));
}

TEST_CASE("an index line reads back the facts it was written from, wherever its tabs fall") {
    // Titles of every length from 0 to 40 bytes move every later tab through every
    // place in an 8-byte word; some hold the characters that must be escaped.
    for (std::size_t length = 0; length <= 40; ++length) {
        std::string title(length, 'x');
        if (length > 3) title[length / 2] = "\t\\\n"[length % 3];
        IncidentFacts in;
        in.id = "INC-3f9a1c2e", in.title = title, in.status = "on_hold", in.priority = "P2";
        in.service = "mail", in.category = "邮件", in.channel = "email", in.assignee = "";
        in.impact = "high", in.urgency = "low", in.reporter = "Ann <ann@example.com>";
        in.reported = at("2026-03-10T09:00:00+08:00");
        in.resolve_by = at("2026-03-11T09:00:00+08:00");
        in.holds = {{at("2026-03-10T10:00:00+08:00"), at("2026-03-10T11:00:00+08:00")},
                    {at("2026-03-10T12:00:00+08:00"), Timestamp::max()}};
        in.verifications = 2;
        in.warned_resolve = true;
        in.mail_ids = {"a@example.com", "b\\c@example.com"};
        std::string line = index_codec::serialize(in);
        StoreFacts keep;
        IncidentFacts out;
        index_codec::read_incident(line, keep, out);
        CHECK(out.title == title);
        CHECK(out.id == in.id);
        CHECK(out.status == "on_hold");
        CHECK(out.category == "邮件");
        CHECK(out.assignee.empty());
        CHECK(out.reporter == in.reporter);
        CHECK(out.reported == in.reported);
        CHECK(!out.first_assign);
        CHECK(out.resolve_by == in.resolve_by);
        REQUIRE(out.holds.size() == 2);
        CHECK(out.holds[0].begin == in.holds[0].begin);
        CHECK(out.holds[0].end == in.holds[0].end);
        CHECK(out.holds[1].end == Timestamp::max());
        CHECK(out.verifications == 2);
        CHECK(out.warned_resolve);
        CHECK(!out.warned_respond);
        CHECK(out.mail_ids == in.mail_ids);
    }
    StoreFacts keep;
    IncidentFacts out;
    CHECK_THROWS_AS(index_codec::read_incident("INC-1\tcut\tshort", keep, out),
                    std::invalid_argument);
    CHECK_THROWS_AS(index_codec::read_incident(std::string(40, '\t'), keep, out),
                    std::invalid_argument);
}

TEST_CASE(
    "a new ID is checked against the index of a directory unchanged since, else its listing") {
    TempStore temp;
    Context ctx = context(temp.store());
    std::string first = report_incident(ctx, mail_down()).record.id();
    std::this_thread::sleep_for(std::chrono::milliseconds(2100)); // stamps trusted from now
    load_facts(temp.store(), {RecordKind::incident});             // writes the index
    Store& store = temp.store();
    CHECK(store.id_exists(RecordKind::incident, first));
    CHECK(store.id_exists(RecordKind::incident, first + "0a1b")); // the existing ID is its prefix
    CHECK(!store.id_exists(RecordKind::incident, "INC-00000000"));
    // The index is what was read: a name only it holds counts, while the directory
    // has not changed...
    fs::path index = temp.root() / ".opsflow/index/incidents/2026/03";
    std::string text;
    {
        std::ifstream in(index);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto line = text.find("\nF\t" + first);
    REQUIRE(line != std::string::npos);
    std::string copy = text.substr(line, text.find('\n', line + 1) - line);
    copy.replace(copy.find(first), first.size(), "INC-0000beef");
    text.insert(text.find('\n') /* after the header */, copy);
    std::ofstream(index) << resealed(text);
    CHECK(store.id_exists(RecordKind::incident, "INC-0000beef"));
    // ...and once a file is added, the directory is listed again.
    std::ofstream(temp.root() / "incidents/2026/03/INC-0000cafe.yaml") << "id: INC-0000cafe\n";
    CHECK(store.id_exists(RecordKind::incident, "INC-0000cafe"));
    CHECK(!store.id_exists(RecordKind::incident, "INC-0000beef"));
}

TEST_CASE("a report's scope keeps the incidents of its period, by report or survey, and the open") {
    auto scope =
        FactsScope::reporting(at("2026-03-01T00:00:00+08:00"), at("2026-04-01T00:00:00+08:00"));
    IncidentFacts incident;
    incident.id = "INC-3f9a1c2e", incident.status = "closed";
    auto in = [&] {
        return index_codec::in_scope(scope, RecordKind::incident, index_codec::serialize(incident));
    };
    incident.reported = at("2026-03-10T09:00:00+08:00");
    CHECK(in());
    incident.reported = at("2026-04-01T00:00:00+08:00"); // the end is not in the period
    CHECK(!in());
    incident.reported = at("2026-02-28T23:59:59+08:00");
    CHECK(!in());
    incident.survey.sent = at("2026-03-02T09:00:00+08:00"); // reported before, surveyed in
    CHECK(in());
    incident.survey.sent = at("2026-02-02T09:00:00+08:00");
    CHECK(!in());
    incident.status = "on_hold"; // open: the overdue finding reads it
    CHECK(in());
    TicketFacts ticket;
    ticket.id = "TKT-3f9a1c2e", ticket.status = "closed";
    CHECK(index_codec::in_scope(scope, RecordKind::ticket, index_codec::serialize(ticket)));
    CHECK(index_codec::in_scope(scope, RecordKind::incident, "INC-1\tcut short"));
}
