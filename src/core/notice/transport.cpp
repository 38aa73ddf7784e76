#include "opsflow/notice/transport.hpp"

#include "notice/curl_library.hpp"
#include "opsflow/base/process.hpp"

#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <memory>

namespace opsflow {

namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_library().easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_library().slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct Upload {
    const std::string* data;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* up = static_cast<Upload*>(user);
    std::size_t n = std::min(size * count, up->data->size() - up->offset);
    std::memcpy(buffer, up->data->data() + up->offset, n);
    up->offset += n;
    return n;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
    return size * count;
}

CurlHandle new_handle(const std::string& url, char* error_buffer, bool verbose) {
    const CurlLibrary& lib = curl_library();
    CurlHandle curl(lib.easy_init());
    lib.easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    lib.easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error_buffer);
    lib.easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 10L);
    lib.easy_setopt(curl.get(), CURLOPT_TIMEOUT, 60L);
    lib.easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    if (verbose) lib.easy_setopt(curl.get(), CURLOPT_VERBOSE, 1L);
    lib.easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "smtp,smtps,http,https");
    return curl;
}

Delivery curl_result(CURLcode code, const char* error_buffer) {
    if (code == CURLE_OK) return {true, ""};
    return {false, *error_buffer ? error_buffer : curl_library().easy_strerror(code)};
}

Delivery send_smtp(const NotifyConfig& config, const Outgoing& m, const Environment& environment) {
    const CurlLibrary& lib = curl_library();
    char error[CURL_ERROR_SIZE] = {0};
    CurlHandle curl = new_handle(config.smtp_url, error, environment.curl_verbose);
    Slist rcpt;
    for (const auto& r : m.recipients)
        rcpt.reset(lib.slist_append(rcpt.release(), ("<" + r + ">").c_str()));
    std::string from = "<" + m.envelope_from + ">";
    Upload upload{&m.mime};
    lib.easy_setopt(curl.get(), CURLOPT_MAIL_FROM, from.c_str());
    lib.easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, rcpt.get());
    lib.easy_setopt(curl.get(), CURLOPT_READFUNCTION, read_upload);
    lib.easy_setopt(curl.get(), CURLOPT_READDATA, &upload);
    lib.easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
    lib.easy_setopt(curl.get(), CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    if (!config.smtp_user.empty()) {
        lib.easy_setopt(curl.get(), CURLOPT_USERNAME, config.smtp_user.c_str());
        lib.easy_setopt(curl.get(), CURLOPT_PASSWORD, environment.smtp_password.c_str());
    }
    return curl_result(lib.easy_perform(curl.get()), error);
}

Delivery send_webhook(const NotifyConfig& config, const Outgoing& m, bool verbose) {
    const CurlLibrary& lib = curl_library();
    char error[CURL_ERROR_SIZE] = {0};
    CurlHandle curl = new_handle(config.webhook_url, error, verbose);
    std::string body = m.webhook_payload.dump();
    Slist headers(lib.slist_append(nullptr, "Content-Type: application/json; charset=utf-8"));
    lib.easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    lib.easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
    lib.easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    lib.easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, discard);
    Delivery d = curl_result(lib.easy_perform(curl.get()), error);
    if (!d.ok) return d;
    long status = 0;
    lib.easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300)
        return {false, fmt::format("the webhook answered HTTP {}", status)};
    return d;
}

// Whether a sendmail command line sets the envelope sender already (`-f addr`,
// `-faddr`, or the older `-r`).
bool sets_envelope_sender(const std::vector<std::string>& argv) {
    for (std::size_t i = 1; i < argv.size(); ++i)
        if (argv[i].starts_with("-f") || argv[i].starts_with("-r")) return true;
    return false;
}

Delivery send_sendmail(const NotifyConfig& config, const Outgoing& m) {
    std::vector<std::string> argv = config.sendmail;
    // The envelope sender is notify.from, as with SMTP: a bounce comes back to the
    // gateway (and threads onto the record), not to the Unix user that ran opsflow.
    if (!m.envelope_from.empty() && !m.envelope_from.starts_with("-") &&
        !sets_envelope_sender(argv)) {
        argv.push_back("-f");
        argv.push_back(m.envelope_from);
    }
    argv.push_back("--");
    argv.insert(argv.end(), m.recipients.begin(), m.recipients.end());
    ProcessOptions options;
    options.input = m.mime;
    ProcessResult r = run_process(argv, options);
    if (r.exit_code == 0) return {true, ""};
    std::string detail = r.err.substr(0, r.err.find('\n'));
    return {false, fmt::format("{} exited with {}{}", argv[0], r.exit_code,
                               detail.empty() ? "" : ": " + detail)};
}

} // namespace

Delivery deliver(const NotifyConfig& config, const Outgoing& message,
                 const Environment& environment) {
    switch (config.transport) {
    case Transport::none:
        return {true, ""};
    case Transport::sendmail:
        return send_sendmail(config, message);
    case Transport::smtp:
        return send_smtp(config, message, environment);
    case Transport::webhook:
        return send_webhook(config, message, environment.curl_verbose);
    }
    return {false, "unknown transport"};
}

} // namespace opsflow
