#include "opsflow/error.hpp"
#include "opsflow/yaml.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace opsflow;

namespace {

Node parse(std::string_view text) {
    return parse_yaml(text, "t.yaml");
}

std::string round_trip_value(const std::string& value) {
    Node doc = Node::map();
    doc.set("v", Node::string(value));
    std::string text = emit_yaml(doc);
    Node back = parse(text);
    CHECK(back.find("v")->kind() == ScalarKind::string);
    CHECK(back.find("v")->text() == value);
    return text;
}

int error_line(std::string_view text) {
    try {
        parse(text);
    } catch (const InvalidDataError& e) {
        return e.diagnostics().at(0).line;
    }
    return -1;
}

} // namespace

TEST_CASE("plain scalars are typed per YAML 1.2 core, quoted ones are strings") {
    Node doc = parse("a: 12345\nb: '12345'\nc: yes\nd: null\ne: true\nf: 1.5\ng: 2026-11-24\n");
    CHECK(doc.find("a")->kind() == ScalarKind::integer);
    CHECK(doc.find("b")->kind() == ScalarKind::string);
    CHECK(doc.find("c")->kind() == ScalarKind::string);
    CHECK(doc.find("d")->is_null());
    CHECK(doc.find("e")->kind() == ScalarKind::boolean);
    CHECK(doc.find("f")->kind() == ScalarKind::floating);
    CHECK(doc.find("g")->kind() == ScalarKind::string);
}

TEST_CASE("strings that other readers would retype are quoted") {
    for (const char* s : {"12345", "yes", "on", "No", "0755", "1e3", "2026-11-24", "null", "~",
                          "true", ".inf", "1:20", "0x1F", "-5", "=", "<<"})
        CHECK_MESSAGE(round_trip_value(s).find('"') != std::string::npos, s);
}

TEST_CASE("ordinary text stays plain") {
    CHECK(round_trip_value("VPN 无法连接") == "v: VPN 无法连接\n");
    CHECK(round_trip_value("lisi") == "v: lisi\n");
    CHECK(round_trip_value("2026-11-24T09:12:00+08:00") == "v: 2026-11-24T09:12:00+08:00\n");
}

TEST_CASE("awkward strings survive the round trip") {
    for (const char* s : {"", " leading space", "trailing space ", "a: b", "x #y", "- dash", "[x]",
                          "{a}", "'single'", "\"double\"", "tab\there", "back\\slash", "#hash",
                          "@at", "%pct", "a,b", "key:", "\xE2\x80\xA8sep", "ends with colon:"})
        round_trip_value(s);
}

TEST_CASE("control characters a terminal acts on are neither written nor read") {
    // C0 (but tab and line feed), DEL and C1: ESC [2J clears a screen, BEL rings,
    // CR overwrites a line, U+0085 is a C1 line break.
    using namespace std::string_literals;
    for (const auto& s : {"esc\x1b[2J"s, "bell\x07"s, "cr\r\nlf"s, "del\x7f"s, "nel\xC2\x85"s,
                          "csi\xC2\x9b"s, "nul\0x"s}) {
        CAPTURE(s);
        Node doc = Node::map();
        doc.set("v", Node::string(s));
        CHECK_THROWS_AS(emit_yaml(doc), InvalidDataError);
    }
    for (const char* text : {"v: \"\\x1b[2J\"\n", "v: \"\\a\"\n", "v: \"\\r\"\n",
                             "v: \"\\u0085\"\n", "v: \"\\x9b\"\n", "\"\\e\": 1\n"}) {
        CAPTURE(text);
        CHECK_THROWS_WITH_AS(parse_yaml(text, "f.yaml"), doctest::Contains("f.yaml:1:"),
                             InvalidDataError);
    }
    // Tab and line feed stay allowed, escaped or not.
    CHECK(parse_yaml("v: \"a\\tb\\nc\"\n", "f.yaml").get("v") ==
          std::optional<std::string>("a\tb\nc"));
}

TEST_CASE("multi-line text is a literal block and keeps its exact ending") {
    CHECK(round_trip_value("line one\nline two") == "v: |-\n  line one\n  line two\n");
    CHECK(round_trip_value("line one\nline two\n") == "v: |\n  line one\n  line two\n");
    round_trip_value("two trailing\n\n");
    round_trip_value("  indented first\nsecond");
    round_trip_value("\n\n  after blank lines");
    round_trip_value("trailing spaces  \n  \nx");
}

TEST_CASE("nested maps and sequences round-trip byte-identically") {
    const std::string text = "id: INC-3f9a1c2e\n"
                             "links: [INC-00000001, TKT-00000002]\n"
                             "sla:\n"
                             "  respond_by: 2026-11-24T09:42:00+08:00\n"
                             "events:\n"
                             "  - at: 2026-11-24T09:12:00+08:00\n"
                             "    by: lisi\n"
                             "    text: |-\n"
                             "      first\n"
                             "      second\n"
                             "  - at: 2026-11-24T09:13:00+08:00\n"
                             "    score: 4\n"
                             "empty_list: []\n"
                             "empty_map: {}\n";
    CHECK(emit_yaml(parse(text)) == text);
}

TEST_CASE("hostile input is refused with a position, never crashes") {
    SUBCASE("deep nesting") {
        std::string deep(100000, '[');
        CHECK_THROWS_AS(parse(deep), InvalidDataError);
        std::string deep_map;
        for (int i = 0; i < 100; ++i)
            deep_map += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
        CHECK_THROWS_AS(parse(deep_map), InvalidDataError);
    }
    SUBCASE("aliases, anchors and tags") {
        CHECK_THROWS_AS(parse("a: &x {k: 1}\nb: *x\n"), InvalidDataError);
        CHECK_THROWS_AS(parse("a: !!str 1\n"), InvalidDataError);
    }
    SUBCASE("duplicate keys") {
        CHECK(error_line("a: 1\nb: 2\na: 3\n") == 3);
    }
    SUBCASE("invalid UTF-8 and control characters") {
        CHECK(error_line("a: ok\nb: \xff\xfe\n") == 2);
        CHECK(error_line(std::string("a: x\nb: nul\0here\n", 17)) == 2);
        CHECK_THROWS_AS(parse("a: \xC0\xAF\n"), InvalidDataError);
    }
    SUBCASE("syntax errors name the line") {
        CHECK(error_line("a: 1\nb: [unclosed\nc: 2\n") >= 2);
    }
    SUBCASE("size limits") {
        CHECK_THROWS_AS(parse_yaml(std::string(2 << 20, 'a'), "big.yaml"), InvalidDataError);
        std::string long_value = "a: " + std::string(300 * 1024, 'x') + "\n";
        CHECK_THROWS_AS(parse(long_value), InvalidDataError);
    }
    SUBCASE("multiple documents") {
        CHECK_THROWS_AS(parse("a: 1\n---\nb: 2\n"), InvalidDataError);
    }
}

TEST_CASE("JSON pointers find nodes and their lines") {
    Node doc = parse("a: 1\nevents:\n  - at: x\n    by: y\n");
    REQUIRE(doc.at_pointer("/events/0/by"));
    CHECK(doc.at_pointer("/events/0/by")->line() == 4);
    CHECK(doc.at_pointer("/events/5") == nullptr);
}
