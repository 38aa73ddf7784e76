// Taking in one message: a new record, or a reply to one; acknowledged,
// archived as received and committed in one commit (SPEC §9).
#include "opsflow/mail/mail_intake.hpp"

#include "base/text_case.hpp"
#include "mail/mail_thread.hpp"
#include "opsflow/base/confidential.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/mail/mail_text.hpp"
#include "opsflow/record/catalog.hpp"
#include "opsflow/work/incident.hpp"
#include "opsflow/work/survey.hpp"
#include "opsflow/work/ticket.hpp"
#include "opsflow/work/workflow_step.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <optional>
#include <regex>

namespace opsflow {

namespace {

constexpr std::size_t max_subject = 200;        // characters kept of a subject
constexpr std::size_t max_text = 100000;        // bytes kept of a text (the archive has it all)
constexpr std::size_t max_opened_per_hour = 10; // then no more acknowledgements

// The first `bytes` of UTF-8 text, cut on a character boundary.
std::string utf8_prefix(const std::string& text, std::size_t bytes) {
    if (text.size() <= bytes) return text;
    while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80)
        --bytes;
    return text.substr(0, bytes);
}

std::string kept_text(const std::string& text) {
    if (text.size() <= max_text) return text;
    return utf8_prefix(text, max_text) + "\n[…] (cut here: the archived message holds it all)";
}

std::string subject_of(const MailMessage& m) {
    std::string s = m.subject.empty() ? "(no subject)" : m.subject;
    // Characters, not bytes: a Chinese subject is three bytes a character.
    std::size_t chars = 0, at = 0;
    for (; at < s.size() && chars < max_subject; ++chars)
        do
            ++at;
        while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80);
    return s.substr(0, at);
}

// `Name <addr>` when that is an address opsflow can write back to; else what is known.
// A name with a comma or another RFC 5322 special is kept as written and quoted
// (`"Smith, John" <smith@example.com>`), so that it still reads as one mailbox.
std::string sender_of(const MailMessage& m) {
    std::string name;
    for (char c : m.from_name)
        if (std::string_view("\"<>@\\").find(c) == std::string_view::npos) name += c;
    name = utf8_prefix(name, 100);
    while (!name.empty() && name.back() == ' ')
        name.pop_back();
    while (!name.empty() && name.front() == ' ')
        name.erase(0, 1);
    bool special = name.find_first_of(",;:()[].") != std::string::npos;
    std::string written = special ? "\"" + name + "\"" : name;
    std::string mailbox = name.empty() ? m.from_address : written + " <" + m.from_address + ">";
    if (extract_email(mailbox)) return mailbox;
    if (!name.empty()) return name;
    return "unknown sender";
}

// A Message-ID for a message that has none (or an unusable one): the digest of its
// bytes, so that the same message delivered twice is still taken in once.
std::string digest_id(std::string_view raw) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(raw.data(), raw.size(), digest, &size, EVP_sha256(), nullptr);
    std::string hex;
    for (unsigned i = 0; i < 16 && i < size; ++i)
        hex += fmt::format("{:02x}", digest[i]);
    return "sha256-" + hex + "@opsflow.invalid";
}

// The message's Date when it is within a day of its arrival (and not after it),
// else the arrival: a sender's clock is not to be trusted further.
Timestamp event_time(const MailMessage& m, Timestamp arrival) {
    if (!m.date) return arrival;
    auto gap = *m.date > arrival ? *m.date - arrival : arrival - *m.date;
    if (gap > std::chrono::hours(24)) return arrival;
    return std::min(*m.date, arrival);
}

const MailRoute* route_for(const MailSettings& mail, const MailMessage& m) {
    for (const auto& route : mail.routes) {
        if (route.to &&
            std::find(m.recipients.begin(), m.recipients.end(), *route.to) == m.recipients.end())
            continue;
        if (route.subject_pattern && !route.subject_pattern->found_in(m.subject.substr(0, 1000)))
            continue;
        return &route;
    }
    return nullptr;
}

Node attachments_node(const MailMessage& m) {
    Node list = Node::sequence();
    for (const auto& a : m.attachments) {
        Node item = Node::map();
        item.set("name", Node::string(a.name.empty() ? "(unnamed)" : utf8_prefix(a.name, 200)));
        item.set("type", Node::string(utf8_prefix(a.type, 100)));
        item.set("size", Node::integer(static_cast<long long>(a.size)));
        list.push_back(std::move(item));
    }
    return list;
}

// Who wrote, for an event's `by`, without copying an address into the history: the
// record's requester (or reporter), a team.yaml person's id, else `email`.
std::string writer(const Store& store, const Record& record, const std::string& sender) {
    if (auto email = extract_email(requester_of(record)); email && ascii_lower(*email) == sender)
        return record.kind() == RecordKind::incident ? "reporter" : "requester";
    if (const Person* p = store.team().find_by_email(sender)) return p->id;
    return "email";
}

