#pragma once
// Email intake (SPEC §9): one received message becomes a new ticket or incident,
// or joins the record it replies to; acknowledged, archived and committed at once.
#include "opsflow/base/i18n.hpp"
#include "opsflow/mail/mail_message.hpp"
#include "opsflow/notice/notify.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

// What taking in one message did.
struct MailReceipt {
    // created | reply | reopened | survey | linked (a new ticket after a closed one) |
    // duplicate (already taken in: nothing done)
    std::string action;
    RecordKind kind = RecordKind::ticket;
    std::string id;         // the record it went to
    std::string message_id; // the message's (or, without one, a digest of its bytes)
    std::string from;       // the sender's address
    Phrase description;     // what happened: the commit's (English), the confirmation's
    std::string automatic;  // why no program answers it (RFC 3834), if so
    Phrase no_ack;          // why a new record got no acknowledgement (the event keeps English)
    std::string archive;    // notices/…-received.eml
    std::vector<DeliveryOutcome> deliveries; // of the notices it sent, after its commit
    // What kinds of secret were masked in what was taken in ("a password", ...).
    std::vector<std::string> masked;
    // Why a reply went to a new ticket (action `linked`) instead of its record.
    std::string not_threaded;
    // Why delivering its notices failed after the commit (they stay `pending`).
    std::string undelivered;
};

// The store a message is taken into, as `open` finds and loads it. What fails there
// (no store yet, settings to fix) may pass once someone fixes it: a TempFailError
// (75), so that an MTA keeps the message and tries again.
Store& open_store_for_mail(const std::function<Store&()>& open);

// Refuses (MailDataError) a message of `size` bytes over `mail.max_size`.
void require_mail_size(const Store& store, std::size_t size);

// Takes in one RFC 5322 message. Throws MailDataError (65) for what is not a
// message or is over `mail.max_size`, and TempFailError (75) for anything that
// may pass (the store busy, git failing, a setting to fix): then nothing is
// written and an MTA keeps the message. What would fail on every retry is taken
// in instead: a secret is masked (in the record and the archive), a reply that its
// record cannot take becomes a new ticket that follows it. Once committed it
// returns, whatever happens to the notices. A dry run decides and writes nothing.
MailReceipt receive_mail(Context& ctx, std::string_view raw, bool dry_run);

} // namespace opsflow
