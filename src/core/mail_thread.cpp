#include "mail_thread.hpp"

#include "opsflow/notice.hpp"
#include "opsflow/query.hpp"
#include "opsflow/survey.hpp"
#include "text_case.hpp"

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

bool may_write_about(const Store& store, const Record& record, const std::string& sender) {
    if (auto email = extract_email(requester_of(record)); email && ascii_lower(*email) == sender)
        return true;
    return store.team().find_by_email(sender) != nullptr;
}

} // namespace

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

std::optional<RecordRef> MailIndex::find(const std::string& message_id) const {
    auto it = by_message_id_.find(message_id);
    if (it == by_message_id_.end()) return std::nullopt;
    return it->second;
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
    auto named = [&](const std::string& id) -> std::optional<RecordRef> {
        if (auto ref = record_of_notice_id(id); ref && store.id_exists(ref->kind, ref->id))
            return ref;
        return index.find(id);
    };
    for (std::size_t i = 0; i < message.references.size(); ++i)
        if (auto ref = named(message.references[i]))
            return Thread{*ref, i == 0 ? "In-Reply-To" : "References"};
    for (const auto& id : message.carried_ids)
        if (auto ref = named(id)) return Thread{*ref, "the message it returns"};
    if (auto ref = token_in_subject(message.subject); ref && store.id_exists(ref->kind, ref->id)) {
        Record record = store.load(ref->kind, store.locate(ref->kind, ref->id));
        if (may_write_about(store, record, message.from_address))
            return Thread{*ref, "subject token"};
    }
    return std::nullopt;
}

} // namespace opsflow