// What a message was, on the event it made.
void describe(Node& event, const MailMessage& m, const std::string& message_id,
              const std::string& automatic) {
    event.set("message_id", Node::string(message_id));
    if (!m.attachments.empty()) event.set("attachments", attachments_node(m));
    if (!automatic.empty()) event.set("automatic", Node::string(automatic));
}

class Intake {
  public:
    Intake(Context& ctx, std::string_view raw, const MailMessage& message)
        : ctx_(ctx), raw_(raw), m_(message), batch_(std::in_place, ctx), index_(ctx.store) {
        receipt_.from = m_.from_address;
        receipt_.message_id = safe_message_id(m_.message_id) ? m_.message_id : digest_id(raw);
        receipt_.automatic = m_.automatic;
        const auto& ours = ctx.store.settings().mail.addresses;
        if (receipt_.automatic.empty() &&
            std::any_of(ours.begin(), ours.end(),
                        [&](const std::string& a) { return ascii_lower(a) == m_.from_address; }))
            receipt_.automatic = std::string(N_("From: one of our own addresses"));
        m_.automatic = receipt_.automatic; // threads and duplicates as a machine's message
        // A secret in what the message brings would make every commit of it refused
        // (SPEC §1 row 五), and a retry would not change that: it is masked instead.
        m_.subject = mask_secrets(m_.subject, receipt_.masked);
        m_.from_name = mask_secrets(m_.from_name, receipt_.masked);
        m_.text = mask_secrets(m_.text, receipt_.masked);
        for (auto& a : m_.attachments)
            a.name = mask_secrets(a.name, receipt_.masked);
        arrival_ = ctx.clock();
        at_ = event_time(m_, arrival_);
    }

    MailReceipt run(bool dry_run) {
        if (auto seen = already_taken_in(ctx_.store, index_, receipt_.message_id, m_)) {
            receipt_.action = "duplicate";
            receipt_.kind = seen->kind;
            receipt_.id = seen->id;
            receipt_.description = phrase("already taken in; nothing to do");
            return receipt_;
        }
        auto thread = find_thread(ctx_.store, index_, m_);
        if (!thread) return finish(*open_new(std::nullopt), dry_run);
        try {
            return finish(*reply(batch_->open(thread->record.kind, thread->record.id), thread->how),
                          dry_run);
        } catch (const std::exception& e) {
            // The record cannot take the reply, and would not on a retry either: a
            // hand-written comment, a merge conflict, the size limit, a status that
            // takes no reply, the hook refusing what is already in it. The message
            // becomes a new ticket that follows it. (When the store itself failed, the
            // new ticket fails the same way and the message is kept for a retry.)
            start_over();
            receipt_.not_threaded = utf8_prefix(strip_controls(e.what()), 500);
            return finish(*open_new(thread->record.id), dry_run);
        }
    }

  private:
    MailReceipt finish(Record& record, bool dry_run) {
        receipt_.kind = record.kind();
        receipt_.id = record.id();
        summary_.description = receipt_.description;
        // The archive is the message as received, unless a secret was masked: then
        // the secret is masked in the archive too (SPEC §9; README "Email intake").
        summary_.new_files.emplace_back(
            receipt_.archive, receipt_.masked.empty() ? std::string(raw_) : mask_message(raw_));
        if (dry_run) {
            if (!record.original_text().empty()) record.check_rewritable();
            (void)record.render(); // the size limit
            return receipt_;
        }
        batch_->commit(record, summary_);
        Change change{record, summary_};
        batch_.reset(); // delivering writes each outcome to the record, under the lock again
        try {
            receipt_.deliveries = notices_.deliver(ctx_, std::move(change)).deliveries;
        } catch (const std::exception& e) {
            // Committed: the message is taken in, and a redelivery would only be found
            // a duplicate. A notice whose outcome is not recorded stays `pending`.
            receipt_.undelivered = utf8_prefix(strip_controls(e.what()), 500);
        }
        return receipt_;
    }

    // Everything a failed attempt prepared is dropped; the store lock is taken again.
    void start_over() {
        batch_.reset();
        batch_.emplace(ctx_);
        summary_ = ChangeSummary{};
        notices_ = PendingNotices{};
        receipt_.no_ack = Phrase{};
        receipt_.archive.clear();
    }

    std::string archive_for(const Record& r, Timestamp at) {
        receipt_.archive = archive_path(ctx_.store, r, at, "received");
        return receipt_.archive;
    }

