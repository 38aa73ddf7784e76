#include "opsflow/notice/notify.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>
#include <date/date.h>
#include <fmt/format.h>
#include <set>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

std::string utc_stamp(Timestamp t) {
    return date::format("%Y%m%dT%H%M%SZ", t);
}

// The domain of the sender, for Message-IDs.
std::string sender_domain(const std::string& from) {
    auto address = extract_email(from).value_or("opsflow@localhost");
    return address.substr(address.find('@') + 1);
}

std::string decode_base64(std::string_view text) {
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        auto pos = alphabet.find(c);
        if (pos == std::string::npos) continue;
        buffer = (buffer << 6) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

// The subject and text of an archived message, for a webhook retry.
std::pair<std::string, std::string> subject_and_text(const std::string& mime, const Node& entry) {
    std::string subject = entry.get("subject").value_or("");
    auto part = mime.find("Content-Type: text/plain");
    if (part == std::string::npos) return {subject, ""};
    auto body = mime.find("\r\n\r\n", part);
    auto end = mime.find("\r\n\r\n", body + 4);
    auto boundary = mime.find("\r\n--", body + 4);
    end = std::min(end, boundary);
    return {subject, decode_base64(std::string_view(mime).substr(
                         body + 4, end == std::string::npos ? std::string::npos : end - body - 4))};
}

} // namespace

std::vector<std::string> clean_recipients(const std::vector<std::string>& addresses) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& a : addresses) {
        require_safe_address(a);
        if (seen.insert(a).second) out.push_back(a);
    }
    return out;
}

std::string archive_path(const Store& store, const Record& record, Timestamp at,
                         std::string_view purpose) {
    // Notices sit next to their record's month, so one directory holds a record's notices.
    std::string month = fs::path(record.display_path()).parent_path().string();
    month = month.substr(month.find('/') + 1);
    std::string path =
        fmt::format("notices/{}/{}/{}-{}.eml", month, record.id(), utc_stamp(at), purpose);
    for (int n = 2; fs::exists(store.root() / path); ++n)
        path = fmt::format("notices/{}/{}/{}-{}-{}.eml", month, record.id(), utc_stamp(at), purpose,
                           n);
    return path;
}

std::vector<std::string> received_message_ids(const Record& record) {
    std::vector<std::string> ids;
    for (const auto& e : record.events().items())
        if (auto id = e.get("message_id"); id && !e.get("automatic")) ids.push_back(*id);
    constexpr std::size_t kept = 20; // References of a long thread: the newest are enough
    if (ids.size() > kept) ids.erase(ids.begin(), ids.end() - kept);
    return ids;
}

PreparedNotice prepare_notice(const Context& ctx, const Record& record, const NoticeDraft& draft,
                              Timestamp at) {
    const auto& notify = ctx.store.settings().notify;
    PreparedNotice p;
    std::string random = generate_id(RecordKind::incident, ctx.random).substr(4);
    // The record's ID leads the Message-ID, so a reply's In-Reply-To names its record.
    p.message_id =
        fmt::format("{}.{}.{}@{}", record.id(), utc_stamp(at), random, sender_domain(notify.from));
    // The token threads a reply whose client dropped In-Reply-To (SPEC §9).
    std::string token = "[" + record.id() + "]";
    std::string subject = draft.subject.find(token) == std::string::npos
                              ? draft.subject + " " + token
                              : draft.subject;
    // Dated when it is written, just before it is sent: `at` is the event's time,
    // which for mail taken in is the sender's Date.
    Message message{notify.from,    draft.recipients, subject,     draft.body,
                    draft.calendar, p.message_id,     ctx.clock(), received_message_ids(record)};
    // An acknowledgement answers the user's message (RFC 3834 §5).
    if (draft.purpose == "ack") message.auto_submitted = "auto-replied";
    p.mime = render_message(message);
    p.relative_path = archive_path(ctx.store, record, at, draft.purpose);

    p.entry = Node::map();
    p.entry.set("at", Node::string(format_rfc3339(at, ctx.store.settings().zone)));
    p.entry.set("purpose", Node::string(draft.purpose));
    if (draft.sequence) p.entry.set("sequence", Node::integer(*draft.sequence));
    Node recipients = Node::sequence();
    for (const auto& r : draft.recipients)
        recipients.push_back(Node::string(r));
    p.entry.set("recipients", recipients);
    p.entry.set("message_id", Node::string(p.message_id));
    p.entry.set("file", Node::string(p.relative_path));
    if (draft.late) p.entry.set("late", Node::boolean(true));
    p.entry.set("transport", Node::string(transport_name(notify.transport)));
    bool archive_only = notify.transport == Transport::none || draft.recipients.empty();
    p.entry.set("delivery", Node::string(archive_only ? "archived" : "pending"));
    p.entry.set("subject", Node::string(strip_controls(subject)));
    return p;
}

