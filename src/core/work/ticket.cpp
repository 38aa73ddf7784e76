#include "opsflow/work/ticket.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/vocabulary.hpp"
#include "opsflow/record/catalog.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/article.hpp"
#include "opsflow/work/incident.hpp"
#include "opsflow/work/survey.hpp"
#include "opsflow/work/workflow_step.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <tuple>

namespace opsflow {

namespace {

constexpr auto kind = RecordKind::ticket;

Change change_ticket(Context& ctx, std::string_view id, std::string_view verb,
                     std::optional<Timestamp> at,
                     const std::function<Phrase(Record&, Node&)>& apply) {
    return apply_step(ctx, kind, id, verb, at, [&](Record& r, Node& event, Timestamp) {
        return ChangeSummary{"", apply(r, event)};
    });
}

} // namespace

void check_new_ticket(const Store& store, const NewTicket& req) {
    if (req.subject.empty()) throw UsageError(tr("the subject must not be empty"));
    if (req.requester.empty()) throw UsageError(tr("--requester must not be empty"));
    if (req.service) require_service(store.services(), *req.service);
    if (req.category) require_category(store.settings(), *req.category);
    require_known("channel", req.channel, vocabulary::as_list(vocabulary::channels));
    require_contact(req.requester, "--requester");
}

Record build_ticket(const Context& ctx, const std::string& id, const NewTicket& req, Timestamp at,
                    const std::function<void(Node& event)>& on_receive) {
    Record r(kind, Node::map(), "");
    Node event = make_event(ctx, at, "receive");
    auto put = [&](std::string_view key, const std::optional<std::string>& value) {
        if (value) set_field(r, event, key, Node::string(*value));
    };
    r.doc().set("id", Node::string(id));
    put("subject", req.subject);
    enter_status(r, event);
    put("requester", req.requester);
    put("channel", req.channel);
    r.doc().set("received_at", Node::string(format_rfc3339(at, ctx.store.settings().zone)));
    put("category", req.category);
    put("service", req.service);
    put("question", req.question);
    if (on_receive) on_receive(event);
    r.append_event(std::move(event));
    return r;
}

Change receive_ticket(Context& ctx, const NewTicket& req) {
    check_new_ticket(ctx.store, req);
    Timestamp at = resolve_event_time(ctx, req.at);
    return create_record(ctx, kind, [&](const std::string& id) {
        return std::pair{build_ticket(ctx, id, req, at).doc(),
                         ChangeSummary{"new", phrase("received: {}", req.subject)}};
    });
}

Change analyze_ticket(Context& ctx, std::string_view id, const std::string& notes,
                      const std::optional<std::string>& assignee, std::optional<Timestamp> at) {
    if (assignee) require_person(ctx.store.team(), *assignee);
    return change_ticket(ctx, id, "analyze", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        std::string analysis =
            r.field("analysis").empty() ? notes : r.field("analysis") + "\n\n" + notes;
        r.doc().set("analysis", Node::string(analysis));
        event.set("notes", Node::string(notes));
        if (assignee) set_field(r, event, "assignee", Node::string(*assignee));
        return assignee ? phrase("analysing, assigned to {}", *assignee) : phrase("analysis noted");
    });
}

NoticeRun answer_ticket(Context& ctx, std::string_view id, const std::string& given_answer,
                        NoticeMode mode, std::optional<Timestamp> at,
                        const std::optional<std::string>& article_id) {
    std::string answer = given_answer;
    std::optional<Record> article;
    if (article_id) {
        article = article_for_users(ctx.store, *article_id);
        std::string text = article->field("title") + "\n\n" + article->field("body");
        answer = answer.empty() ? text : answer + "\n\n" + text;
    }
    if (answer.empty()) throw UsageError(tr("the answer must not be empty"));
    PendingNotices notices;
    Timestamp answered_at{};
    auto apply = [&](Record& r, Node& event, Timestamp when) {
        enter_status(r, event);
        set_field(r, event, "answer", Node::string(answer));
        if (article) set_field(r, event, "article", Node::string(article->id()));
        ChangeSummary summary{"answer", phrase("answered")};
        if (mode == NoticeMode::send) {
            NoticeDraft draft;
            draft.purpose = "answer";
            LanguageScope language(ctx.store.settings().language);
            draft.subject = fmt::format("Re: {}", r.field("subject"));
            draft.body = tr("Hello,\n\nAbout your question \"{}\":\n\n{}\n\nIf anything is "
                            "still unclear, reply to this message and mention {}.\n\nIT "
                            "Operations\n",
                            r.field("subject"), answer, r.id());
            if (auto email = extract_email(r.field("requester"))) draft.recipients = {*email};
            notices.add(ctx, r, summary, event, draft, when,
                        std::string(N_("the requester has no email address; tell them by phone")));
        } else {
            event.set("notice", Node::string("not sent: --no-notify"));
        }
        answered_at = when;
        return summary;
    };
    // With survey.auto_send, a survey request follows the answer.
    auto survey = [&](Record& r, ChangeSummary& summary) {
        if (mode == NoticeMode::send && auto_survey(ctx.store.settings(), r))
            add_survey_request(ctx, r, summary, notices, answered_at);
    };
    Change change = apply_step(ctx, kind, id, "answer", at, apply, survey);
    return notices.deliver(ctx, std::move(change));
}

