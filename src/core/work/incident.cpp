#include "opsflow/work/incident.hpp"

#include "base/permute.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/vocabulary.hpp"
#include "opsflow/record/catalog.hpp"
#include "opsflow/record/incident_sla.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/routing.hpp"
#include "opsflow/work/survey.hpp"
#include "opsflow/work/workflow_step.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <numeric>

namespace opsflow {

namespace {

constexpr auto kind = RecordKind::incident;

void require_level(const std::string& what, const std::optional<std::string>& value) {
    if (value) require_known(what, *value, vocabulary::as_list(vocabulary::levels));
}

void check_classification(const Store& store, const Classification& c) {
    if (c.service) require_service(store.services(), *c.service);
    if (c.category) require_category(store.settings(), *c.category);
    require_level("impact", c.impact);
    require_level("urgency", c.urgency);
    if (c.priority) {
        require_known("priority", *c.priority, vocabulary::as_list(vocabulary::priorities));
        if (!c.reason || c.reason->empty())
            throw UsageError(
                tr("--priority overrides the priority matrix and needs --reason TEXT"));
    }
}

// The common shape of a verb: check the step, make the event, apply, append, refresh SLA.
Change change_incident(Context& ctx, std::string_view id, std::string_view verb,
                       std::optional<Timestamp> at,
                       const std::function<Phrase(Record&, Node&)>& apply) {
    return apply_step(
        ctx, kind, id, verb, at,
        [&](Record& r, Node& event, Timestamp) {
            return ChangeSummary{"", apply(r, event)};
        },
        [&](Record& r, ChangeSummary&) { refresh_sla_deadlines(r, ctx.store.settings()); });
}

// Applies the classification to the record and event; returns what changed, for the message.
Phrase apply_classification(const Context& ctx, Record& r, Node& event, const Classification& c) {
    std::vector<std::string> changed, changed_local;
    auto apply = [&](std::string_view key, const std::optional<std::string>& value,
                     bool level = false) {
        if (!value || r.field(key) == *value) return;
        set_field(r, event, key, Node::string(*value));
        changed.push_back(fmt::format("{} {}", key, *value));
        changed_local.push_back(tr("{} {}", tr(key), level ? tr(*value) : *value));
    };
    apply("service", c.service);
    apply("category", c.category);
    apply("impact", c.impact, true);
    apply("urgency", c.urgency, true);
    std::string priority = c.priority.value_or(
        matrix_priority(ctx.store.settings(), r.field("impact"), r.field("urgency")));
    apply("priority", priority);
    if (c.priority) event.set("reason", Node::string(*c.reason));
    if (changed.empty()) return phrase("classified, nothing changed");
    return Phrase(fmt::format("classified: {}", fmt::join(changed, ", ")),
                  tr("classified: {}", fmt::format("{}", fmt::join(changed_local, tr(", ")))));
}

std::string pick_assignee(const Context& ctx, const Record& r, AssignMode mode,
                          const std::string& assignee) {
    if (mode == AssignMode::automatic)
        return route_incident(ctx.store, r.field("category"), r.field("service"));
    require_person(ctx.store.team(), assignee);
    return assignee;
}

Phrase apply_assignment(const Context& ctx, Record& r, Node& event, AssignMode mode,
                        const std::string& assignee) {
    std::string who = pick_assignee(ctx, r, mode, assignee);
    set_field(r, event, "assignee", Node::string(who));
    enter_status(r, event);
    if (mode == AssignMode::automatic) event.set("routed", Node::boolean(true));
    return phrase("assigned to {}", who);
}

} // namespace

ReportedIncident build_incident(const Context& ctx, const std::string& id, const NewIncident& req,
                                Timestamp at, const std::function<void(Node&)>& on_report) {
    const auto& c = req.classification;
    std::string impact = c.impact.value_or("medium"), urgency = c.urgency.value_or("medium");
    std::string priority =
        c.priority.value_or(matrix_priority(ctx.store.settings(), impact, urgency));
    Node event = make_event(ctx, at, "report");
    Record r(kind, Node::map(), "");
    auto put = [&](std::string_view key, const std::optional<std::string>& value) {
        if (value) set_field(r, event, key, Node::string(*value));
    };
    r.doc().set("id", Node::string(id));
    put("title", req.title);
    enter_status(r, event);
    put("service", c.service);
    put("category", c.category);
    put("impact", impact);
    put("urgency", urgency);
    put("priority", priority);
    if (c.priority) event.set("reason", Node::string(*c.reason));
    if (req.reporter) require_contact(*req.reporter, "--reporter");
    put("reporter", req.reporter.value_or(ctx.actor.id));
    put("channel", req.channel);
    r.doc().set("reported_at", Node::string(format_rfc3339(at, ctx.store.settings().zone)));
    put("description", req.description);
    if (on_report) on_report(event);
    r.append_event(std::move(event));
    Phrase message = phrase("reported");
    if (req.assign_mode != AssignMode::none) {
        Node assign = make_event(ctx, at, "assign");
        message = apply_assignment(ctx, r, assign, req.assign_mode, req.assignee);
        r.append_event(std::move(assign));
    }
    refresh_sla_deadlines(r, ctx.store.settings());
    return {std::move(r), std::move(message)};
}

Change report_incident(Context& ctx, const NewIncident& req) {
    if (req.title.empty()) throw UsageError(tr("the title must not be empty"));
    check_classification(ctx.store, req.classification);
    require_known("channel", req.channel, vocabulary::as_list(vocabulary::channels));
    if (req.assign_mode == AssignMode::person) require_person(ctx.store.team(), req.assignee);
    Timestamp at = resolve_event_time(ctx, req.at);
    return create_record(ctx, kind, [&](const std::string& id) {
        auto built = build_incident(ctx, id, req, at);
        return std::pair{built.record.doc(),
                         ChangeSummary{"new", built.message += Phrase(": " + req.title)}};
    });
}

Change classify_incident(Context& ctx, std::string_view id, const Classification& c,
                         std::optional<Timestamp> at) {
    check_classification(ctx.store, c);
    return change_incident(ctx, id, "classify", at, [&](Record& r, Node& event) {
        return apply_classification(ctx, r, event, c);
    });
}

Change assign_incident(Context& ctx, std::string_view id, AssignMode mode,
                       const std::string& assignee, const std::optional<std::string>& note,
                       std::optional<Timestamp> at) {
    if (mode == AssignMode::person) require_person(ctx.store.team(), assignee);
    return change_incident(ctx, id, "assign", at, [&](Record& r, Node& event) {
        Phrase message = apply_assignment(ctx, r, event, mode, assignee);
        if (note) event.set("note", Node::string(*note));
        return message;
    });
}

Change diagnose_incident(Context& ctx, std::string_view id, const std::string& cause,
                         std::optional<Timestamp> at) {
    return change_incident(ctx, id, "diagnose", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        set_field(r, event, "cause", Node::string(cause));
        return phrase("cause found");
    });
}

