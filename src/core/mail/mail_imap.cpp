// Fetching from an IMAP mailbox with libcurl: UID SEARCH for what is new,
// UID FETCH with BODY.PEEK (so that reading marks nothing), UID STORE afterwards.
#include "notice/curl_library.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/mail/mail_fetch.hpp"
#include "opsflow/notice/notice.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <memory>

namespace opsflow {

namespace {

// Set on what fetch refused, so that it is not fetched again; a person sees it unread.
constexpr const char* refused_keyword = "$OpsflowRefused";

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    auto* out = static_cast<std::string*>(user);
    // Never more than a message may be, plus the protocol around it.
    if (out->size() + size * count > (64u << 20)) return 0;
    out->append(data, size * count);
    return size * count;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_library().easy_cleanup(c); }
};

// Whether the URL's host is this machine, where plain imap:// is acceptable.
bool loopback(const std::string& url) {
    auto host = url.substr(url.find("://") + 3);
    return host.starts_with("127.0.0.1") || host.starts_with("localhost") ||
           host.starts_with("[::1]");
}

class Imap : public Mailbox {
  public:
    Imap(const MailSettings& mail, const Environment& environment)
        : url_(mail.imap_url), curl_(curl_library().easy_init()) {
        const CurlLibrary& lib = curl_library();
        CURL* c = curl_.get();
        lib.easy_setopt(c, CURLOPT_URL, url_.c_str());
        lib.easy_setopt(c, CURLOPT_ERRORBUFFER, error_);
        lib.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
        lib.easy_setopt(c, CURLOPT_TIMEOUT, 120L);
        lib.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        lib.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
        if (!url_.starts_with("imaps://"))
            lib.easy_setopt(c, CURLOPT_USE_SSL, loopback(url_) ? CURLUSESSL_TRY : CURLUSESSL_ALL);
        if (!mail.imap_user.empty()) lib.easy_setopt(c, CURLOPT_USERNAME, mail.imap_user.c_str());
        password_ = environment.imap_password;
        lib.easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
        if (!mail.imap_ca_file.empty()) {
            ca_file_ = mail.imap_ca_file;
            lib.easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str());
        }
        lib.easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
        lib.easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
        if (environment.curl_verbose) lib.easy_setopt(c, CURLOPT_VERBOSE, 1L);
    }

    std::string name() const override { return url_; }

    std::vector<std::string> new_messages() override {
        std::string answer =
            command(fmt::format("UID SEARCH UNSEEN UNKEYWORD {}", refused_keyword));
        std::vector<std::string> uids;
        for (std::size_t at = 0; (at = answer.find("* SEARCH", at)) != std::string::npos;) {
            auto end = answer.find('\n', at);
            std::string line = answer.substr(at + 8, end - at - 8);
            for (std::size_t i = 0; i < line.size();) {
                auto start = line.find_first_of("0123456789", i);
                if (start == std::string::npos) break;
                auto stop = line.find_first_not_of("0123456789", start);
                uids.push_back(line.substr(start, stop - start));
                i = stop == std::string::npos ? line.size() : stop;
            }
            at = end == std::string::npos ? answer.size() : end;
        }
        std::sort(uids.begin(), uids.end(), [](const std::string& a, const std::string& b) {
            return a.size() != b.size() ? a.size() < b.size() : a < b;
        });
        uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
        return uids;
    }

    std::optional<std::string> read(const std::string& uid, std::size_t max,
                                    std::size_t& full_size) override {
        std::string answer = command(fmt::format("UID FETCH {} BODY.PEEK[]", uid), Stream::header);
        // `* 3 FETCH (UID 17 BODY[] {1234}` CRLF, then exactly 1234 bytes.
        auto open = answer.find("BODY[] {");
        if (open == std::string::npos) return std::nullopt; // expunged meanwhile
        auto close = answer.find('}', open);
        auto size = std::stoull(answer.substr(open + 8, close - open - 8));
        auto start = answer.find('\n', close) + 1;
        if (start + size > answer.size())
            throw RuntimeError(tr("{}: UID {} came back short", url_, uid));
        full_size = size;
        return answer.substr(start, std::min<std::size_t>(size, max + 1));
    }

    void mark_processed(const std::string& uid) override {
        command(fmt::format("UID STORE {} +FLAGS (\\Seen)", uid));
    }
    void mark_refused(const std::string& uid) override {
        command(fmt::format("UID STORE {} +FLAGS ({})", uid, refused_keyword));
    }
    std::string describe(const std::string& uid) const override { return "UID " + uid; }

  private:
    // libcurl hands a custom command's answers to both streams: a SEARCH on the body
    // stream (and its lines again on the header stream), a FETCH's literal only on
    // the header stream.
    enum class Stream { body, header };

    // One command on the mailbox; its untagged answers on `stream`. A failure is
    // TempFailError: the server or the network may come back.
    std::string command(const std::string& text, Stream stream = Stream::body) {
        const CurlLibrary& lib = curl_library();
        std::string body, header;
        *error_ = '\0';
        lib.easy_setopt(curl_.get(), CURLOPT_CUSTOMREQUEST, text.c_str());
        lib.easy_setopt(curl_.get(), CURLOPT_WRITEDATA, &body);
        lib.easy_setopt(curl_.get(), CURLOPT_HEADERDATA, &header);
        CURLcode code = lib.easy_perform(curl_.get());
        if (code != CURLE_OK)
            throw TempFailError(fmt::format("IMAP {}: {}: {}", strip_controls(url_), text,
                                            *error_ ? error_ : lib.easy_strerror(code)));
        return stream == Stream::body ? body : header;
    }

    std::string url_, password_, ca_file_;
    std::unique_ptr<CURL, CurlDeleter> curl_;
    char error_[CURL_ERROR_SIZE] = {};
};

} // namespace

std::unique_ptr<Mailbox> open_imap(const MailSettings& mail, const Environment& environment) {
    return std::make_unique<Imap>(mail, environment);
}

} // namespace opsflow
