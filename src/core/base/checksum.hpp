#pragma once
// The checksum that seals opsflow's caches on disk (the query index, the check
// cache), as git's index ends with a hash of its content: a damaged byte makes the
// whole file untrusted, and it is rebuilt (core-internal).
//
// XXH64 (the published algorithm, written here: xxHash is not a dependency). Why it:
// the warm reads at 100,000 records hash ~10 MB of index on every run. XXH64 reads 32
// bytes a round in four independent 64-bit lanes: 10 MB in 0.6 ms on one core of this
// project's machines, where OpenSSL's SHA-1 took 26 ms and zlib's CRC-32 2.3 ms (best
// of 15, 2026-12-07). A pass of its own, not folded into the split of the lines: it
// costs little next to the stat walk, and the facts of a record are decoded only when a
// command needs them, after the whole file is known to be sound.
// Damage goes unseen with a chance of about 2^-64 (a 32-bit CRC: 2^-32). It detects
// damage, not tampering: whoever can write .opsflow/ can rewrite anything.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opsflow::checksum {

std::uint64_t xxh64(std::string_view data, std::uint64_t seed = 0);

// The last line of a sealed file: `xxh64 ` and 16 lower-case hex digits of the
// XXH64 of every byte before that line.
constexpr std::size_t trailer_size = 6 + 16 + 1;

// Appends the trailer to `text`.
void seal(std::string& text);

// The text before its trailer when the trailer is the checksum of that text;
// nullopt when there is no trailer (cut short, another format) or it does not match.
std::optional<std::string_view> unsealed(std::string_view text);

} // namespace opsflow::checksum
