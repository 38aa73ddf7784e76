#include "mail/mail_thread.hpp"

#include "base/text_case.hpp"
#include "opsflow/notice/notice.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/survey.hpp"

#include <algorithm>

namespace opsflow {

namespace {

// Threads are by email only for the records a user writes about.
std::optional<RecordKind> threaded_kind(std::string_view prefix) {
    if (prefix == "TKT") return RecordKind::ticket;
    if (prefix == "INC") return RecordKind::incident;
    return std::nullopt;
}

bool is_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// `TKT-3f9a1c2e` at the start of `text`, 8 to 12 hex digits, ended by `end`.
std::optional<RecordRef> id_at(std::string_view text, char end) {
    if (text.size() < 13 || text[3] != '-') return std::nullopt;
    auto kind = threaded_kind(text.substr(0, 3));
    auto stop = text.find(end, 4);
    if (!kind || stop == std::string_view::npos || stop < 12 || stop > 16) return std::nullopt;
    auto hex = text.substr(4, stop - 4);
    if (!is_hex(hex)) return std::nullopt;
    return RecordRef{*kind, std::string(text.substr(0, stop))};
}

std::optional<RecordRef> token_in_subject(std::string_view subject) {
    for (auto at = subject.find('['); at != std::string_view::npos; at = subject.find('[', at + 1))
        if (auto ref = id_at(subject.substr(at + 1), ']')) return ref;
    return std::nullopt;
}

// The record a reference names, loaded; nothing if it cannot be read (then the
// sender cannot be checked either, and the message is not threaded to it).
std::optional<Record> load_record(const Store& store, const RecordRef& ref) {
    try {
        if (!store.id_exists(ref.kind, ref.id)) return std::nullopt;
        return store.load(ref.kind, store.locate(ref.kind, ref.id));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool sent_notice(const Record& record, const std::string& message_id) {
    if (const Node* notices = record.doc().find("notices"))
        for (const auto& n : notices->items())
            if (n.get("message_id") == message_id) return true;
    return false;
}

} // namespace

bool may_write_about(const Store& store, const Record& record, const std::string& sender) {
    if (auto email = extract_email(requester_of(record)); email && ascii_lower(*email) == sender)
        return true;
    return store.team().find_by_email(sender) != nullptr;
}

std::optional<RecordRef> record_of_notice_id(std::string_view message_id) {
    return id_at(message_id, '.');
}

MailIndex::MailIndex(const Store& store) {
    StoreFacts facts =
        load_facts(store, {RecordKind::incident, RecordKind::ticket}, FactsScope::mailed);
    auto add_ids = [&](const auto& f, RecordKind kind) {
        for (auto id : f.mail_ids)
            by_message_id_.emplace(std::string(id), RecordRef{kind, std::string(f.id)});
    };
    for (const auto& i : facts.incidents) {
        add_ids(i, RecordKind::incident);
        if (!i.mail_ids.empty()) recent_.push_back({std::string(i.reporter), i.reported});
    }
    for (const auto& t : facts.tickets) {
        add_ids(t, RecordKind::ticket);
        if (!t.mail_ids.empty()) recent_.push_back({std::string(t.requester), t.received});
    }
}

std::vector<RecordRef> MailIndex::find(const std::string& message_id) const {
    std::vector<RecordRef> out;
    auto [begin, end] = by_message_id_.equal_range(message_id);
    for (auto it = begin; it != end; ++it)
        out.push_back(it->second);
    return out;
}

std::size_t MailIndex::opened_since(const std::string& sender, Timestamp since) const {
    return static_cast<std::size_t>(
        std::count_if(recent_.begin(), recent_.end(), [&](const Opened& o) {
            if (o.at < since) return false;
            auto email = extract_email(o.requester);
            return email && ascii_lower(*email) == sender;
        }));
}

std::optional<Thread> find_thread(const Store& store, const MailIndex& index,
                                  const MailMessage& message) {
    auto trusted = [&](const Record& record) {
        return !message.automatic.empty() || may_write_about(store, record, message.from_address);
    };
    // A record that recorded this ID (a notice it sent, a message it received) and
    // that the sender may write about.
    auto named = [&](const std::string& id) -> std::optional<RecordRef> {
        if (auto ref = record_of_notice_id(id))
            if (auto record = load_record(store, *ref);
                record && sent_notice(*record, id) && trusted(*record))
                return ref;
        for (const auto& ref : index.find(id))
            if (auto record = load_record(store, ref); record && trusted(*record)) return ref;
        return std::nullopt;
    };
    for (std::size_t i = 0; i < message.references.size(); ++i)
        if (auto ref = named(message.references[i]))
            return Thread{*ref, i == 0 ? "In-Reply-To" : "References"};
    for (const auto& id : message.carried_ids)
        if (auto ref = named(id)) return Thread{*ref, "the message it returns"};
    if (auto ref = token_in_subject(message.subject)) {
        auto record = load_record(store, *ref);
        if (record && may_write_about(store, *record, message.from_address))
            return Thread{*ref, "subject token"};
    }
    return std::nullopt;
}

std::optional<RecordRef> already_taken_in(const Store& store, const MailIndex& index,
                                          const std::string& message_id,
                                          const MailMessage& message) {
    for (const auto& ref : index.find(message_id)) {
        if (!message.automatic.empty()) return ref;
        auto record = load_record(store, ref);
        // A record that cannot be read now: as before, the ID alone decides.
        if (!record || may_write_about(store, *record, message.from_address)) return ref;
    }
    return std::nullopt;
}

} // namespace opsflow
