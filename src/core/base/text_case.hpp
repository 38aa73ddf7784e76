#pragma once
// ASCII lower case, for what compares without regard to case: addresses,
// header values, setting keywords (core-internal). Other bytes stay as they are.
#include <string>
#include <string_view>

namespace opsflow {

inline std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

} // namespace opsflow
