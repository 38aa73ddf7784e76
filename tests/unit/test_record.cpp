#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/yaml.hpp"
#include "opsflow/record/record.hpp"
#include "opsflow/record/schema.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>

using namespace opsflow;
namespace fs = std::filesystem;

namespace {

// A temporary directory, removed with the test.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "opsflow-unit-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { fs::remove_all(path); }
};

const char* canonical_incident = R"(id: INC-3f9a1c2e
title: "12345"
status: assigned
service: vpn
category: network
impact: high
urgency: medium
priority: P2
reporter: 张三 <zhangsan@example.com>
channel: phone
reported_at: 2026-11-24T09:12:00+08:00
assignee: lisi
sla:
  respond_by: 2026-11-24T09:42:00+08:00
  resolve_by: 2026-11-24T17:12:00+08:00
description: |-
  VPN 客户端报错 809。
  Error 809 since this morning.
links: [TKT-00000001]
events:
  - at: 2026-11-24T09:12:00+08:00
    by: wangwu
    action: report
    status: new
  - at: 2026-11-24T09:20:00+08:00
    by: wangwu
    action: assign
    assignee: lisi
    status: assigned
custom_field: kept
)";

fs::path write(const TempDir& dir, const std::string& text) {
    fs::path file = dir.path / "INC-3f9a1c2e.yaml";
    std::ofstream(file) << text;
    return file;
}

} // namespace

TEST_CASE("a canonical record reads and renders back byte-identically") {
    TempDir dir;
    Record r =
        Record::load(RecordKind::incident, write(dir, canonical_incident), "INC-3f9a1c2e.yaml");
    CHECK(r.render() == canonical_incident);
    CHECK_NOTHROW(r.check_rewritable());
}

TEST_CASE("unknown keys survive a rewrite; key order is fixed") {
    TempDir dir;
    std::string shuffled = std::string(canonical_incident);
    // Move `title` to the end by hand: the writer puts it back.
    shuffled.erase(shuffled.find("title: \"12345\"\n"), 15);
    shuffled += "title: \"12345\"\n";
    Record r = Record::load(RecordKind::incident, write(dir, shuffled), "x");
    CHECK(r.render() == canonical_incident);
}

TEST_CASE("a comment added by hand blocks the rewrite with its line") {
    TempDir dir;
    std::string commented = canonical_incident;
    commented.insert(commented.find("status:"), "# checked with the user\n");
    Record r = Record::load(RecordKind::incident, write(dir, commented), "INC-3f9a1c2e.yaml");
    try {
        r.check_rewritable();
        FAIL("expected a refusal");
    } catch (const RefusedError& e) {
        CHECK(std::string(e.what()).find("INC-3f9a1c2e.yaml:3:") == 0);
    }
}

TEST_CASE("a '#' inside text is not a comment") {
    TempDir dir;
    std::string text = canonical_incident;
    text.replace(text.find("Error 809"), 9, "Error #809");
    Record r = Record::load(RecordKind::incident, write(dir, text), "x");
    CHECK_NOTHROW(r.check_rewritable());
}

TEST_CASE("schema errors name the file, line and field") {
    TempDir dir;
    std::string bad = canonical_incident;
    bad.replace(bad.find("priority: P2"), 12, "priority: P7");
    try {
        Record::load(RecordKind::incident, write(dir, bad), "INC-3f9a1c2e.yaml");
        FAIL("expected invalid data");
    } catch (const InvalidDataError& e) {
        CHECK(std::string(e.what()) ==
              "INC-3f9a1c2e.yaml:8:11: /priority: must be one of P1, P2, P3, P4 (found 'P7')");
    }
}

TEST_CASE("an id that does not match the file name is refused") {
    TempDir dir;
    fs::path other = dir.path / "INC-00000000.yaml";
    std::ofstream(other) << canonical_incident;
    CHECK_THROWS_AS(Record::load(RecordKind::incident, other, "x"), InvalidDataError);
}