    // A new ticket or incident; `earlier` is the record it follows (a closed ticket,
    // or a record that could not take the reply).
    Record* open_new(const std::optional<std::string>& earlier) {
        const MailRoute* route = route_for(ctx_.store.settings().mail, m_);
        bool incident = route && route->kind == "incident";
        auto kind = incident ? RecordKind::incident : RecordKind::ticket;
        std::string requester = sender_of(m_);
        auto fill = [&](Node& event) {
            describe(event, m_, receipt_.message_id, receipt_.automatic);
            event.set("by", Node::string(incident ? "reporter" : "requester"));
            if (earlier) event.set("follows", Node::string(*earlier));
            note_masked(event);
        };
        Record& r = batch_->add(kind, [&](const std::string& id) {
            std::string text = kept_text(m_.text);
            if (incident) {
                NewIncident req;
                req.title = subject_of(m_);
                req.classification = {route->service, route->category, route->impact,
                                      route->urgency, std::nullopt,    std::nullopt};
                if (route->service) require_service(ctx_.store.services(), *route->service);
                if (route->category) require_category(ctx_.store.settings(), *route->category);
                req.reporter = requester;
                req.channel = route->channel.value_or("email");
                if (!text.empty()) req.description = text;
                return build_incident(ctx_, id, req, at_, fill).record.doc();
            }
            NewTicket req{subject_of(m_),
                          requester,
                          route && route->channel ? *route->channel : "email",
                          route ? route->service : std::nullopt,
                          route ? route->category : std::nullopt,
                          text.empty() ? std::nullopt : std::optional<std::string>(text),
                          at_};
            check_new_ticket(ctx_.store, req);
            return build_ticket(ctx_, id, req, at_, fill).doc();
        });
        if (earlier) add_link(r, *earlier);
        Node& event = r.doc().find("events")->items().front();
        event.set("received", Node::string(archive_for(r, at_)));
        receipt_.action = earlier ? "linked" : "created";
        receipt_.description = !earlier ? phrase("received by email")
                               : receipt_.not_threaded.empty()
                                   ? phrase("received by email (follows {})", *earlier)
                                   : phrase("received by email (a reply to {}, which cannot "
                                            "take it)",
                                            *earlier);
        summary_.verb = "mail";
        acknowledge(r, event);
        return &r;
    }

    void acknowledge(Record& r, Node& event) {
        const auto& mail = ctx_.store.settings().mail;
        if (!receipt_.automatic.empty())
            // (The header names of an RFC 3834 reason are shown as they are.)
            receipt_.no_ack = Phrase(fmt::format("an automatic message ({})", receipt_.automatic),
                                     tr("an automatic message ({})", tr(receipt_.automatic)));
        else if (!mail.acknowledge)
            receipt_.no_ack = phrase("mail.acknowledge is false");
        else if (index_.opened_since(m_.from_address, arrival_ - std::chrono::hours(1)) >=
                 max_opened_per_hour)
            receipt_.no_ack = phrase("the sender opened more than 10 records in the last hour");
        if (!receipt_.no_ack.english.empty()) {
            event.set("notice", Node::string("not sent: " + receipt_.no_ack.english));
            return;
        }
        NoticeDraft draft;
        draft.purpose = "ack";
        LanguageScope language(ctx_.store.settings().language);
        draft.subject = tr("[Received] {}", subject_of(m_));
        draft.body = tr("Hello,\n\nWe have received your message \"{0}\" as {1}. We will be in "
                        "touch soon.\nTo add anything, reply to this message.\n\nIT Operations\n",
                        subject_of(m_), r.id());
        if (!receipt_.masked.empty())
            draft.body += "\n" + tr("Your message held what looks like a password, key or token. "
                                    "It is masked in our records, but it has travelled by email: "
                                    "please change it now.\n");
        if (auto email = extract_email(requester_of(r))) draft.recipients = {*email};
        notices_.add(ctx_, r, summary_, event, draft, at_, "the sender has no address to answer");
    }

