#include "base/fingerprint.hpp"

#include <cstdint>
#include <fmt/format.h>
#include <string_view>
#include <sys/stat.h>

namespace opsflow {

std::string cache_fingerprint(const std::vector<std::string>& texts) {
    // FNV-1a over each text, with a separator after each.
    std::uint64_t hash = 1469598103934665603ull;
    auto mix = [&](std::string_view bytes) {
        for (unsigned char c : bytes) {
            hash ^= c;
            hash *= 1099511628211ull;
        }
        hash ^= 0xff;
        hash *= 1099511628211ull;
    };
    for (const auto& text : texts)
        mix(text);
    mix(OPSFLOW_VERSION);
    struct stat self {};
    if (::stat("/proc/self/exe", &self) == 0)
        mix(fmt::format("{}.{}.{}", self.st_size, self.st_mtim.tv_sec, self.st_mtim.tv_nsec));
    return fmt::format("{:016x}", hash);
}

} // namespace opsflow