Change fix_incident(Context& ctx, std::string_view id, const std::string& resolution,
                    const std::optional<std::string>& cause, std::optional<Timestamp> at) {
    return change_incident(ctx, id, "fix", at, [&](Record& r, Node& event) {
        if ((!cause || cause->empty()) && r.field("cause").empty())
            throw RefusedError(
                tr("cannot fix {}: its cause is not recorded (a closed incident needs one); add "
                   "--cause TEXT, or run: opsflow incident diagnose {} --cause TEXT",
                   r.id(), r.id()));
        enter_status(r, event);
        if (cause) set_field(r, event, "cause", Node::string(*cause));
        set_field(r, event, "resolution", Node::string(resolution));
        return phrase("resolved");
    });
}

Change verify_incident(Context& ctx, std::string_view id, VerifyResult result,
                       const std::optional<std::string>& note, std::optional<Timestamp> at) {
    return change_incident(ctx, id, "verify", at, [&](Record& r, Node& event) {
        bool passed = result == VerifyResult::passed;
        Node verification = Node::map();
        verification.set("result", Node::string(passed ? "passed" : "failed"));
        if (note) verification.set("note", Node::string(*note));
        r.doc().set("verification", verification);
        event.set("result", Node::string(passed ? "passed" : "failed"));
        if (note) event.set("note", Node::string(*note));
        enter_status(r, event, passed ? "passed" : "failed");
        return passed ? phrase("verification passed")
                      : phrase("verification failed, back to diagnosing");
    });
}

