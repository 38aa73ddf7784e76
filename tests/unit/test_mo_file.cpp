// The MO reader (mo_file.hpp) against catalogues compiled by GNU msgfmt at test
// time, in both byte orders: messages, plural forms as each catalogue's
// Plural-Forms chooses them (not n != 1 for every language), the shipped zh_CN
// catalogue, and the refusal of a Plural-Forms the reader does not understand.
#include "base/mo_file.hpp"
#include "base/plural_forms.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/process.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace opsflow;
using opsflow::test::read_text;
using opsflow::test::TempDir;
using opsflow::test::write_text;
namespace fs = std::filesystem;

namespace {

enum class Endianness { little, big };

// `po` compiled by msgfmt (without --check, which would refuse the headers some
// tests need), read back as bytes.
std::string msgfmt(const TempDir& dir, const std::string& po,
                   Endianness endianness = Endianness::little) {
    write_text(dir.path() / "in.po", po);
    const fs::path mo = dir.path() / "out.mo";
    auto r = run_process(
        {"msgfmt", endianness == Endianness::big ? "--endianness=big" : "--endianness=little", "-o",
         mo.string(), (dir.path() / "in.po").string()});
    INFO("msgfmt: ", r.err);
    REQUIRE(r.exit_code == 0);
    return read_text(mo);
}

std::string header(const std::string& plural_forms) {
    return "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
           "\"Plural-Forms: " +
           plural_forms + "\\n\"\n\n";
}

// A catalogue with one plain message and one with three forms (as many as `forms` use).
std::string catalogue(const std::string& plural_forms) {
    return header(plural_forms) + R"(msgid "{} closed"
msgstr "{} fermé"

msgid "untranslated"
msgstr ""

msgid "{} file"
msgid_plural "{} files"
msgstr[0] "form 0"
msgstr[1] "form 1"
msgstr[2] "form 2"
)";
}

std::string form_for(const MoCatalogue& c, unsigned long n) {
    return std::string(c.find_plural("{} file", n).value_or("(none)"));
}

std::string refusal(const TempDir& dir, const std::string& plural_forms) {
    try {
        read_mo(msgfmt(dir, catalogue(plural_forms)));
    } catch (const InvalidDataError& e) {
        return e.what();
    }
    return "(read)";
}

} // namespace

TEST_CASE("msgfmt's catalogues are read in either byte order") {
    TempDir dir;
    for (auto endianness : {Endianness::little, Endianness::big}) {
        CAPTURE(endianness == Endianness::big);
        MoCatalogue c = read_mo(
            msgfmt(dir, catalogue("nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;"), endianness));
        CHECK(c.find("{} closed") == "{} fermé");
        CHECK_FALSE(c.find("untranslated"));
        CHECK_FALSE(c.find("not in the catalogue"));
        CHECK(c.plural.count() == 3);
        CHECK(form_for(c, 1) == "form 0");
        CHECK(form_for(c, 2) == "form 1");
        CHECK(form_for(c, 0) == "form 2");
        CHECK(form_for(c, 7) == "form 2");
        CHECK_FALSE(c.find_plural("not in the catalogue", 1));
    }
}

