// Terminal output: column widths checked against utf8proc's own, character by character.
#include "output.hpp"

#include <cstdio>
#include <doctest/doctest.h>
#include <random>
#include <stdexcept>
#include <string>
#include <utf8proc.h>

namespace {

// The width utf8proc gives `text`, one code point at a time (an invalid byte: one column).
std::size_t reference_width(std::string_view text) {
    std::size_t width = 0;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        auto n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            n = 1;
            cp = '?';
        }
        int w = utf8proc_charwidth(cp);
        width += static_cast<std::size_t>(w < 0 ? 0 : w);
        p += n;
        left -= n;
    }
    return width;
}

std::string utf8(utf8proc_int32_t cp) {
    utf8proc_uint8_t bytes[4];
    auto n = utf8proc_encode_char(cp, bytes);
    return std::string(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(n));
}

} // namespace

TEST_CASE("display_width agrees with utf8proc on every character of the first planes") {
    for (utf8proc_int32_t cp = 0; cp < 0x30000; ++cp) {
        if (cp >= 0xD800 && cp < 0xE000) continue; // surrogates are not characters
        std::string text = utf8(cp);
        char name[16];
        std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(cp));
        INFO(name);
        REQUIRE(opsflow::cli::display_width(text) == reference_width(text));
    }
}

TEST_CASE("display_width agrees with utf8proc on mixed and broken text") {
    std::mt19937 random(20261202);
    const std::vector<std::string> pieces = {
        "a", " ",  "VPN", "故",           "障", "用户", "\xe4\xb8", "\xe9", "\x80", "，",
        "é", "\t", "😀",   "\xef\xbc\x8c", "丂", "鿼",  "鿽",      "䷀",   "㐀",   "\xed\xa0\x80"};
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        auto count = random() % 12;
        for (unsigned k = 0; k < count; ++k)
            text += pieces[random() % pieces.size()];
        INFO(text);
        REQUIRE(opsflow::cli::display_width(text) == reference_width(text));
    }
}

TEST_CASE("a table made in parts and put end to end renders as one made at once") {
    using opsflow::cli::Color;
    using opsflow::cli::Table;
    const std::vector<std::string> headers = {"ID", "TITLE", "LEFT"};
    Table whole(headers), first(headers), second(headers);
    for (int row = 0; row < 50; ++row) {
        std::string id = "INC-" + std::to_string(row * 7919 % 1000);
        std::string title =
            std::string(static_cast<std::size_t>(row % 9), 'x') + "故障\t#" + std::to_string(row);
        Color color = row % 3 ? Color::red : Color::none;
        whole.add_row({id, title, "1h"}, {Color::none, Color::none, color});
        (row < 20 ? first : second).add_row({id, title, "1h"}, {Color::none, Color::none, color});
    }
    first.append_rows(second);
    CHECK(first.render(true, 0) == whole.render(true, 0));
    CHECK(first.render(false, 30) == whole.render(false, 30));
    Table other({"ONE"});
    CHECK_THROWS_AS(first.append_rows(other), std::logic_error);
}