NoticeRun close_incident(Context& ctx, std::string_view id,
                         const std::optional<std::string>& feedback, NoticeMode mode,
                         std::optional<Timestamp> at) {
    PendingNotices notices;
    Timestamp closed_at{};
    auto close = [&](Record& r, Node& event, Timestamp when) {
        if (!feedback || feedback->empty())
            throw RefusedError(tr(
                "cannot close {}: a closed incident records what the user was told (SPEC §1 step "
                "1.7; `opsflow check` requires it); add --feedback TEXT",
                r.id()));
        closed_at = when;
        enter_status(r, event);
        set_field(r, event, "feedback", Node::string(*feedback));
        ChangeSummary summary{"close", phrase("closed")};
        if (mode == NoticeMode::send) {
            NoticeDraft draft;
            draft.purpose = "feedback";
            LanguageScope language(ctx.store.settings().language);
            draft.subject = tr("[Resolved] {}", r.field("title"));
            // The cause and resolution are the technicians' words, and may be
            // confidential: the user is told them only where the department says so.
            draft.body =
                ctx.store.settings().notify.closure_details
                    ? tr("Hello,\n\nThe incident you reported, \"{}\" ({}), has been resolved."
                         "\n\n{}\n\nCause: {}\nResolution: {}\n\nIT Operations\n",
                         r.field("title"), r.id(), *feedback, r.field("cause"),
                         r.field("resolution"))
                    : tr("Hello,\n\nThe incident you reported, \"{}\" ({}), has been resolved."
                         "\n\n{}\n\nIT Operations\n",
                         r.field("title"), r.id(), *feedback);
            if (auto email = extract_email(r.field("reporter"))) draft.recipients = {*email};
            notices.add(ctx, r, summary, event, draft, when,
                        std::string(N_("the reporter has no email address; tell them by phone")));
        } else {
            event.set("notice", Node::string("not sent: --no-notify"));
        }
        return summary;
    };
    // With survey.auto_send, a survey request follows the feedback.
    auto survey = [&](Record& r, ChangeSummary& summary) {
        if (mode == NoticeMode::send && auto_survey(ctx.store.settings(), r))
            add_survey_request(ctx, r, summary, notices, closed_at);
    };
    Change change = apply_step(ctx, kind, id, "close", at, close, survey);
    return notices.deliver(ctx, std::move(change));
}

Change hold_incident(Context& ctx, std::string_view id, const std::string& reason,
                     std::optional<Timestamp> at) {
    return change_incident(ctx, id, "hold", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        event.set("reason", Node::string(reason));
        return phrase("on hold: {}", reason);
    });
}

Change resume_incident(Context& ctx, std::string_view id, const std::optional<std::string>& note,
                       std::optional<Timestamp> at) {
    return change_incident(ctx, id, "resume", at, [&](Record& r, Node& event) {
        // Back to where it was before the hold.
        const Workflow& workflow = workflow_of(kind);
        std::string previous(workflow.initial_status());
        for (const auto& e : r.events().items()) {
            auto status = e.get("status");
            if (status && !workflow.allows("resume", *status)) previous = *status;
        }
        enter_status(r, event, previous);
        if (note) event.set("note", Node::string(*note));
        // The status in the operator's words on screen, as it is in the commit message.
        return Phrase(fmt::format("resumed ({})", previous), tr("resumed ({})", tr(previous)));
    });
}

