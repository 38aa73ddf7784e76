// The catalogue reader (GNU MO files, either byte order; a damaged one is skipped),
// plural forms, scoped languages and language tags.
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/restate.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <random>
#include <thread>

using namespace opsflow;
namespace fs = std::filesystem;

namespace {

// A GNU MO file of `messages` (sorted originals), words in big- or little-endian order.
std::string mo_file(const std::vector<std::pair<std::string, std::string>>& messages,
                    bool big_endian) {
    std::string out;
    auto word = [&](std::uint32_t w) {
        for (int i = 0; i < 4; ++i)
            out.push_back(static_cast<char>((w >> (big_endian ? 8 * (3 - i) : 8 * i)) & 0xff));
    };
    auto n = static_cast<std::uint32_t>(messages.size());
    std::uint32_t originals = 28, translations = originals + 8 * n, strings = translations + 8 * n;
    word(0x950412de);
    word(0);
    word(n);
    word(originals);
    word(translations);
    word(0);
    word(strings);
    std::string pool;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> at_original, at_translation;
    for (const auto& [original, translation] : messages) {
        at_original.emplace_back(static_cast<std::uint32_t>(original.size()),
                                 strings + static_cast<std::uint32_t>(pool.size()));
        pool += original + '\0';
    }
    for (const auto& [original, translation] : messages) {
        at_translation.emplace_back(static_cast<std::uint32_t>(translation.size()),
                                    strings + static_cast<std::uint32_t>(pool.size()));
        pool += translation + '\0';
    }
    for (const auto& [length, offset] : at_original) {
        word(length);
        word(offset);
    }
    for (const auto& [length, offset] : at_translation) {
        word(length);
        word(offset);
    }
    return out + pool;
}

void write(const fs::path& file, const std::string& bytes) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
}

} // namespace

TEST_CASE("translations come from the first readable catalogue; English needs none") {
    fs::path root =
        fs::temp_directory_path() / ("opsflow-i18n-" + std::to_string(std::random_device{}()));
    const std::string mo = "zh_CN/LC_MESSAGES/opsflow.mo";
    write(root / "damaged" / mo, std::string("\xde\x12\x04\x95", 4) + "short");
    write(root / "good" / mo,
          mo_file({{"", "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; "
                        "plural=0;\n"},
                   {"{} closed", "{} 已关闭"},
                   {"{} excludes {}", "{} 不能与 {} 同时使用"},
                   {std::string("{} record\0{} records", 20), "{} 条记录"},
                   {"untranslated", ""}},
                  true));
    set_catalogue_dirs({root / "missing", root / "damaged", root / "good"});

    CHECK(translate(Language::zh_CN, "{} closed") == "{} 已关闭");
    CHECK(translate(Language::zh_CN, "untranslated") == "untranslated");
    CHECK(translate(Language::zh_CN, "not in the catalogue") == "not in the catalogue");
    CHECK(translate(Language::en, "{} closed") == "{} closed");
    CHECK(catalogue_file(Language::zh_CN) == root / "good" / mo);
    CHECK_FALSE(catalogue_file(Language::en));
    CHECK(translate_plural(Language::zh_CN, "{} record", "{} records", 1) == "{} 条记录");
    CHECK(translate_plural(Language::zh_CN, "{} record", "{} records", 5) == "{} 条记录");
    CHECK(translate_plural(Language::en, "{} record", "{} records", 1) == "{} record");
    CHECK(translate_plural(Language::en, "{} record", "{} records", 0) == "{} records");

    CHECK(current_language() == Language::en);
    CHECK(tr("{} closed", "INC-1") == "INC-1 closed");
    {
        LanguageScope chinese(Language::zh_CN);
        CHECK(tr("{} closed", "INC-1") == "INC-1 已关闭");
        CHECK(ntr("{} record", "{} records", 3, 3) == "3 条记录");
        {
            LanguageScope english(Language::en);
            CHECK(tr("{} closed", "INC-1") == "INC-1 closed");
        }
        CHECK(tr("{} closed", "INC-1") == "INC-1 已关闭");
        // A library's English message said again from the catalogue, by its shape.
        const std::vector<MessageShape> shapes = {
            {std::regex("(.+) excludes (.+)"), "{} excludes {}"}};
        CHECK(restate("--to excludes --auto", shapes) == "--to 不能与 --auto 同时使用");
        CHECK(restate("--to is required", shapes) == "--to is required");
        // Another thread reads the default language, not this thread's scope.
        std::string other;
        std::thread([&] { other = tr("{} closed", "INC-2"); }).join();
        CHECK(other == "INC-2 closed");
    }
    CHECK(ntr("{} record", "{} records", 1, 1) == "1 record");
    CHECK(restate("--to excludes --auto", {{std::regex("(.+) excludes (.+)"), "{} excludes {}"}}) ==
          "--to excludes --auto");
    set_default_language(Language::zh_CN);
    CHECK(tr("{} closed", "INC-3") == "INC-3 已关闭");
    set_default_language(Language::en);
    fs::remove_all(root);
}

TEST_CASE("language tags and locale values") {
    CHECK(parse_language("zh-CN") == Language::zh_CN);
    CHECK(parse_language("zh_CN") == Language::zh_CN);
    CHECK(parse_language("en") == Language::en);
    CHECK_FALSE(parse_language("fr"));
    CHECK(language_tag(Language::zh_CN) == "zh-CN");
    CHECK(language_tag(Language::en) == "en");
    CHECK(language_of_locale("zh_CN.UTF-8") == Language::zh_CN);
    CHECK(language_of_locale("zh_Hans") == Language::zh_CN);
    CHECK(language_of_locale("C.UTF-8") == Language::en);
    CHECK(language_of_locale("en_US.UTF-8") == Language::en);
    CHECK(language_of_locale("") == Language::en);
}
