#pragma once
// The words records and settings share (SPEC §3): how a report or a question came in,
// the impact and urgency levels, the priorities. They are English in records and
// translated when shown. The schemas' enums say the same (tests/unit/test_tables.cpp
// holds them to it); the code reads them from here.
#include "opsflow/base/i18n.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow::vocabulary {

// TRANSLATORS: how a report or a question came in.
inline constexpr std::array channels = {N_("ticket"),     N_("phone"),   N_("email"),
                                        N_("monitoring"), N_("walk-in"), N_("other")};
// TRANSLATORS: impact and urgency levels.
inline constexpr std::array levels = {N_("high"), N_("medium"), N_("low")};
// Highest first: the priority matrix's results and the SLA's keys.
inline constexpr std::array<std::string_view, 4> priorities = {"P1", "P2", "P3", "P4"};

template <class Words> std::vector<std::string> as_list(const Words& words) {
    return {words.begin(), words.end()};
}

} // namespace opsflow::vocabulary
