#include "opsflow/base/id.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <random>
#include <regex>

namespace opsflow {

const std::vector<KindInfo>& all_kinds() {
    static const std::vector<KindInfo> kinds = {
        {RecordKind::incident, "incident", "INC", "incidents", "incident", "incident", 'I'},
        {RecordKind::maintenance, "maintenance", "MNT", "maintenance", "maintenance", "maint", 'M'},
        {RecordKind::ticket, "ticket", "TKT", "tickets", "ticket", "ticket", 'T'},
        {RecordKind::improvement, "improvement", "IMP", "improvements", "improvement", "improve",
         'P'},
        {RecordKind::problem, "problem", "PRB", "problems", "problem", "problem", 'R'},
        {RecordKind::article, "article", "KB", "articles", "article", "article", 'A'},
    };
    return kinds;
}

const KindInfo& kind_info(RecordKind kind) {
    return all_kinds()[static_cast<std::size_t>(kind)];
}

std::string kind_noun(RecordKind kind) {
    switch (kind) {
    case RecordKind::incident:
        return tr("incident");
    case RecordKind::maintenance:
        return tr("maintenance window");
    case RecordKind::ticket:
        return tr("ticket");
    case RecordKind::improvement:
        return tr("improvement");
    case RecordKind::problem:
        return tr("problem");
    case RecordKind::article:
        return tr("article");
    }
    return std::string(kind_info(kind).name);
}

std::optional<RecordKind> kind_from_prefix(std::string_view prefix) {
    for (const auto& k : all_kinds())
        if (k.prefix == prefix) return k.kind;
    return std::nullopt;
}

std::optional<RecordKind> kind_from_name(std::string_view name) {
    for (const auto& k : all_kinds())
        if (k.name == name) return k.kind;
    return std::nullopt;
}

std::optional<RecordKind> kind_of_path(std::string_view relative_path) {
    for (const auto& kind : all_kinds())
        if (relative_path.starts_with(kind.directory) &&
            relative_path.size() > kind.directory.size() &&
            relative_path[kind.directory.size()] == '/')
            return kind.kind;
    return std::nullopt;
}

RandomSource system_random() {
    auto engine = std::make_shared<std::mt19937>(std::random_device{}());
    return [engine] { return static_cast<std::uint32_t>((*engine)()); };
}

std::string generate_id(RecordKind kind, const RandomSource& random, int hex_digits) {
    std::string hex;
    while (static_cast<int>(hex.size()) < hex_digits)
        hex += fmt::format("{:08x}", random());
    hex.resize(static_cast<std::size_t>(hex_digits));
    return fmt::format("{}-{}", kind_info(kind).prefix, hex);
}

namespace {

// `INC|MNT|...|KB` from the kind table, in upper case, and in lower case too when asked.
std::string prefix_alternatives(bool lower_too) {
    std::string out;
    for (const auto& kind : all_kinds()) {
        out += (out.empty() ? "" : "|") + std::string(kind.prefix);
        if (lower_too) {
            std::string lower(kind.prefix);
            std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
            out += "|" + lower;
        }
    }
    return out;
}

} // namespace

bool is_full_id(std::string_view text) {
    static const std::regex re("(" + prefix_alternatives(false) + ")-[0-9a-f]{8,64}");
    return text.size() <= 68 && std::regex_match(text.begin(), text.end(), re);
}

IdQuery parse_id_query(std::string_view text) {
    static const std::regex re("(?:(" + prefix_alternatives(true) + ")-)?([0-9a-f]{4,64})");
    std::match_results<std::string_view::const_iterator> m;
    if (text.size() > 68 || !std::regex_match(text.begin(), text.end(), m, re))
        throw UsageError(tr(
            "'{}' is not a record ID (expected e.g. INC-3f9a1c2e, or at least 4 of its hex digits)",
            text.substr(0, 80)));
    IdQuery q;
    if (m[1].matched) {
        std::string prefix = m.str(1);
        std::transform(prefix.begin(), prefix.end(), prefix.begin(), ::toupper);
        q.kind = kind_from_prefix(prefix);
    }
    q.hex = m.str(2);
    return q;
}

} // namespace opsflow
