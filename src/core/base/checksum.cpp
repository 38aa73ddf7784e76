#include "base/checksum.hpp"

#include <bit>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <iterator>

namespace opsflow::checksum {

namespace {

constexpr std::uint64_t p1 = 0x9E3779B185EBCA87ull;
constexpr std::uint64_t p2 = 0xC2B2AE3D27D4EB4Full;
constexpr std::uint64_t p3 = 0x165667B19E3779F9ull;
constexpr std::uint64_t p4 = 0x85EBCA77C2B2AE63ull;
constexpr std::uint64_t p5 = 0x27D4EB2F165667C5ull;

// Little-endian reads, whatever the machine (XXH64 is defined on little-endian words).
std::uint64_t read64(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return std::endian::native == std::endian::little ? v : __builtin_bswap64(v);
}
std::uint32_t read32(const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return std::endian::native == std::endian::little ? v : __builtin_bswap32(v);
}

std::uint64_t lane_round(std::uint64_t acc, std::uint64_t input) {
    acc += input * p2;
    acc = std::rotl(acc, 31);
    return acc * p1;
}

std::uint64_t merge_round(std::uint64_t acc, std::uint64_t lane) {
    acc ^= lane_round(0, lane);
    return acc * p1 + p4;
}

constexpr std::string_view trailer_word = "xxh64 ";

} // namespace

std::uint64_t xxh64(std::string_view data, std::uint64_t seed) {
    const char* p = data.data();
    const char* const end = p + data.size();
    std::uint64_t h;
    if (data.size() >= 32) {
        std::uint64_t v1 = seed + p1 + p2, v2 = seed + p2, v3 = seed, v4 = seed - p1;
        for (const char* const limit = end - 32; p <= limit; p += 32) {
            v1 = lane_round(v1, read64(p));
            v2 = lane_round(v2, read64(p + 8));
            v3 = lane_round(v3, read64(p + 16));
            v4 = lane_round(v4, read64(p + 24));
        }
        h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
        h = merge_round(h, v1);
        h = merge_round(h, v2);
        h = merge_round(h, v3);
        h = merge_round(h, v4);
    } else {
        h = seed + p5;
    }
    h += data.size();
    for (; end - p >= 8; p += 8) {
        h ^= lane_round(0, read64(p));
        h = std::rotl(h, 27) * p1 + p4;
    }
    if (end - p >= 4) {
        h ^= std::uint64_t{read32(p)} * p1;
        h = std::rotl(h, 23) * p2 + p3;
        p += 4;
    }
    for (; p < end; ++p) {
        h ^= std::uint64_t{static_cast<unsigned char>(*p)} * p5;
        h = std::rotl(h, 11) * p1;
    }
    h ^= h >> 33;
    h *= p2;
    h ^= h >> 29;
    h *= p3;
    h ^= h >> 32;
    return h;
}

void seal(std::string& text) {
    fmt::format_to(std::back_inserter(text), "{}{:016x}\n", trailer_word, xxh64(text));
}

std::optional<std::string_view> unsealed(std::string_view text) {
    if (text.size() < trailer_size || text.back() != '\n') return std::nullopt;
    const std::string_view content = text.substr(0, text.size() - trailer_size);
    std::string_view trailer = text.substr(content.size(), trailer_size - 1);
    if (!trailer.starts_with(trailer_word)) return std::nullopt;
    trailer.remove_prefix(trailer_word.size());
    // Lower-case hex only, as seal writes it: one checksum has one spelling.
    if (trailer.find_first_not_of("0123456789abcdef") != std::string_view::npos)
        return std::nullopt;
    std::uint64_t stored = 0;
    auto [end, error] =
        std::from_chars(trailer.data(), trailer.data() + trailer.size(), stored, 16);
    if (error != std::errc{} || end != trailer.data() + trailer.size()) return std::nullopt;
    if (stored != xxh64(content)) return std::nullopt;
    return content;
}

} // namespace opsflow::checksum
