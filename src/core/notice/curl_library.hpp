#pragma once
// libcurl, loaded when a message is first delivered. Linked at build time, it
// and the two dozen libraries it pulls in (TLS, Kerberos, LDAP, SSH, ...) cost
// about 9 ms at every start of opsflow, and only deliveries need it.
#include <curl/curl.h>

namespace opsflow {

struct CurlLibrary {
    CURL* (*easy_init)();
    CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
    CURLcode (*easy_perform)(CURL*);
    CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
    void (*easy_cleanup)(CURL*);
    const char* (*easy_strerror)(CURLcode);
    curl_slist* (*slist_append)(curl_slist*, const char*);
    void (*slist_free_all)(curl_slist*);
};

// The library, loaded and initialised on first use; throws RuntimeError when it
// cannot be loaded.
const CurlLibrary& curl_library();

} // namespace opsflow
