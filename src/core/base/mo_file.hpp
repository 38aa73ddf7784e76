#pragma once
// A GNU MO file read into memory (core-internal; i18n.cpp serves tr() from it).
// The format is msgfmt's ("The Format of GNU MO Files" in the gettext manual): a
// header of 32-bit words in the writer's byte order, then two tables of (length,
// offset) pairs, originals sorted and translations in the same order, each string
// NUL-terminated. An original with a plural is `singular\0plural`, its translation
// the forms joined by NULs; the entry with an empty original is the header.
#include "base/plural_forms.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace opsflow {

struct MoCatalogue {
    // Looks a msgid up without copying it into a std::string: tr() runs once per table cell.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const {
            return std::hash<std::string_view>{}(text);
        }
    };
    // By msgid (the singular, for a message with a plural): its forms.
    std::unordered_map<std::string, std::vector<std::string>, TextHash, std::equal_to<>> messages;
    // From the header's Plural-Forms; without one, gettext's default (n != 1, two forms).
    PluralForms plural;

    // The translation of `msgid`; nothing if it has none, or an empty one.
    std::optional<std::string_view> find(std::string_view msgid) const;
    // The form for `n` of the message whose msgid is `singular`, as the catalogue's
    // Plural-Forms chooses it; nothing if it has no such form, or an empty one.
    std::optional<std::string_view> find_plural(std::string_view singular, unsigned long n) const;
};

// Reads an MO file's bytes. Throws InvalidDataError saying why (in English) for what
// is not a whole MO file, or whose Plural-Forms is not understood (PluralForms::parse).
MoCatalogue read_mo(std::string_view bytes);

} // namespace opsflow
