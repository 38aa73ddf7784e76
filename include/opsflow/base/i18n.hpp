#pragma once
// The languages of what people read (SPEC §10). English is the source text (the
// msgid); a translation comes from a GNU gettext catalogue, po/<lang>.po compiled
// to <dir>/<lang>/LC_MESSAGES/opsflow.mo, which opsflow reads itself: glibc's
// gettext() translates only when setlocale() succeeded, and containers rarely
// have the zh_CN locale generated.
//
// The core never reads the environment to choose a language: the program sets the
// operator's language with set_default_language() and scopes the store's language
// (notices, reports written to a file) with LanguageScope.
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

enum class Language { en, zh_CN };

// `zh-CN`, `zh_CN`, `zh` -> zh_CN; `en` -> en; nothing for anything else.
std::optional<Language> parse_language(std::string_view tag);
// The tag opsflow.yaml and `--lang` spell: `zh-CN` or `en`.
std::string_view language_tag(Language language);
// The language of a locale value such as `zh_CN.UTF-8` (LC_ALL, LC_MESSAGES, LANG):
// anything that starts with `zh` is Chinese, anything else (C, POSIX, en_US...) English.
Language language_of_locale(std::string_view locale);

// The directories holding <lang>/LC_MESSAGES/opsflow.mo, first match wins. Set once,
// before the first translation is asked for (catalogues are read on first use).
void set_catalogue_dirs(std::vector<std::filesystem::path> dirs);
// The catalogue file that serves `language`, if one was found (nothing for English).
std::optional<std::filesystem::path> catalogue_file(Language language);
// What to tell the operator of a store whose language has no catalogue here (its
// notices would go out in English, silently); nothing for English or when found.
std::optional<std::string> missing_catalogue(Language language);

// The operator's language: what tr() uses outside any LanguageScope, on every thread.
void set_default_language(Language language);
Language current_language();

// Makes tr() on this thread use `language` until it is destroyed (nested scopes stack).
class LanguageScope {
  public:
    explicit LanguageScope(Language language);
    ~LanguageScope();
    LanguageScope(const LanguageScope&) = delete;
    LanguageScope& operator=(const LanguageScope&) = delete;

  private:
    std::optional<Language> previous_;
};

// The translation of `msgid` in `language`, or `msgid` itself.
std::string_view translate(Language language, std::string_view msgid);
// The form for `n` of a message with a plural: English picks `singular` for 1.
std::string_view translate_plural(Language language, std::string_view singular,
                                  std::string_view plural, unsigned long n);

// tr("text") is the translation of a literal in the current language; with arguments,
// the translation is a fmt format string: tr("{} is closed", id). xgettext extracts
// the keywords tr and ntr:1,2 (scripts/update-po); tests/e2e/test_i18n.sh checks that
// every translation keeps its msgid's placeholders.
inline std::string tr(std::string_view msgid) {
    return std::string(translate(current_language(), msgid));
}
template <class... Args>
std::string tr(std::string_view msgid, const Args&... args) requires(sizeof...(Args) > 0) {
    return fmt::format(fmt::runtime(translate(current_language(), msgid)), args...);
}
// ntr("{} record", "{} records", n, n): the form for `n`, formatted with `args`.
template <class... Args>
std::string ntr(std::string_view singular, std::string_view plural, unsigned long n,
                const Args&... args) {
    return fmt::format(fmt::runtime(translate_plural(current_language(), singular, plural, n)),
                       args...);
}

// N_("closed") marks a literal kept in a table (a status, a hint) for xgettext; whoever
// shows it translates the value then: tr(status).
constexpr std::string_view N_(std::string_view msgid) {
    return msgid;
}

// A text said twice: in English for what is kept and read by scripts and other sites
// (commit messages), and in the current language for the person at the terminal.
struct Phrase {
    std::string english;
    std::string local;

    Phrase() = default;
    Phrase(std::string english_text, std::string local_text)
        : english(std::move(english_text)), local(std::move(local_text)) {}
    // Text that is the same in every language (a title, an ID): said once.
    Phrase(std::string text) : english(text), local(std::move(text)) {}
    Phrase(const char* text) : Phrase(std::string(text)) {}

    Phrase& operator+=(const Phrase& more) {
        english += more.english;
        local += more.local;
        return *this;
    }
};

// phrase("assigned to {}", who): the English text and its translation, formatted alike.
// xgettext extracts the keyword phrase too.
template <class... Args> Phrase phrase(std::string_view msgid, const Args&... args) {
    if constexpr (sizeof...(Args) == 0)
        return Phrase(std::string(msgid), tr(msgid));
    else
        return Phrase(fmt::format(fmt::runtime(msgid), args...), tr(msgid, args...));
}

} // namespace opsflow
