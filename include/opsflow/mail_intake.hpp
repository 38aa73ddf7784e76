#pragma once
// Email intake (SPEC §9): one received message becomes a new ticket or incident,
// or joins the record it replies to; acknowledged, archived and committed at once.
#include "opsflow/i18n.hpp"
#include "opsflow/mail_message.hpp"
#include "opsflow/notify.hpp"

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
};

// Takes in one RFC 5322 message. Throws MailDataError (65) for what is not a
// message or is over `mail.max_size`, and TempFailError (75) for anything that
// may pass (the store busy, git failing, a setting to fix): then nothing is
// written and an MTA keeps the message. A dry run decides and writes nothing.
MailReceipt receive_mail(Context& ctx, std::string_view raw, bool dry_run);

} // namespace opsflow