Change close_ticket(Context& ctx, std::string_view id, std::optional<Timestamp> at) {
    return change_ticket(ctx, id, "close", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        return phrase("closed");
    });
}

Change reopen_ticket(Context& ctx, std::string_view id, const std::string& reason,
                     std::optional<Timestamp> at) {
    return change_ticket(ctx, id, "reopen", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        event.set("reason", Node::string(reason));
        return phrase("reopened: {}", reason);
    });
}

Change note_ticket(Context& ctx, std::string_view id, const std::string& text,
                   std::optional<Timestamp> at) {
    return note_record(ctx, kind, id, text, at);
}

Change escalate_ticket(Context& ctx, std::string_view id, const Escalation& e) {
    if (e.impact) require_known("impact", *e.impact, vocabulary::as_list(vocabulary::levels));
    if (e.urgency) require_known("urgency", *e.urgency, vocabulary::as_list(vocabulary::levels));
    parse_id_query(id);
    Batch batch(ctx);
    Record& ticket = batch.open(kind, id);
    auto given = [](const std::string& value) {
        return value.empty() ? std::nullopt : std::optional<std::string>(value);
    };
    Record* incident = nullptr;
    auto escalate = [&](Record& t, Node& event, Timestamp when) {
        incident = &batch.add(RecordKind::incident, [&](const std::string& incident_id) {
            NewIncident report;
            report.title = t.field("subject");
            report.classification.service = given(t.field("service"));
            report.classification.category = given(t.field("category"));
            report.classification.impact = e.impact;
            report.classification.urgency = e.urgency;
            report.reporter = t.field("requester");
            report.channel = "ticket";
            report.description = given(t.field("question"));
            auto built = build_incident(ctx, incident_id, report, when, [&](Node& reported) {
                reported.set("escalated_from", Node::string(t.id()));
            });
            add_link(built.record, t.id());
            return built.record.doc();
        });
        enter_status(t, event);
        event.set("incident", Node::string(incident->id()));
        add_link(t, incident->id());
        return ChangeSummary{"escalate", phrase("escalated to {}", incident->id())};
    };
    ChangeSummary summary = step_record(ctx, ticket, "escalate", StepTime::given(e.at), escalate);
    batch.commit(ticket, summary);
    return {*incident, summary};
}

std::vector<Record> list_tickets(const Store& store, const TicketFilter& f,
                                 std::vector<std::string>& problems) {
    // Chosen from the query index, like every list: only the tickets shown are read.
    // The index does not hold the assignee: that filter is applied to what is read.
    StoreFacts facts = load_facts(store, {kind});
    problems.insert(problems.end(), facts.problems.begin(), facts.problems.end());
    const auto& workflow = workflow_of(kind);
    std::vector<const TicketFacts*> chosen;
    for (const auto& t : facts.tickets) {
        if (!f.statuses.empty() &&
            std::find(f.statuses.begin(), f.statuses.end(), t.status) == f.statuses.end())
            continue;
        if (f.open_only && !workflow.is_open(t.status)) continue;
        if (f.service && t.service != *f.service) continue;
        if (f.category && t.category != *f.category) continue;
        if (f.since && t.received < *f.since) continue;
        if (f.until && t.received >= *f.until) continue;
        chosen.push_back(&t);
    }
    // By when they were received; in the order of their files when at once.
    std::stable_sort(chosen.begin(), chosen.end(), [](const TicketFacts* a, const TicketFacts* b) {
        return std::tie(a->received, a->file.directory, a->id) <
               std::tie(b->received, b->file.directory, b->id);
    });
    auto out = load_chosen(store, kind, chosen, problems);
    if (f.assignee)
        std::erase_if(out, [&](const Record& r) { return r.field("assignee") != *f.assignee; });
    return out;
}

} // namespace opsflow
