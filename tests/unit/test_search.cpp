// Search (SPEC §11) through the core API on a temporary store: the words of every
// field found, Chinese and English, the snippet's marks, the index brought up to date
// after a change and counted, the fields a hit matched.
#include "opsflow/base/error.hpp"
#include "opsflow/search/search.hpp"
#include "opsflow/work/incident.hpp"
#include "search/search_index.hpp"
#include "support/store_fixture.hpp"

#include <algorithm>
#include <doctest/doctest.h>

using namespace opsflow;
using opsflow::test::StoreFixture;

namespace {

std::vector<std::string> ids(const SearchResult& result) {
    std::vector<std::string> out;
    for (const auto& hit : result.hits)
        out.push_back(hit.id);
    return out;
}

SearchResult find(StoreFixture& s, std::string query) {
    SearchRequest request;
    request.query = std::move(query);
    return search_records(s.store(), request);
}

} // namespace

TEST_CASE("search finds Chinese by n-grams and English by stems, and marks whole words") {
    StoreFixture s;
    NewIncident n;
    n.title = "VPN 断开";
    n.description = "证书过期，gateway certificates expired";
    const std::string vpn = report_incident(s.ctx(), n).record.id();
    n.title = "打印机卡纸";
    n.description = "三楼打印机";
    const std::string printer = report_incident(s.ctx(), n).record.id();

    SearchResult first = find(s, "证书");
    CHECK(first.reindexed == 2);
    REQUIRE(ids(first) == std::vector<std::string>{vpn});
    const SearchHit& hit = first.hits.front();
    CHECK(hit.kind == RecordKind::incident);
    CHECK(hit.status == "new");
    CHECK(hit.title == "VPN 断开");
    CHECK(hit.fields == std::vector<std::string>{"description"});
    // One mark for the word, not one a character.
    CHECK(std::count(hit.snippet.begin(), hit.snippet.end(), SnippetPart{"证书", true}) == 1);

    SearchResult again = find(s, "Certificate");
    CHECK(again.reindexed == 0); // nothing changed since
    CHECK(ids(again) == std::vector<std::string>{vpn});
    CHECK(ids(find(s, "打印机 OR gateway")).size() == 2);
    CHECK(ids(find(s, "ＶＰＮ")) == std::vector<std::string>{vpn});

    note_incident(s.ctx(), printer, "换了搓纸轮", std::nullopt);
    SearchResult noted = find(s, "搓纸轮");
    CHECK(noted.reindexed == 1);
    CHECK(ids(noted) == std::vector<std::string>{printer});
}

TEST_CASE("search refuses what it cannot read, and an empty query") {
    StoreFixture s;
    CHECK_THROWS_AS(find(s, "AND"), UsageError);
    CHECK_THROWS_AS(find(s, ""), UsageError);
}

TEST_CASE("snippets show full-width letters and digits as the index reads them") {
    CHECK(search_index::snippet_form("ＶＰＮ２号，线路") == "VPN2号，线路");
    CHECK(search_normal_form("ＶＰＮ２号") == "VPN2号");
}