TEST_CASE("atomic write replaces content and leaves no temporary file") {
    TempDir dir;
    fs::path file = dir.path / "f.txt";
    write_file_atomic(file, "one");
    write_file_atomic(file, "two");
    CHECK(read_text_file(file) == "two");
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 1);
}

// canonical_json must write what nlohmann's dump writes for the canonicalized
// record, byte for byte: nlohmann is the reference implementation here.
TEST_CASE("canonical_json writes what nlohmann writes for the canonicalized record") {
    const char* records[] = {
        canonical_incident,
        // Out of order, nulls in known and unknown keys, nested maps and lists of
        // maps out of order, unknown keys, every scalar kind, characters to escape.
        "events:\n  - {action: report, by: ann, at: '2026-11-02T09:00:00+08:00', extra: [1, 2]}\n"
        "  - plain\n"
        "zzz_unknown: {b: 1, a: null}\n"
        "title: \"quote \\\" backslash \\\\ tab \\t nl \\n 故障 \\u00e9\"\n"
        "id: INC-0badf00d\n"
        "cause: null\n"
        "sla: {resolve_by: '2026-11-03T09:00:00+08:00', respond_by: null, other: ~}\n"
        "survey: {score: 4, sent_at: '2026-11-04T09:00:00+08:00', comment: ''}\n"
        "links: []\n"
        "notices: {}\n"
        "numbers: [0, -7, 9223372036854775807, 99999999999999999999, 1.5, -0.25, 1e3, .inf, 0x1F, "
        "true, false, yes]\n"
        "verification: [{note: n, result: passed}]\n"
        "description: |\n  line one\n  line two\n",
        "{}\n",
    };
    for (const char* text : records) {
        CAPTURE(text);
        Node doc = parse_yaml(text, "test.yaml");
        Node canonical = doc;
        canonicalize(canonical, RecordKind::incident);
        auto reference = to_ordered_json(canonical);
        CHECK(canonical_json(doc, RecordKind::incident) == reference.dump());
        CHECK(canonical_json(doc, RecordKind::incident, 2) == reference.dump(2));
        CHECK(canonical_json(doc, RecordKind::incident, 4) == reference.dump(4));
        // One level deep, as an element of a pretty array.
        auto array = nlohmann::ordered_json::array({reference});
        std::string element = array.dump(2);
        CHECK("[\n  " + canonical_json(doc, RecordKind::incident, 2, 1) + "\n]" == element);
    }
}

TEST_CASE("canonical order: known keys in the table's order, nulls dropped, others after") {
    auto keys = [](const char* text) {
        Node doc = parse_yaml(text, "test.yaml");
        canonicalize(doc, RecordKind::incident);
        std::string out;
        for (const auto& [key, value] : doc.entries())
            out += key + " ";
        return out;
    };
    CHECK(keys("{id: a, title: b, zzz: c}") == "id title zzz ");  // already in order
    CHECK(keys("{title: b, id: a}") == "id title ");              // a known key late
    CHECK(keys("{id: a, zzz: c, title: b}") == "id title zzz ");  // another key between
    CHECK(keys("{zzz: c, yyy: d, id: a}") == "id zzz yyy ");      // others keep their order
    CHECK(keys("{id: a, cause: null, title: b}") == "id title "); // a null known key goes
    CHECK(keys("{id: a, title: b, cause: null}") == "id title "); // even at the end
    CHECK(keys("{id: a, zzz: null}") == "id zzz ");               // another null stays
    CHECK(keys("{}") == "");
    Node doc = parse_yaml("sla: {resolve_by: x, respond_by: y}\n"
                          "events: [{by: b, at: a, action: c, x: d}, {at: a, by: b}]\n",
                          "test.yaml");
    canonicalize(doc, RecordKind::incident);
    CHECK(doc.find("sla")->entries().front().first == "respond_by");
    CHECK(doc.find("events")->items()[0].entries()[0].first == "at");
    CHECK(doc.find("events")->items()[0].entries()[3].first == "x");
}
