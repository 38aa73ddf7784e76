#pragma once
// Record kinds and IDs: `INC-3f9a1c2e`, random so that clones never need to
// coordinate, and resolvable from any unambiguous prefix like git's short hashes.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

enum class RecordKind { incident, maintenance, ticket, improvement, problem, article };
// How many kinds there are: the size of a table indexed by kind.
inline constexpr std::size_t kind_count = 6;

struct KindInfo {
    RecordKind kind;
    std::string_view name;      // incident
    std::string_view prefix;    // INC
    std::string_view directory; // incidents
    std::string_view schema;    // incident
    std::string_view command;   // the command group: incident, maint, ticket, improve...
    char index_letter;          // its letter in the query index's files: I, M, T, P, R, A
};

const KindInfo& kind_info(RecordKind kind);
// What a person calls the kind, in the current language (opsflow/i18n.hpp): `incident`, `故障`.
std::string kind_noun(RecordKind kind);
const std::vector<KindInfo>& all_kinds();
std::optional<RecordKind> kind_from_prefix(std::string_view prefix);
std::optional<RecordKind> kind_from_name(std::string_view name);
// The kind whose directory a store-relative path lies under (`incidents/2026/11/...`).
std::optional<RecordKind> kind_of_path(std::string_view relative_path);

// A source of random 32-bit values; injectable so that tests are deterministic.
using RandomSource = std::function<std::uint32_t()>;
RandomSource system_random();

// `INC-` followed by `hex_digits` random lowercase hex digits.
std::string generate_id(RecordKind kind, const RandomSource& random, int hex_digits = 8);

bool is_full_id(std::string_view text);

// What a user typed to name a record: an optional kind and at least 4 hex digits.
struct IdQuery {
    std::optional<RecordKind> kind;
    std::string hex;
};

// Throws UsageError for anything that is not an ID or ID prefix (`../x`, `INC-zz`),
// so that no path is ever built from it.
IdQuery parse_id_query(std::string_view text);

} // namespace opsflow
