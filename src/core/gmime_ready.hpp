#pragma once
// GMime initialised once per process, by whichever reader needs it first, and what
// every reader of it shares (core-internal).
#include <gmime/gmime.h>
#include <memory>
#include <mutex>

namespace opsflow {

inline void gmime_ready() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

// A GObject GMime returned, released with it.
struct GObjectUnref {
    void operator()(gpointer p) const {
        if (p) g_object_unref(p);
    }
};
template <class T> using GPtr = std::unique_ptr<T, GObjectUnref>;

// MIME parts nested deeper than this are not looked into (a message in a message in...).
inline constexpr int max_mime_depth = 32;

} // namespace opsflow
