#pragma once
// Which record a received message belongs to (SPEC §9, threading), and what the
// store already holds of mail: the Message-IDs taken in, who opened what lately
// (core-internal).
#include "opsflow/mail_message.hpp"
#include "opsflow/store.hpp"

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
    // The record that holds a message received with this Message-ID.
    std::optional<RecordRef> find(const std::string& message_id) const;
    // How many tickets and incidents `sender` opened by email since `since`.
    std::size_t opened_since(const std::string& sender, Timestamp since) const;

  private:
    std::map<std::string, RecordRef, std::less<>> by_message_id_;
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

// The record a message replies to: a Message-ID it names (In-Reply-To, References,
// or a bounced original) that is a notice we sent or a message we received for a
// record; else the `[TKT-…]` token of its subject when the sender is the record's
// requester or reporter or a person in team.yaml.
std::optional<Thread> find_thread(const Store& store, const MailIndex& index,
                                  const MailMessage& message);

// The ID a notice's Message-ID begins with (`TKT-3f9a1c2e.20261130T…@host`).
std::optional<RecordRef> record_of_notice_id(std::string_view message_id);

} // namespace opsflow
