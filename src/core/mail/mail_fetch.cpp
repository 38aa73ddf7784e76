// Fetching from a Maildir (and the loop every mailbox shares).
#include "opsflow/mail/mail_fetch.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <fmt/format.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

// A Maildir (maildir(5)): new/ holds what nobody has seen; a file moves to cur/
// with its flags after `:2,`.
class Maildir : public Mailbox {
  public:
    explicit Maildir(fs::path root) : root_(std::move(root)) {
        if (!fs::is_directory(root_ / "new") || !fs::is_directory(root_ / "cur"))
            throw UsageError(
                tr("mail.maildir: {} is not a Maildir (no new/ and cur/)", root_.string()));
    }

    std::string name() const override { return root_.string(); }

    std::vector<std::string> new_messages() override {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(root_ / "new"))
            if (entry.is_regular_file() && !entry.path().filename().string().starts_with("."))
                names.push_back(entry.path().filename().string());
        // Delivery names begin with the time of delivery: their order is arrival order.
        std::sort(names.begin(), names.end());
        return names;
    }

    // Regular files only: a symbolic link in new/ (to a file outside the Maildir), a
    // FIFO or a socket is skipped, never read.
    std::optional<std::string> read(const std::string& key, std::size_t max,
                                    std::size_t& size) override {
        int fd =
            ::open((root_ / "new" / key).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0) return std::nullopt;
        std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
        std::string data(max + 1, '\0');
        std::size_t got = 0;
        while (got < data.size()) {
            ssize_t n = ::read(fd, data.data() + got, data.size() - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        data.resize(got);
        // The real size of one over the limit, for the refusal.
        size = got > max ? static_cast<std::size_t>(st.st_size) : got;
        return data;
    }

    void mark_processed(const std::string& key) override { move_to_cur(key, "S"); }
    void mark_refused(const std::string& key) override { move_to_cur(key, "F"); }
    std::string describe(const std::string& key) const override { return key; }

  private:
    void move_to_cur(const std::string& key, const char* flag) {
        std::string base = key.substr(0, key.find(':'));
        std::error_code ec;
        fs::rename(root_ / "new" / key, root_ / "cur" / (base + ":2," + flag), ec);
        // Gone already: another fetch took it first, and did the same.
        if (ec && ec != std::errc::no_such_file_or_directory)
            throw RuntimeError(tr("cannot mark {} in {}: {}", key, root_.string(), ec.message()));
    }

    fs::path root_;
};

} // namespace

std::unique_ptr<Mailbox> open_maildir(const fs::path& maildir) {
    return std::make_unique<Maildir>(maildir);
}

std::unique_ptr<Mailbox> configured_mailbox(const Store& store, const Environment& environment) {
    const auto& mail = store.settings().mail;
    if (!mail.maildir.empty()) {
        fs::path dir = mail.maildir;
        return open_maildir(dir.is_absolute() ? dir : store.root() / dir);
    }
    if (!mail.imap_url.empty()) return open_imap(mail, environment);
    throw UsageError(tr("opsflow.yaml sets neither mail.maildir nor mail.imap: there is no "
                        "mailbox to fetch from (mail receive reads one message on standard "
                        "input)"));
}

void fetch_mail(Context& ctx, Mailbox& mailbox, const FetchRequest& request,
                const std::function<void(const FetchedMessage&)>& each) {
    const std::size_t max = ctx.store.settings().mail.max_size;
    std::size_t taken = 0;
    for (const auto& key : mailbox.new_messages()) {
        if (request.limit && taken >= *request.limit) break;
        std::size_t size = 0;
        auto raw = mailbox.read(key, max, size);
        if (!raw) continue;
        ++taken;
        FetchedMessage fetched{mailbox.describe(key), std::nullopt, ""};
        try {
            require_mail_size(ctx.store, std::max(size, raw->size()));
            fetched.receipt = receive_mail(ctx, *raw, request.dry_run);
        } catch (const MailDataError& e) {
            fetched.refused = e.what();
        }
        if (!request.dry_run) {
            if (fetched.receipt)
                mailbox.mark_processed(key);
            else
                mailbox.mark_refused(key);
        }
        each(fetched);
    }
}

} // namespace opsflow
