#pragma once
// GMime initialised once per process, by whichever reader needs it first, and what
// every reader of it shares (core-internal).
#include <gmime/gmime.h>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

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

// Applies merge_encoded_words (mail_words.hpp: GMime 3.2.13 drops the words after a
// padded B word) to the raw value of every header of `object` named one of `names`;
// the message then decodes them again, with its parser options. Returns the raw
// values it replaced, to put back with restore_raw_values.
using RawValues = std::vector<std::pair<GMimeHeader*, std::string>>;
RawValues merge_encoded_words(GMimeObject* object, std::initializer_list<const char*> names);
void restore_raw_values(const RawValues& replaced);

} // namespace opsflow