Change cancel_incident(Context& ctx, std::string_view id, const std::string& reason,
                       const std::optional<std::string>& duplicate_of,
                       std::optional<Timestamp> at) {
    std::string original;
    if (duplicate_of) original = ctx.store.locate(kind, *duplicate_of).stem().string();
    return change_incident(ctx, id, "cancel", at, [&](Record& r, Node& event) {
        if (original == r.id()) throw UsageError(tr("an incident cannot be a duplicate of itself"));
        enter_status(r, event);
        event.set("reason", Node::string(reason));
        if (duplicate_of) {
            event.set("duplicate_of", Node::string(original));
            add_link(r, original);
            return phrase("cancelled as a duplicate of {}", original);
        }
        return phrase("cancelled: {}", reason);
    });
}

Change reopen_incident(Context& ctx, std::string_view id, const std::string& reason,
                       std::optional<Timestamp> at) {
    return change_incident(ctx, id, "reopen", at, [&](Record& r, Node& event) {
        enter_status(r, event, r.field("assignee").empty() ? "unassigned" : "assigned");
        event.set("reason", Node::string(reason));
        return phrase("reopened: {}", reason);
    });
}

Change note_incident(Context& ctx, std::string_view id, const std::string& text,
                     std::optional<Timestamp> at) {
    return note_record(ctx, kind, id, text, at);
}

namespace {

// The same filter for records and for their facts.
template <class Get>
bool matches(const IncidentFilter& f, std::string_view status, std::optional<Timestamp> reported,
             Get field) {
    auto contains = [](const std::vector<std::string>& list, std::string_view v) {
        return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
    };
    if (!contains(f.statuses, status) || !contains(f.priorities, field("priority"))) return false;
    if (f.open_only && !workflow_of(kind).is_open(status)) return false;
    if (f.service && field("service") != *f.service) return false;
    if (f.category && field("category") != *f.category) return false;
    if (f.assignee && field("assignee") != *f.assignee) return false;
    if (f.since && reported && *reported < *f.since) return false;
    if (f.until && reported && *reported >= *f.until) return false;
    return true;
}

} // namespace

std::vector<IncidentFacts> filter_incidents(std::vector<IncidentFacts> incidents,
                                            const IncidentFilter& f) {
    std::erase_if(incidents, [&](const IncidentFacts& i) {
        auto field = [&](std::string_view key) -> std::string_view {
            return key == "priority"   ? i.priority
                   : key == "service"  ? i.service
                   : key == "category" ? i.category
                                       : i.assignee;
        };
        return !matches(f, i.status, i.reported, field);
    });
    // Their places sorted, then each moved once: facts are hundreds of bytes, and a
    // sort that moves them costs more than the rest of a list.
    std::vector<std::size_t> order(incidents.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto &x = incidents[a], &y = incidents[b];
        return x.reported < y.reported || (x.reported == y.reported && x.id < y.id);
    });
    permute(incidents, order);
    return incidents;
}

StoreFacts select_incidents(const Store& store, const IncidentFilter& f) {
    StoreFacts facts = load_facts(store, {kind}, f.open_only ? FactsScope::open : FactsScope::all);
    facts.incidents = filter_incidents(std::move(facts.incidents), f);
    return facts;
}

void list_incidents(const Store& store, const IncidentFilter& f,
                    const std::function<std::string(const Record&)>& render,
                    const std::function<void(std::string&&)>& emit,
                    std::vector<std::string>& problems) {
    StoreFacts facts = select_incidents(store, f);
    problems.insert(problems.end(), facts.problems.begin(), facts.problems.end());
    const auto& chosen = facts.incidents;
    std::vector<Store::RecordFile> files;
    files.reserve(chosen.size());
    for (const auto& incident : chosen)
        files.push_back(record_file_of(store, incident.id, incident.file));
    store.render_records(kind, files, render, emit, problems);
}

} // namespace opsflow