void attach_notice(Record& record, ChangeSummary& summary, PreparedNotice notice) {
    Node* notices = record.doc().find("notices");
    if (!notices) notices = &record.doc().set("notices", Node::sequence());
    notices->push_back(std::move(notice.entry));
    summary.new_files.emplace_back(notice.relative_path, std::move(notice.mime));
}

void PendingNotices::add(const Context& ctx, Record& record, ChangeSummary& summary, Node& event,
                         const NoticeDraft& draft, Timestamp at,
                         const std::string& no_recipient_reason) {
    if (draft.recipients.empty()) {
        event.set("notice", Node::string("not sent: " + no_recipient_reason));
        return;
    }
    PreparedNotice notice = prepare_notice(ctx, record, draft, at);
    event.set("notice", Node::string(notice.message_id));
    records_.emplace_back(record.kind(), record.id());
    message_ids_.push_back(notice.message_id);
    attach_notice(record, summary, std::move(notice));
}

NoticeRun PendingNotices::deliver(Context& ctx, Change change) const {
    NoticeRun run{std::move(change), {}};
    for (std::size_t i = 0; i < message_ids_.size(); ++i)
        run.deliveries.push_back(
            deliver_notice(ctx, records_[i].first, records_[i].second, message_ids_[i]));
    return run;
}

NoticeRun retry_notices(Context& ctx, RecordKind kind, std::string_view id) {
    Record record = ctx.store.load(kind, ctx.store.locate(kind, id));
    std::vector<DeliveryOutcome> outcomes;
    if (const Node* notices = record.doc().find("notices"))
        for (const auto& n : notices->items()) {
            auto delivery = n.get("delivery");
            if (delivery == "failed" || delivery == "pending")
                outcomes.push_back(deliver_notice(ctx, kind, record.id(), *n.get("message_id")));
        }
    if (!outcomes.empty()) record = ctx.store.load(kind, ctx.store.locate(kind, record.id()));
    return NoticeRun{Change{std::move(record), {}}, std::move(outcomes)};
}

std::optional<std::string> failed_notice(const Record& record) {
    const Node* notices = record.doc().find("notices");
    if (!notices || notices->items().empty()) return std::nullopt;
    const Node& last = notices->items().back();
    auto delivery = last.get("delivery");
    if (delivery == "failed" || delivery == "pending") return last.get("message_id");
    return std::nullopt;
}

DeliveryOutcome deliver_notice(Context& ctx, RecordKind kind, const std::string& id,
                               const std::string& message_id) {
    const auto& config = ctx.store.settings().notify;
    DeliveryOutcome outcome{message_id, config.transport, {}, 0};
    Record record = ctx.store.load(kind, ctx.store.locate(kind, id));
    const Node* entry = nullptr;
    if (const Node* notices = record.doc().find("notices"))
        for (const auto& n : notices->items())
            if (n.get("message_id") == message_id) entry = &n;
    if (!entry) throw NotFoundError(tr("{} has no notice {}", id, message_id));
    Outgoing out;
    out.envelope_from = extract_email(config.from).value_or("opsflow@localhost");
    if (const Node* r = entry->find("recipients"))
        for (const auto& item : r->items())
            out.recipients.push_back(item.text());
    outcome.recipients = out.recipients.size();
    if (config.transport == Transport::none || out.recipients.empty()) {
        outcome.delivery = {true, ""};
        return outcome;
    }
    out.mime = read_text_file(ctx.store.root() / *entry->get("file"), 8 << 20);
    auto [subject, text] = subject_and_text(out.mime, *entry);
    out.webhook_payload = {{"record", id},
                           {"purpose", entry->get("purpose").value_or("")},
                           {"subject", subject},
                           {"text", text},
                           {"recipients", out.recipients},
                           {"message_id", message_id}};
    outcome.delivery = deliver(config, out, ctx.environment);

    modify_record(ctx, kind, id, [&](Record& r) {
        for (auto& n : r.doc().find("notices")->items()) {
            if (n.get("message_id") != message_id) continue;
            int attempts = n.get("attempts") ? std::stoi(*n.get("attempts")) : 0;
            n.set("transport", Node::string(transport_name(config.transport)));
            n.set("delivery", Node::string(outcome.delivery.ok ? "sent" : "failed"));
            if (outcome.delivery.ok)
                n.erase("error");
            else
                n.set("error",
                      Node::string(strip_controls(outcome.delivery.error).substr(0, 1000)));
            n.set("attempts", Node::integer(attempts + 1));
        }
        return ChangeSummary{
            "deliver",
            outcome.delivery.ok
                ? Phrase(outcome.recipients == 1
                             ? std::string("notice delivered to 1 recipient")
                             : fmt::format("notice delivered to {} recipients", outcome.recipients),
                         ntr("notice delivered to {} recipient",
                             "notice delivered to {} recipients", outcome.recipients,
                             outcome.recipients))
                : phrase("notice delivery failed: {}", strip_controls(outcome.delivery.error))};
    });
    return outcome;
}

} // namespace opsflow
