#pragma once
// `opsflow mail fetch` (SPEC §9): every new message of the configured Maildir or
// IMAP mailbox taken in, each marked processed only after its commit.
#include "opsflow/mail/mail_intake.hpp"

#include <functional>
#include <optional>
#include <string>

namespace opsflow {

struct FetchRequest {
    bool dry_run = false;
    std::optional<std::size_t> limit; // at most this many messages
};

// One message of the mailbox and what became of it.
struct FetchedMessage {
    std::string source;                 // the Maildir file name, or `UID 17`
    std::optional<MailReceipt> receipt; // taken in (or a duplicate, then only marked)
    std::string refused;                // why it was not (not a message, too large)
};

// A mailbox fetch reads: new messages, read one at a time, marked afterwards.
class Mailbox {
  public:
    virtual ~Mailbox() = default;
    virtual std::string name() const = 0;
    virtual std::vector<std::string> new_messages() = 0;
    // The message's bytes (at most `max` + 1 of them), `size` set to its real size;
    // nothing if it went away meanwhile (another fetch took it).
    virtual std::optional<std::string> read(const std::string& key, std::size_t max,
                                            std::size_t& size) = 0;
    // Taken in and committed: Maildir moves it to cur/ with S; IMAP sets \Seen.
    virtual void mark_processed(const std::string& key) = 0;
    // Refused: kept, unread, and left out of later fetches (Maildir: cur/ with F,
    // flagged for a person to look at; IMAP: the keyword $OpsflowRefused).
    virtual void mark_refused(const std::string& key) = 0;
    virtual std::string describe(const std::string& key) const = 0;
};

// The mailbox `mail.maildir` or `mail.imap` names (UsageError when neither is set).
std::unique_ptr<Mailbox> configured_mailbox(const Store& store, const Environment& environment);
std::unique_ptr<Mailbox> open_maildir(const std::filesystem::path& maildir);
// The IMAP user's password ($OPSFLOW_IMAP_PASSWORD) and libcurl's tracing come from `environment`.
std::unique_ptr<Mailbox> open_imap(const MailSettings& mail, const Environment& environment);

// Takes in the mailbox's new messages in order, calling `each` after each one. A
// message that may pass (the store busy, git failing) stops the run with
// TempFailError, leaving it and the rest unmarked for the next run.
void fetch_mail(Context& ctx, Mailbox& mailbox, const FetchRequest& request,
                const std::function<void(const FetchedMessage&)>& each);

} // namespace opsflow
