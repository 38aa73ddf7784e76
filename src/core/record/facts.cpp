#include "opsflow/record/facts.hpp"

#include "opsflow/base/icalendar.hpp"
#include "opsflow/record/incident_sla.hpp"
#include "opsflow/record/workflow.hpp"

namespace opsflow {

namespace {

std::optional<Timestamp> time_of(const Node& map, std::string_view key) {
    auto text = map.get(key);
    return text ? parse_rfc3339(*text) : std::nullopt;
}

// A scalar field of a map, as a view into it; empty when absent, null or not a scalar.
std::string_view view_of(const Node& map, std::string_view key) {
    const Node* n = map.find(key);
    return n && n->is_scalar() && !n->is_null() ? std::string_view(n->text()) : std::string_view{};
}

SurveyFacts survey_of(const Record& r) {
    SurveyFacts s;
    if (const Node* survey = r.doc().find("survey")) {
        s.sent = time_of(*survey, "sent_at");
        s.answered = time_of(*survey, "answered_at");
        if (auto score = survey->get("score")) s.score = std::stoi(*score);
    }
    return s;
}

std::vector<std::string_view> mail_ids_of(const Record& r) {
    std::vector<std::string_view> ids;
    for (const auto& e : r.events().items())
        if (const Node* id = e.find("message_id"); id && id->is_scalar()) ids.push_back(id->text());
    return ids;
}

} // namespace

IncidentFacts incident_facts(const Record& r, const Settings& settings) {
    IncidentFacts f;
    f.id = view_of(r.doc(), "id");
    f.title = view_of(r.doc(), "title");
    f.status = view_of(r.doc(), "status");
    f.priority = view_of(r.doc(), "priority");
    f.service = view_of(r.doc(), "service");
    f.category = view_of(r.doc(), "category");
    f.channel = view_of(r.doc(), "channel");
    f.assignee = view_of(r.doc(), "assignee");
    f.impact = view_of(r.doc(), "impact");
    f.urgency = view_of(r.doc(), "urgency");
    f.reporter = view_of(r.doc(), "reporter");
    IncidentTimeline t = incident_timeline(r);
    f.reported = t.reported;
    f.first_assign = t.first_assign;
    f.resolution = t.resolution;
    f.holds = t.holds;
    f.failed_verifications = t.failed_verifications;
    for (const auto& e : r.events().items()) {
        auto action = e.get("action");
        auto at = time_of(e, "at");
        if (action == "diagnose" && !f.first_diagnose) f.first_diagnose = at;
        if (action == "sla_warning")
            (e.get("stage") == "respond" ? f.warned_respond : f.warned_resolve) = true;
        if (action == "verify") {
            ++f.verifications;
            if (e.get("result") == "passed") f.verified = at;
        }
    }
    auto deadlines = sla_deadlines(t, std::string(f.priority), settings);
    f.respond_by = deadlines.respond_by;
    f.resolve_by = deadlines.resolve_by;
    f.survey = survey_of(r);
    f.mail_ids = mail_ids_of(r);
    return f;
}

TicketFacts ticket_facts(const Record& r) {
    TicketFacts f;
    f.id = view_of(r.doc(), "id");
    f.status = view_of(r.doc(), "status");
    f.service = view_of(r.doc(), "service");
    f.category = view_of(r.doc(), "category");
    f.channel = view_of(r.doc(), "channel");
    f.requester = view_of(r.doc(), "requester");
    f.article = view_of(r.doc(), "article");
    f.received = parse_rfc3339(r.field("received_at")).value_or(Timestamp{});
    for (const auto& e : r.events().items()) {
        if (e.get("action") == "answer" && !f.answered) f.answered = time_of(e, "at");
        if (e.get("action") == "escalate") f.escalated = true;
    }
    f.survey = survey_of(r);
    f.mail_ids = mail_ids_of(r);
    return f;
}

ImprovementFacts improvement_facts(const Record& r) {
    ImprovementFacts f;
    f.id = view_of(r.doc(), "id");
    f.status = view_of(r.doc(), "status");
    return f;
}

ProblemFacts problem_facts(const Record& r) {
    ProblemFacts f;
    f.id = view_of(r.doc(), "id");
    f.status = view_of(r.doc(), "status");
    f.finding = view_of(r.doc(), "finding");
    const auto& events = r.events().items();
    if (!events.empty()) f.opened = time_of(events.front(), "at").value_or(Timestamp{});
    const auto& known = workflow_of(RecordKind::problem);
    for (const auto& e : events)
        if (!f.known && e.get("status") && known.in(StatusGroup::known, *e.get("status")))
            f.known = time_of(e, "at");
    if (const Node* incidents = r.doc().find("incidents"); incidents && incidents->is_sequence())
        f.incidents = incidents->items().size();
    return f;
}

ArticleFacts article_facts(const Record& r) {
    ArticleFacts f;
    f.id = view_of(r.doc(), "id");
    f.status = view_of(r.doc(), "status");
    f.audience = view_of(r.doc(), "audience");
    return f;
}

MaintenanceFacts maintenance_facts(const Record& r) {
    MaintenanceFacts f;
    f.id = view_of(r.doc(), "id");
    f.title = view_of(r.doc(), "title");
    f.status = view_of(r.doc(), "status");
    f.result = view_of(r.doc(), "result");
    if (const Node* s = r.doc().find("services"))
        for (const auto& item : s->items())
            f.services.push_back(item.text());
    f.start = parse_rfc3339(r.field("start")).value_or(Timestamp{});
    f.end = parse_rfc3339(r.field("end")).value_or(Timestamp{});
    f.actual_end = parse_rfc3339(r.field("actual_end"));
    if (const Node* notices = r.doc().find("notices"))
        for (const auto& n : notices->items())
            if (n.get("purpose") == "announce" && !f.first_announce) {
                f.first_announce = time_of(n, "at");
                f.late_notice = n.get("late") == "true";
            }
    f.recurrence = view_of(r.doc(), "recurrence");
    f.series = view_of(r.doc(), "series");
    f.occurrence = parse_rfc3339(r.field("occurrence"));
    f.started = r.doc().find("actual_start") != nullptr;
    if (const Node* e = r.doc().find("evaluation"))
        f.partial_evaluation = e->get("partial") == "true";
    return f;
}

RecordedOccurrences recorded_occurrences(const std::vector<MaintenanceFacts>& windows) {
    RecordedOccurrences out;
    for (const auto& m : windows)
        if (m.occurrence) out.insert({m.series, *m.occurrence});
    return out;
}

std::vector<Timestamp> unrecorded_occurrences(const MaintenanceFacts& series,
                                              const RecordedOccurrences& recorded,
                                              const std::string& zone, Timestamp from,
                                              Timestamp to) {
    std::vector<Timestamp> out;
    for (auto t : occurrences(series.start, std::string(series.recurrence), zone, from, to).starts)
        if (!recorded.count({series.id, t}) && !(t == series.start && series.started))
            out.push_back(t);
    return out;
}

std::string_view StoreFacts::keep(std::string s) {
    auto kept = std::make_shared<const std::string>(std::move(s));
    std::string_view view = *kept;
    text.push_back(std::move(kept));
    return view;
}

} // namespace opsflow