    Record* reply(Record& r, const std::string& how) {
        const Workflow& workflow = workflow_of(r.kind());
        workflow.require(r, "reply");
        // A message never goes back in time: one dated before the record's last event is
        // recorded at that event's time.
        Timestamp when = std::max(at_, r.last_event_time());
        // A reply that would reopen a finished ticket opens a new one after a while.
        bool reopens = workflow.moves("reply", r.status()) && !workflow.is_open(r.status());
        if (reopens && receipt_.automatic.empty() &&
            when - closed_at(r) > ctx_.store.settings().mail.reopen_within.wall())
            return open_new(r.id());
        std::string by = writer(ctx_.store, r, m_.from_address);
        std::string text = new_text(m_.text);
        auto score = receipt_.automatic.empty() ? survey_score(text) : std::nullopt;
        // A score answers the survey only from the requester or reporter, and only the
        // first time: by mail nobody replaces an answer (`survey record` does).
        bool answer_like =
            score && r.doc().find("survey") && r.doc().find("survey")->get("sent_at");
        bool survey = answer_like && (by == "requester" || by == "reporter") &&
                      !survey_answer_problem(r, AnswerPolicy::first_only);
        auto take = [&](Record& record, Node& event, Timestamp) {
            describe(event, m_, receipt_.message_id, receipt_.automatic);
            event.set("received", Node::string(archive_for(record, when)));
            event.set("by", Node::string(by));
            event.set("threaded_by", Node::string(how));
            note_masked(event);
            if (!text.empty()) event.set("text", Node::string(kept_text(text)));
            receipt_.action = "reply";
            receipt_.description = phrase("reply by email");
            // Someone writing to an answered or closed ticket is not done with it: it goes
            // where its table sends a reply. A survey score or an auto-reply is not that.
            if (!answer_like && receipt_.automatic.empty() && enter_status(record, event)) {
                receipt_.action = reopens ? "reopened" : "reply";
                receipt_.description = reopens ? phrase("reply by email; reopened")
                                               : phrase("reply by email; back to analyzing");
            }
            if (record.kind() == RecordKind::incident && receipt_.automatic.empty())
                tell_assignee(record, event, text);
            return ChangeSummary{};
        };
        step_record(ctx_, r, "reply", StepTime::exactly(when), take);
        summary_.verb = "mail";
        if (survey) {
            auto rest = text.find('\n');
            std::optional<std::string> comment;
            if (rest != std::string::npos) comment = text.substr(rest + 1);
            add_survey_answer(ctx_, r, *score, comment, when);
            r.doc().find("events")->items().back().set("by", Node::string(by));
            receipt_.action = "survey";
            receipt_.description = phrase("survey answer by email: {}/5", *score);
        }
        return &r;
    }

    // What was masked, on the event of the message that held it.
    void note_masked(Node& event) const {
        if (receipt_.masked.empty()) return;
        Node list = Node::sequence();
        for (const auto& what : receipt_.masked)
            list.push_back(Node::string(what));
        event.set("masked", std::move(list));
    }

    static Timestamp closed_at(const Record& r) {
        Timestamp at = r.last_event_time();
        const std::string_view closed = workflow_of(r.kind()).target("close");
        for (const auto& e : r.events().items())
            if (e.get("status") == closed || e.get("action") == "close")
                if (auto t = parse_rfc3339(e.get("at").value_or(""))) at = *t;
        return at;
    }

    void tell_assignee(Record& r, Node& event, const std::string& text) {
        const Person* person = ctx_.store.team().find(r.field("assignee"));
        NoticeDraft draft;
        draft.purpose = "reply";
        LanguageScope language(ctx_.store.settings().language);
        draft.subject = tr("[Reply] {}", r.field("title"));
        draft.body = tr("{0} wrote about the incident \"{1}\" ({2}):\n\n{3}\n", sender_of(m_),
                        r.field("title"), r.id(), text.empty() ? tr("(no new text)") : text);
        if (person && !person->email.empty()) draft.recipients = {person->email};
        notices_.add(ctx_, r, summary_, event, draft, event_at(event),
                     r.field("assignee").empty() ? "not assigned yet"
                                                 : "the assignee has no email address");
    }

    static Timestamp event_at(const Node& event) {
        return parse_rfc3339(event.get("at").value_or("")).value_or(Timestamp{});
    }

    Context& ctx_;
    std::string_view raw_;
    MailMessage m_;              // as read, its secrets masked
    std::optional<Batch> batch_; // the store lock, from the lookup to the commit
    MailIndex index_;
    MailReceipt receipt_;
    ChangeSummary summary_;
    PendingNotices notices_;
    Timestamp arrival_{}, at_{};
};

} // namespace

Store& open_store_for_mail(const std::function<Store&()>& open) {
    try {
        return open();
    } catch (const Error& e) {
        throw TempFailError(e.what());
    }
}

void require_mail_size(const Store& store, std::size_t size) {
    const auto& mail = store.settings().mail;
    if (size > mail.max_size)
        throw MailDataError(
            tr("the message is {} bytes, over mail.max_size ({} bytes)", size, mail.max_size));
}

MailReceipt receive_mail(Context& ctx, std::string_view raw, bool dry_run) {
    ctx.lock_wait =
        ctx.store.settings().mail.lock_wait; // a busy store: 75 well inside the MTA's time limit
    require_mail_size(ctx.store, raw.size());
    MailMessage message = parse_mail(raw);
    try {
        return Intake(ctx, raw, message).run(dry_run);
    } catch (const MailDataError&) {
        throw;
    } catch (const std::exception& e) {
        // Whatever else failed (the lock, git, a setting) may pass: the MTA keeps the
        // message and tries again, and nothing was written. What would fail again
        // (a secret, a record that cannot take a reply) never reaches here.
        throw TempFailError(e.what());
    }
}

} // namespace opsflow