TEST_CASE("each language's plural rule chooses its form, not English's n != 1") {
    TempDir dir;
    // French: 0 is singular, as 1 is.
    MoCatalogue french = read_mo(msgfmt(dir, catalogue("nplurals=2; plural=(n > 1);")));
    CHECK(form_for(french, 0) == "form 0");
    CHECK(form_for(french, 1) == "form 0");
    CHECK(form_for(french, 2) == "form 1");

    // Russian: 1, 21, 101 (not 11, 111); 2-4, 22-24 (not 12-14); the rest.
    MoCatalogue russian =
        read_mo(msgfmt(dir, catalogue("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
                                      "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")));
    const std::vector<std::pair<unsigned long, std::string>> expected = {
        {1, "form 0"}, {21, "form 0"}, {101, "form 0"}, {11, "form 2"}, {111, "form 2"},
        {2, "form 1"}, {4, "form 1"},  {22, "form 1"},  {12, "form 2"}, {14, "form 2"},
        {0, "form 2"}, {5, "form 2"},  {25, "form 2"},  {100, "form 2"}};
    for (const auto& one : expected) {
        CAPTURE(one.first);
        CHECK(form_for(russian, one.first) == one.second);
    }

    // Without Plural-Forms, gettext's default: two forms, by n != 1.
    MoCatalogue plain = read_mo(msgfmt(dir, R"(msgid "{} file"
msgid_plural "{} files"
msgstr[0] "one"
msgstr[1] "many"
)"));
    CHECK(plain.plural.count() == 2);
    CHECK(plain.find_plural("{} file", 1) == "one");
    CHECK(plain.find_plural("{} file", 0) == "many");

    // One form (Chinese): every n reads it; a form the catalogue lacks is not invented.
    MoCatalogue one = read_mo(msgfmt(dir, catalogue("nplurals=1; plural=0;")));
    CHECK(form_for(one, 1) == "form 0");
    CHECK(form_for(one, 5) == "form 0");
}

TEST_CASE("the shipped zh_CN catalogue reads as before: one form, for every n") {
    TempDir dir;
    MoCatalogue zh = read_mo(msgfmt(dir, read_text(fs::path(OPSFLOW_SOURCE_DIR) / "po/zh_CN.po")));
    CHECK(zh.plural.count() == 1);
    CHECK(zh.find("warning: {}") == "警告：{}");
    CHECK(zh.find_plural("{} error", 1) == "{} 个错误");
    CHECK(zh.find_plural("{} error", 0) == "{} 个错误");
    CHECK(zh.find_plural("{} error", 12) == "{} 个错误");
}

TEST_CASE("a Plural-Forms the reader does not understand is refused, saying why") {
    TempDir dir;
    CHECK(refusal(dir, "nplurals=2; plural=n ** 2;") ==
          "its Plural-Forms 'nplurals=2; plural=n ** 2;' has no plural= expression that gettext "
          "allows");
    CHECK(refusal(dir, "nplurals=2; plural=n != 1 ? 0;") ==
          "its Plural-Forms 'nplurals=2; plural=n != 1 ? 0;' has no plural= expression that "
          "gettext allows");
    CHECK(refusal(dir, "nplurals=2; plural=(n != 1;") ==
          "its Plural-Forms 'nplurals=2; plural=(n != 1;' has no plural= expression that gettext "
          "allows");
    CHECK(refusal(dir, "nplurals=2;") ==
          "its Plural-Forms 'nplurals=2;' has no plural= expression that gettext allows");
    CHECK(refusal(dir, "plural=n != 1;") ==
          "its Plural-Forms 'plural=n != 1;' has no nplurals from 1 to 100");
    CHECK(refusal(dir, "nplurals=0; plural=0;") ==
          "its Plural-Forms 'nplurals=0; plural=0;' has no nplurals from 1 to 100");
    CHECK(refusal(dir, "nplurals=2; plural=n % (n - 3) != 0;") ==
          "its Plural-Forms 'nplurals=2; plural=n % (n - 3) != 0;' divides by zero for n = 3");
    // Two forms, but the rule chooses a third for n = 2.
    CHECK(refusal(dir, "nplurals=2; plural=n;") ==
          "its Plural-Forms 'nplurals=2; plural=n;' chooses form 2 for n = 2, but nplurals is 2");
    // Nesting beyond any language's rule.
    CHECK(refusal(dir,
                  "nplurals=1; plural=" + std::string(200, '(') + "0" + std::string(200, ')') + ";")
              .find("has no plural= expression") != std::string::npos);
    // A file cut short.
    std::string whole = msgfmt(dir, catalogue("nplurals=1; plural=0;"));
    CHECK_THROWS_WITH_AS(read_mo(whole.substr(0, whole.size() / 2)),
                         "it is not a whole GNU MO file", InvalidDataError);
}

TEST_CASE("plural expressions: C's precedence, unsigned arithmetic, spaces") {
    auto form = [](const std::string& value, unsigned long n) {
        return PluralForms::parse(value).form(n).value_or(99);
    };
    CHECK(form("nplurals=3; plural=1 + 2 * 0;", 0) == 1);
    CHECK(form("nplurals=3; plural=(1 + 1) * 1;", 0) == 2);
    CHECK(form("nplurals=2; plural=!n;", 0) == 1);
    CHECK(form("nplurals=2; plural=!n;", 3) == 0);
    CHECK(form("nplurals=2; plural=n >= 2 && n <= 4 || n == 0;", 0) == 1);
    CHECK(form("nplurals=2; plural=n >= 2 && n <= 4 || n == 0;", 5) == 0);
    CHECK(form("  nplurals = 2 ;  plural = ( n != 1 ) ; ", 1) == 0);
    CHECK(form("nplurals=3; plural=n ? n == 1 ? 0 : 1 : 2;", 0) == 2);
    CHECK(form("nplurals=3; plural=n ? n == 1 ? 0 : 1 : 2;", 1) == 0);
    CHECK(form("nplurals=3; plural=n ? n == 1 ? 0 : 1 : 2;", 9) == 1);
    CHECK(form("nplurals=4; plural=n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3;",
               203) == 2);
    CHECK(PluralForms().form(1) == 0ul);
    CHECK(PluralForms().form(0) == 1ul);
}
