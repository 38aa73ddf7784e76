#include "opsflow/base/error.hpp"
#include "opsflow/base/id.hpp"

#include <doctest/doctest.h>
#include <set>

using namespace opsflow;

TEST_CASE("generated IDs have the kind prefix and 8 hex digits") {
    auto random = system_random();
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto id = generate_id(RecordKind::incident, random);
        CHECK(is_full_id(id));
        CHECK(id.size() == 12);
        seen.insert(id);
    }
    CHECK(seen.size() == 1000);
    CHECK(generate_id(RecordKind::ticket, [] { return 0xdeadbeefu; }) == "TKT-deadbeef");
    CHECK(generate_id(
              RecordKind::maintenance, [] { return 0x1u; }, 12) == "MNT-000000010000");
}

TEST_CASE("ID queries: full IDs, prefixes, with or without the kind") {
    CHECK(parse_id_query("INC-3f9a1c2e").hex == "3f9a1c2e");
    CHECK(parse_id_query("INC-3f9a1c2e").kind == RecordKind::incident);
    CHECK(parse_id_query("3f9a").hex == "3f9a");
    CHECK_FALSE(parse_id_query("3f9a").kind);
    CHECK(parse_id_query("tkt-abcd").kind == RecordKind::ticket);
}

TEST_CASE("anything else is refused before it can become a path") {
    for (const char* bad : {"../x", "INC-zz", "abc", "INC-3f9", "3F9A", "INC-3f9a/../../etc", "",
                            "XYZ-12345678", "3f9a\n", "INC-3f9a1c2e.yaml"})
        CHECK_THROWS_AS(parse_id_query(bad), UsageError);
}

TEST_CASE("the kind table holds every kind once, in the enum's order, kind_count of them") {
    REQUIRE(all_kinds().size() == kind_count);
    for (std::size_t i = 0; i < kind_count; ++i) {
        CAPTURE(i);
        CHECK(static_cast<std::size_t>(all_kinds()[i].kind) == i);
        CHECK(kind_from_prefix(all_kinds()[i].prefix) == all_kinds()[i].kind);
        CHECK(parse_id_query(std::string(all_kinds()[i].prefix) + "-3f9a1c2e").kind ==
              all_kinds()[i].kind);
        CHECK(is_full_id(std::string(all_kinds()[i].prefix) + "-3f9a1c2e"));
    }
}
