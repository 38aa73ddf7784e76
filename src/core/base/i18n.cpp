// Translations read from GNU MO files (mo_file.hpp), one catalogue per language,
// found in the first catalogue directory that holds a readable one.
#include "opsflow/base/i18n.hpp"

#include "base/mo_file.hpp"
#include "opsflow/base/error.hpp"

#include <array>
#include <atomic>
#include <fstream>
#include <iterator>
#include <mutex>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

struct Catalogue {
    std::optional<fs::path> file;
    MoCatalogue messages;
    // A catalogue file that was found and refused (damaged, or with a Plural-Forms
    // that is not understood): the first one, and why.
    std::optional<std::pair<fs::path, std::string>> refused;
};

// The languages, in the order of `enum class Language`: a third language is a row here,
// an enumerator, its tag in schemas/opsflow.schema.json and po/<catalogue>.po.
struct LanguageInfo {
    std::string_view tag;           // opsflow.yaml and --lang: zh-CN
    std::string_view catalogue;     // po/<catalogue>.po, <dir>/<catalogue>/LC_MESSAGES: zh_CN
    std::string_view locale_prefix; // a locale beginning with it is this language: zh
};
constexpr std::array languages = {LanguageInfo{"en", "en", "en"},
                                  LanguageInfo{"zh-CN", "zh_CN", "zh"}};
constexpr std::size_t language_count = languages.size();

std::vector<fs::path> catalogue_dirs;
std::array<Catalogue, language_count> catalogues;
std::array<std::once_flag, language_count> loaded;
std::atomic<Language> default_language{Language::en};
thread_local std::optional<Language> scoped_language;

const Catalogue& catalogue(Language language) {
    auto index = static_cast<std::size_t>(language);
    std::call_once(loaded[index], [index] {
        if (index == static_cast<std::size_t>(Language::en)) return; // the source language
        for (const auto& dir : catalogue_dirs) {
            fs::path file = dir / languages[index].catalogue / "LC_MESSAGES" / "opsflow.mo";
            std::ifstream in(file, std::ios::binary);
            if (!in) continue;
            std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            try {
                catalogues[index].messages = read_mo(bytes);
            } catch (const InvalidDataError& e) { // refused: try the next
                if (!catalogues[index].refused) catalogues[index].refused = {file, e.what()};
                continue;
            }
            catalogues[index].file = file;
            return;
        }
    });
    return catalogues[index];
}

} // namespace

std::optional<Language> parse_language(std::string_view tag) {
    for (std::size_t i = 0; i < language_count; ++i)
        if (tag == languages[i].tag || tag == languages[i].catalogue ||
            tag == languages[i].locale_prefix)
            return static_cast<Language>(i);
    return std::nullopt;
}

std::string_view language_tag(Language language) {
    return languages[static_cast<std::size_t>(language)].tag;
}

// The source language when no other matches: C, POSIX and every language without a catalogue.
Language language_of_locale(std::string_view locale) {
    for (std::size_t i = 1; i < language_count; ++i)
        if (locale.starts_with(languages[i].locale_prefix)) return static_cast<Language>(i);
    return Language::en;
}

void set_catalogue_dirs(std::vector<fs::path> dirs) {
    catalogue_dirs = std::move(dirs);
}

std::optional<fs::path> catalogue_file(Language language) {
    return catalogue(language).file;
}

std::optional<std::string> missing_catalogue(Language language) {
    if (language == Language::en || catalogue_file(language)) return std::nullopt;
    if (const auto& refused = catalogue(language).refused)
        return tr("the store's language is {0}, but its catalogue {1} cannot be used: {2}; "
                  "notices go out in English (install a good one, or set OPSFLOW_LOCALEDIR)",
                  language_tag(language), refused->first.string(), refused->second);
    std::string looked;
    for (const auto& dir : catalogue_dirs)
        looked += (looked.empty() ? "" : ", ") + dir.string();
    return tr("the store's language is {0}, but no {0} catalogue ({1}/LC_MESSAGES/opsflow.mo) "
              "was found in {2}: notices go out in English (install it, or set "
              "OPSFLOW_LOCALEDIR)",
              language_tag(language), languages[static_cast<std::size_t>(language)].catalogue,
              looked.empty() ? "-" : looked);
}

void set_default_language(Language language) {
    default_language = language;
}

Language current_language() {
    return scoped_language.value_or(default_language.load());
}

LanguageScope::LanguageScope(Language language) : previous_(scoped_language) {
    scoped_language = language;
}

LanguageScope::~LanguageScope() {
    scoped_language = previous_;
}

std::string_view translate(Language language, std::string_view msgid) {
    if (language == Language::en) return msgid;
    return catalogue(language).messages.find(msgid).value_or(msgid);
}

std::string_view translate_plural(Language language, std::string_view singular,
                                  std::string_view plural, unsigned long n) {
    std::string_view english = n == 1 ? singular : plural;
    if (language == Language::en) return english;
    return catalogue(language).messages.find_plural(singular, n).value_or(english);
}

} // namespace opsflow
