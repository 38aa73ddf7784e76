// Translations read from GNU MO files (the format of `msgfmt`; "The Format of GNU
// MO Files" in the gettext manual): a header of 32-bit words in the writer's byte
// order, then two tables of (length, offset) pairs, originals sorted and
// translations in the same order, each string NUL-terminated. An original with a
// plural is `singular\0plural`, its translation the forms joined by NULs.
#include "opsflow/i18n.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <mutex>
#include <unordered_map>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

// Looks a msgid up without copying it into a std::string: tr() runs once per table cell.
struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
        return std::hash<std::string_view>{}(text);
    }
};

struct Catalogue {
    std::optional<fs::path> file;
    // By msgid (the singular, for a message with a plural): its forms.
    std::unordered_map<std::string, std::vector<std::string>, TextHash, std::equal_to<>> messages;
    unsigned long nplurals = 2;
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

class MoReader {
  public:
    explicit MoReader(std::string bytes) : bytes_(std::move(bytes)) {}

    bool read(Catalogue& out) {
        std::uint32_t magic = word(0);
        if (magic == 0xde120495)
            swap_ = true;
        else if (magic != 0x950412de)
            return false;
        std::uint32_t count = word(8), originals = word(12), translations = word(16);
        if (!ok_) return false;
        for (std::uint32_t i = 0; i < count && ok_; ++i) {
            std::string original = string_at(originals + 8 * i);
            std::string translation = string_at(translations + 8 * i);
            if (!ok_) return false;
            if (original.empty()) { // the header entry
                read_header(translation, out);
                continue;
            }
            std::vector<std::string> forms;
            for (std::size_t start = 0;;) {
                std::size_t end = translation.find('\0', start);
                forms.push_back(translation.substr(start, end - start));
                if (end == std::string::npos) break;
                start = end + 1;
            }
            out.messages[original.substr(0, original.find('\0'))] = std::move(forms);
        }
        return ok_;
    }

  private:
    std::uint32_t word(std::size_t at) {
        if (at > bytes_.size() || bytes_.size() - at < 4) {
            ok_ = false;
            return 0;
        }
        std::uint32_t w = 0;
        for (int i = 0; i < 4; ++i) {
            auto byte = static_cast<unsigned char>(bytes_[at + static_cast<std::size_t>(i)]);
            w |= static_cast<std::uint32_t>(byte) << (swap_ ? 8 * (3 - i) : 8 * i);
        }
        return w;
    }
    // The string whose (length, offset) pair is at `at`.
    std::string string_at(std::size_t at) {
        std::uint32_t length = word(at), offset = word(at + 4);
        if (!ok_ || offset > bytes_.size() || bytes_.size() - offset < length) {
            ok_ = false;
            return {};
        }
        return bytes_.substr(offset, length);
    }
    // Only `nplurals` is read from Plural-Forms: opsflow's languages have one form
    // (Chinese) or English's two, chosen by n != 1.
    static void read_header(const std::string& header, Catalogue& out) {
        auto at = header.find("nplurals=");
        if (at == std::string::npos) return;
        unsigned long n = 0;
        for (at += 9; at < header.size() && header[at] >= '0' && header[at] <= '9'; ++at)
            n = n * 10 + static_cast<unsigned long>(header[at] - '0');
        if (n >= 1 && n <= 6) out.nplurals = n;
    }

    std::string bytes_;
    bool swap_ = false;
    bool ok_ = true;
};

const Catalogue& catalogue(Language language) {
    auto index = static_cast<std::size_t>(language);
    std::call_once(loaded[index], [index] {
        if (index == static_cast<std::size_t>(Language::en)) return; // the source language
        for (const auto& dir : catalogue_dirs) {
            fs::path file = dir / languages[index].catalogue / "LC_MESSAGES" / "opsflow.mo";
            std::ifstream in(file, std::ios::binary);
            if (!in) continue;
            std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            Catalogue read;
            if (!MoReader(std::move(bytes)).read(read)) continue; // damaged: try the next
            read.file = file;
            catalogues[index] = std::move(read);
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
    const auto& messages = catalogue(language).messages;
    auto it = messages.find(msgid);
    if (it == messages.end() || it->second.empty() || it->second.front().empty()) return msgid;
    return it->second.front();
}

std::string_view translate_plural(Language language, std::string_view singular,
                                  std::string_view plural, unsigned long n) {
    std::string_view english = n == 1 ? singular : plural;
    if (language == Language::en) return english;
    const Catalogue& c = catalogue(language);
    auto it = c.messages.find(singular);
    if (it == c.messages.end()) return english;
    std::size_t form = c.nplurals == 1 ? 0 : (n == 1 ? 0 : 1);
    if (form >= it->second.size() || it->second[form].empty()) return english;
    return it->second[form];
}

} // namespace opsflow
