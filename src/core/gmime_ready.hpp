#pragma once
// GMime initialised once per process, by whichever reader needs it first (core-internal).
#include <gmime/gmime.h>
#include <mutex>

namespace opsflow {

inline void gmime_ready() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

} // namespace opsflow
