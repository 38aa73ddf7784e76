#pragma once
// Which record a received message belongs to (SPEC §9, threading), and what the
// store already holds of mail: the Message-IDs taken in, who opened what lately
// (core-internal).
#include "opsflow/mail/mail_message.hpp"
#include "opsflow/store/store.hpp"

#include <map>
#include <optional>
#include <string>

namespace opsflow {

struct RecordRef {
    RecordKind kind;
    std::string id;
};

// The mail the store has taken in, from the query index.
class MailIndex {
  public:
    explicit MailIndex(const Store& store);
    // The records that hold a message received with this Message-ID (more than one
    // when a later sender used an ID an earlier one had taken).
    std::vector<RecordRef> find(const std::string& message_id) const;
    // How many tickets and incidents `sender` opened by email since `since`.
    std::size_t opened_since(const std::string& sender, Timestamp since) const;

  private:
    std::multimap<std::string, RecordRef, std::less<>> by_message_id_;
    struct Opened {
        std::string requester;
        Timestamp at;
    };
    std::vector<Opened> recent_; // records opened by email, with their requester
};

struct Thread {
    RecordRef record;
    std::string how; // "In-Reply-To", "References", "subject token"
};

// Whether `sender` (a lower-case address) may add to `record` by email: its requester
// or reporter, or a person in team.yaml.
bool may_write_about(const Store& store, const Record& record, const std::string& sender);

// The record a message replies to: a Message-ID it names (In-Reply-To, References,
// or a bounced original) that is recorded as a notice we sent about the record (its
// `notices[].message_id`) or as a message we received for it; else the `[TKT-…]`
// token of its subject. Either way only when the sender may write about the record
// (may_write_about), or the message is automatic (a bounce, an auto-reply: RFC 3834),
// which never reopens or forwards. A stranger's message threads nowhere: it is new.
std::optional<Thread> find_thread(const Store& store, const MailIndex& index,
                                  const MailMessage& message);

// Whether a message with this Message-ID from this sender was already taken in: a
// record holds the ID and the sender may write about that record (an automatic
// message: any record holding it). Another sender's message that reuses a known ID
// is a new message.
std::optional<RecordRef> already_taken_in(const Store& store, const MailIndex& index,
                                          const std::string& message_id,
                                          const MailMessage& message);

// The ID a notice's Message-ID begins with (`TKT-3f9a1c2e.20261130T…@host`).
std::optional<RecordRef> record_of_notice_id(std::string_view message_id);

} // namespace opsflow
