#include "base/yaml_canonical.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/yaml.hpp"

#include <doctest/doctest.h>
#include <optional>
#include <random>
#include <string>
#include <vector>

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
    CHECK(round_trip_value("2026-11-24T09:12:00+08:00") == "v: \"2026-11-24T09:12:00+08:00\"\n");
}

TEST_CASE("awkward strings survive the round trip") {
    for (const char* s : {"", " leading space", "trailing space ", "a: b", "x #y", "- dash", "[x]",
                          "{a}", "'single'", "\"double\"", "tab\there", "back\\slash", "#hash",
                          "@at", "%pct", "a,b", "key:", "ends with colon:"})
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
    // Bidi embeddings, overrides and isolates and the line and paragraph separators
    // reorder or break a view ("Trojan Source"): refused raw, escaped and on writing.
    for (const auto& s : {"rlo\xE2\x80\xAEtxt.exe"s, "lre\xE2\x80\xAA"s, "rli\xE2\x81\xA7"s,
                          "pdi\xE2\x81\xA9"s, "ls\xE2\x80\xA8"s, "ps\xE2\x80\xA9"s}) {
        CAPTURE(s);
        Node doc = Node::map();
        doc.set("v", Node::string(s));
        CHECK_THROWS_AS(emit_yaml(doc), InvalidDataError);
        CHECK_THROWS_WITH_AS(parse_yaml("a: 1\nv: " + s + "\n", "f.yaml"),
                             doctest::Contains("f.yaml:2:"), InvalidDataError);
        CHECK_THROWS_WITH_AS(parse_yaml("a: 1\nv: \"" + s + "\"\n", "f.yaml"),
                             doctest::Contains("bidi control character U+"), InvalidDataError);
    }
    for (const char* text : {"v: \"\\u202E\"\n", "v: \"\\u2066x\"\n", "v: \"\\u2028\"\n"}) {
        CAPTURE(text);
        CHECK_THROWS_WITH_AS(parse_yaml(text, "f.yaml"), doctest::Contains("f.yaml:1:"),
                             InvalidDataError);
    }
    // Left-to-right and right-to-left marks reorder nothing on their own: kept.
    CHECK(parse_yaml("v: \"a\xE2\x80\x8F"
                     "b\"\n",
                     "f.yaml")
              .get("v") == std::optional<std::string>("a\xE2\x80\x8F"
                                                      "b"));
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

// The canonical reader (yaml_canonical.cpp) against libyaml's reading, the
// independent one: whatever the first accepts, the second must read the same,
// kinds, texts and marks alike.
namespace {

void check_same_tree(const Node& a, const Node& b, const std::string& where) {
    INFO(where);
    REQUIRE(a.type() == b.type());
    CHECK(a.line() == b.line());
    CHECK(a.column() == b.column());
    switch (a.type()) {
    case Node::Type::scalar:
        CHECK(a.kind() == b.kind());
        CHECK(a.text() == b.text());
        break;
    case Node::Type::sequence:
        REQUIRE(a.items().size() == b.items().size());
        for (std::size_t i = 0; i < a.items().size(); ++i)
            check_same_tree(a.items()[i], b.items()[i], where + "/" + std::to_string(i));
        break;
    case Node::Type::map:
        REQUIRE(a.entries().size() == b.entries().size());
        for (std::size_t i = 0; i < a.entries().size(); ++i) {
            CHECK(a.entries()[i].first == b.entries()[i].first);
            check_same_tree(a.entries()[i].second, b.entries()[i].second,
                            where + "/" + a.entries()[i].first);
        }
        break;
    }
}

// True when the canonical reader took the text (and then read it as libyaml does).
bool canonical_agrees(const std::string& text) {
    INFO("text:\n" << text);
    if (find_text_problem(text)) return false;
    auto canonical = read_canonical_yaml(text, YamlLimits{});
    if (!canonical) return false;
    std::optional<Node> events;
    try {
        events = read_yaml_events(text, "t.yaml", YamlLimits{});
    } catch (const InvalidDataError& e) {
        FAIL("the canonical reader took text libyaml refuses: " << e.what());
        return true;
    }
    check_same_tree(*canonical, *events, "");
    return true;
}

class RandomDocuments {
  public:
    explicit RandomDocuments(unsigned seed) : random_(seed) {}

    Node document() { return map(0); }

    // Mostly what records hold; now and then what only hand-written or hostile text does.
    std::string text() {
        static const std::vector<std::string> common = {"printer",    "打印机",
                                                        "无法连接",   " ",
                                                        ":",          ": ",
                                                        " #",         "#",
                                                        "-",          "\"",
                                                        "'",          "\n",
                                                        "\n\n",       "null",
                                                        "true",       "No",
                                                        "123",        "-7",
                                                        "1.5",        "…",
                                                        "“引号”",     "2026-03-01T08:00:00+08:00",
                                                        "2026-03-01", "http://x.example/a?b=c",
                                                        "a: b",       "INC-3f9a1c2e",
                                                        "[",          "]",
                                                        ","};
        static const std::vector<std::string> rare = {"  ",
                                                      "\\",
                                                      "\t",
                                                      "{",
                                                      "}",
                                                      "|",
                                                      ">",
                                                      "&",
                                                      "*",
                                                      "!",
                                                      "%",
                                                      "@",
                                                      "`",
                                                      "?",
                                                      "~",
                                                      "0x1F",
                                                      "\xE2\x80\xA8",
                                                      "\xEF\xBB\xBF",
                                                      "😀"};
        std::string out;
        for (int n = pick(4); n >= 0; --n) {
            const auto& from = pick(9) < 8 ? common : rare;
            out += from[static_cast<std::size_t>(pick(static_cast<int>(from.size()) - 1))];
        }
        return out;
    }

  private:
    int pick(int most) { return std::uniform_int_distribution<int>(0, most)(random_); }

    Node scalar() {
        switch (pick(9)) {
        case 0:
            return Node::integer(pick(2000) - 1000);
        case 1:
            return Node::boolean(pick(1) == 1);
        case 2:
            return Node::null();
        default:
            return Node::string(text());
        }
    }
    Node value(int depth) {
        int choice = depth > 3 ? 0 : pick(9);
        if (choice <= 5) return scalar();
        if (choice == 6) return map(depth + 1);
        Node seq = Node::sequence();
        bool of_maps = pick(1) == 1;
        for (int n = pick(3); n > 0; --n)
            seq.push_back(of_maps ? map(depth + 1) : pick(9) == 0 ? value(depth + 1) : scalar());
        return seq;
    }
    Node map(int depth) {
        static const std::vector<std::string> keys = {"id",   "title", "at",     "by",
                                                      "text", "sla",   "links",  "events",
                                                      "k9",   "A_b",   "status", "note"};
        static const std::vector<std::string> rare_keys = {"null", "12", "a-b", "a b", "a: b"};
        Node m = Node::map();
        for (int n = pick(5) + (depth == 0 ? 1 : 0); n > 0; --n) {
            const auto& from = pick(19) == 0 ? rare_keys : keys;
            m.set(from[static_cast<std::size_t>(pick(static_cast<int>(from.size()) - 1))],
                  value(depth));
        }
        return m;
    }

    std::mt19937 random_;
};

} // namespace

TEST_CASE("the canonical reader reads a record as libyaml does, and is the one that reads it") {
    const std::string record = "id: INC-25bde220\n"
                               "title: \"MAIL 故障 #24248: 用户无法连接\"\n"
                               "status: closed\n"
                               "priority: P1\n"
                               "reporter: 张三 <zhangsan@example.com>\n"
                               "reported_at: 2026-03-03T06:53:00+08:00\n"
                               "links: [INC-00000001, \"TKT: 2\", 中文, x]\n"
                               "sla:\n"
                               "  respond_by: 2026-03-03T07:08:00+08:00\n"
                               "description: |-\n"
                               "  用户报告连接失败，错误代码 809。\n"
                               "\n"
                               "  The user cannot connect since the morning.\n"
                               "indented: |2\n"
                               "    starts with spaces\n"
                               "  then not\n"
                               "kept: |+\n"
                               "  two breaks\n"
                               "\n"
                               "events:\n"
                               "  - at: 2026-03-03T06:53:00+08:00\n"
                               "    by: bench\n"
                               "    text: |\n"
                               "      a note\n"
                               "    score: -4\n"
                               "    done: true\n"
                               "    none: null\n"
                               "  - plain item\n"
                               "  - [a, b]\n"
                               "  - \"quoted \\\"item\\\" \\\\ \\t\"\n"
                               "empty: []\n"
                               "nothing: {}\n";
    CHECK(canonical_agrees(record));
    CHECK(parse(record).find("kept")->text() == "two breaks\n\n");
    CHECK(parse(record).find("indented")->text() == "  starts with spaces\nthen not\n");
}

TEST_CASE("what opsflow writes, the canonical reader reads as libyaml does") {
    RandomDocuments documents(20261201);
    int taken = 0, total = 2000;
    for (int i = 0; i < total; ++i) {
        std::string text;
        try {
            text = emit_yaml(documents.document());
        } catch (const InvalidDataError&) {
            continue; // a value the writer refuses (a key it cannot write)
        }
        if (canonical_agrees(text)) ++taken;
    }
    // Half of these random documents are read without libyaml (the rest hold a key,
    // an escape or a nesting the writer's records never have); if none were, this
    // test would test nothing.
    CHECK(taken > total * 4 / 10);
}

TEST_CASE("text changed by hand: the canonical reader takes it only as libyaml reads it") {
    RandomDocuments documents(7);
    std::mt19937 random(11);
    auto pick = [&](std::size_t most) {
        return std::uniform_int_distribution<std::size_t>(0, most)(random);
    };
    const std::string inserts[] = {" ",  "  ", ":",  "#",  "-",   "\n",   "\"",   "|",  "[",
                                   "]",  ",",  "\t", "'",  "&",   "*",    "!",    "\\", "{}",
                                   "- ", ": ", "|2", "|+", " #x", "\n  ", "\n\n", "a"};
    int taken = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        try {
            text = emit_yaml(documents.document());
        } catch (const InvalidDataError&) {
            continue;
        }
        for (int edits = static_cast<int>(pick(2)); edits >= 0 && !text.empty(); --edits) {
            std::size_t at = pick(text.size() - 1);
            switch (pick(2)) {
            case 0:
                text.erase(at, 1 + pick(2));
                break;
            case 1:
                text.insert(at, inserts[pick(std::size(inserts) - 1)]);
                break;
            default: { // a line repeated
                auto start = text.rfind('\n', at);
                start = start == std::string::npos ? 0 : start + 1;
                auto end = text.find('\n', at);
                if (end != std::string::npos)
                    text.insert(start, text.substr(start, end - start + 1));
            }
            }
        }
        if (canonical_agrees(text)) ++taken;
    }
    CHECK(taken > 150); // the edits that stay in the style are still compared
}
