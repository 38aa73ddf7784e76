#include "notice/curl_library.hpp"

#include "opsflow/base/error.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

namespace opsflow {

namespace {

// The soname opsflow is built against (libcurl4 on Debian).
constexpr const char* curl_soname = "libcurl.so.4";

template <class Function> void resolve(void* library, const char* name, Function*& out) {
    void* symbol = ::dlsym(library, name);
    if (!symbol)
        throw RuntimeError(fmt::format("{} has no {}: cannot deliver messages", curl_soname, name));
    out = reinterpret_cast<Function*>(symbol);
}

CurlLibrary load_curl() {
    // Never closed: libcurl keeps global state until the process ends.
    void* library = ::dlopen(curl_soname, RTLD_NOW | RTLD_LOCAL);
    if (!library)
        throw RuntimeError(
            fmt::format("cannot load {} (install libcurl4): {}", curl_soname, ::dlerror()));
    CurlLibrary curl{};
    CURLcode (*global_init)(long) = nullptr;
    resolve(library, "curl_global_init", global_init);
    resolve(library, "curl_easy_init", curl.easy_init);
    resolve(library, "curl_easy_setopt", curl.easy_setopt);
    resolve(library, "curl_easy_perform", curl.easy_perform);
    resolve(library, "curl_easy_getinfo", curl.easy_getinfo);
    resolve(library, "curl_easy_cleanup", curl.easy_cleanup);
    resolve(library, "curl_easy_strerror", curl.easy_strerror);
    resolve(library, "curl_slist_append", curl.slist_append);
    resolve(library, "curl_slist_free_all", curl.slist_free_all);
    if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        throw RuntimeError(fmt::format("{} failed to initialise", curl_soname));
    return curl;
}

} // namespace

const CurlLibrary& curl_library() {
    static const CurlLibrary curl = load_curl(); // thread-safe; retried if it threw
    return curl;
}

} // namespace opsflow
