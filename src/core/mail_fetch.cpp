// Fetching from a Maildir (and the loop every mailbox shares).
#include "opsflow/mail_fetch.hpp"

#include "opsflow/error.hpp"
#include "opsflow/i18n.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>

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

    std::optional<std::string> read(const std::string& key, std::size_t max,
                                    std::size_t& size) override {
        std::ifstream in(root_ / "new" / key, std::ios::binary);
        if (!in) return std::nullopt;
        std::string data(max + 1, '\0');
        in.read(data.data(), static_cast<std::streamsize>(data.size()));
        data.resize(static_cast<std::size_t>(in.gcount()));
        size = data.size();
        if (data.size() > max) {
            in.seekg(0, std::ios::end);
            if (auto end = in.tellg(); end > 0) size = static_cast<std::size_t>(end);
        }
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

std::unique_ptr<Mailbox> configured_mailbox(const Store& store) {
    const auto& mail = store.settings().mail;
    if (!mail.maildir.empty()) {
        fs::path dir = mail.maildir;
        return open_maildir(dir.is_absolute() ? dir : store.root() / dir);
    }
    if (!mail.imap_url.empty()) {
        const char* password = std::getenv("OPSFLOW_IMAP_PASSWORD");
        return open_imap(mail, password ? password : "");
    }
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
