#include "opsflow/work/problem.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/catalog.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/recent_finding.hpp"
#include "opsflow/work/workflow_step.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace opsflow {

namespace {

constexpr auto kind = RecordKind::problem;

// The incident's side of the link: it names the problem, in an event of its own.
void link_incident(const Context& ctx, Record& incident, const std::string& problem_id,
                   Timestamp when) {
    const std::string current = incident.field("problem");
    if (current == problem_id) return;
    if (!current.empty())
        throw RefusedError(tr("{} is linked to {} already; a fault has one problem behind it",
                              incident.id(), current));
    step_record(ctx, incident, "link", StepTime::given(when),
                [&](Record& r, Node& event, Timestamp) {
                    set_field(r, event, "problem", Node::string(problem_id));
                    return ChangeSummary{"link", phrase("linked to problem {}", problem_id)};
                });
}

// The problem's side: its list of incidents, the new one added.
void add_incident(Record& problem, Node& event, const std::string& incident_id) {
    Node incidents = Node::sequence();
    if (const Node* old = problem.doc().find("incidents"))
        for (const auto& item : old->items())
            if (item.text() != incident_id) incidents.push_back(item);
    incidents.push_back(Node::string(incident_id));
    set_field(problem, event, "incidents", incidents);
}

Change change_problem(Context& ctx, std::string_view id, std::string_view verb,
                      std::optional<Timestamp> at,
                      const std::function<Phrase(Record&, Node&)>& apply) {
    return apply_step(ctx, kind, id, verb, at, [&](Record& r, Node& event, Timestamp) {
        return ChangeSummary{"", apply(r, event)};
    });
}

std::string required_text(const std::string& text, std::string_view option) {
    if (text.empty()) throw UsageError(tr("{} must not be empty", option));
    return text;
}

} // namespace

Change open_problem(Context& ctx, const NewProblem& req) {
    if (req.title.empty()) throw UsageError(tr("the title must not be empty"));
    if (req.owner) require_person(ctx.store.team(), *req.owner);
    if (req.service) require_service(ctx.store.services(), *req.service);
    if (req.category) require_category(ctx.store.settings(), *req.category);
    for (const auto& incident : req.incidents)
        parse_id_query(incident);
    Timestamp at = resolve_event_time(ctx, req.at);
    std::optional<std::string> service = req.service, category = req.category,
                               description = req.description;
    std::vector<std::string> evidence;
    if (req.finding) {
        // The finding's facts, never its advice: its scope and the incidents behind it.
        StoreFacts facts = load_facts(ctx.store);
        FoundFinding found = find_finding(ctx, facts, *req.finding, at);
        const Finding& f = found.finding;
        if (!service) service = f.scope.service;
        if (!category) category = f.scope.category;
        evidence = f.evidence;
        if (!description) description = finding_statement(ctx, found);
    }
    Batch batch(ctx);
    std::vector<Record*> incidents;
    for (const auto& wanted : req.incidents)
        incidents.push_back(&batch.open(RecordKind::incident, wanted));
    for (const auto& id : evidence) {
        Record& incident = batch.open(RecordKind::incident, id);
        // An incident of the finding that another problem explains already stays there.
        if (incident.field("problem").empty() &&
            std::find(incidents.begin(), incidents.end(), &incident) == incidents.end())
            incidents.push_back(&incident);
    }
    Record& problem = batch.add(kind, [&](const std::string& id) {
        Record r(kind, Node::map(), "");
        Node event = make_event(ctx, at, "identify");
        r.doc().set("id", Node::string(id));
        set_field(r, event, "title", Node::string(req.title));
        enter_status(r, event);
        if (service) {
            Node services = Node::sequence();
            services.push_back(Node::string(*service));
            set_field(r, event, "services", services);
        }
        if (category) set_field(r, event, "category", Node::string(*category));
        if (description) set_field(r, event, "description", Node::string(*description));
        if (req.owner) set_field(r, event, "owner", Node::string(*req.owner));
        if (req.finding) set_field(r, event, "finding", Node::string(req.finding->id));
        if (!incidents.empty()) {
            Node ids = Node::sequence();
            for (const Record* incident : incidents)
                ids.push_back(Node::string(incident->id()));
            set_field(r, event, "incidents", ids);
        }
        r.append_event(std::move(event));
        return r.doc();
    });
    for (Record* incident : incidents)
        link_incident(ctx, *incident, problem.id(), at);
    std::vector<std::string> ids;
    for (const Record* incident : incidents)
        ids.push_back(incident->id());
    ChangeSummary summary{"new", ids.empty() ? phrase("opened: {}", req.title)
                                             : phrase("opened: {} (incidents {})", req.title,
                                                      fmt::format("{}", fmt::join(ids, ", ")))};
    batch.commit(problem, summary);
    return {problem, summary};
}

Change link_problem(Context& ctx, std::string_view id, std::string_view incident_id,
                    std::optional<Timestamp> at) {
    parse_id_query(id);
    parse_id_query(incident_id);
    Batch batch(ctx);
    Record& problem = batch.open(kind, id);
    Record& incident = batch.open(RecordKind::incident, incident_id);
    auto link = [&](Record& r, Node& event, Timestamp when) {
        event.set("incident", Node::string(incident.id()));
        add_incident(r, event, incident.id());
        link_incident(ctx, incident, r.id(), when);
        return ChangeSummary{"link", phrase("linked {}", incident.id())};
    };
    ChangeSummary summary = step_record(ctx, problem, "link", StepTime::given(at), link);
    batch.commit(problem, summary);
    return {problem, summary};
}

Change investigate_problem(Context& ctx, std::string_view id, std::optional<Timestamp> at) {
    return change_problem(ctx, id, "investigate", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        return phrase("under investigation");
    });
}

Change record_known_error(Context& ctx, std::string_view id, const std::string& cause,
                          const std::string& workaround, std::optional<Timestamp> at) {
    required_text(cause, "--cause");
    required_text(workaround, "--workaround");
    return change_problem(ctx, id, "known_error", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        set_field(r, event, "cause", Node::string(cause));
        set_field(r, event, "workaround", Node::string(workaround));
        return phrase("known error: {}", cause);
    });
}

Change resolve_problem(Context& ctx, std::string_view id, const std::string& fix,
                       const std::optional<std::string>& via, std::optional<Timestamp> at) {
    required_text(fix, "--fix");
    std::optional<std::string> via_id;
    if (via) {
        // The change that carried the fix: a maintenance window or an improvement.
        IdQuery q = parse_id_query(*via);
        if (q.kind != RecordKind::maintenance && q.kind != RecordKind::improvement)
            throw UsageError(tr("--via names a maintenance window (MNT-) or an improvement "
                                "(IMP-), not '{}'",
                                *via));
        via_id = ctx.store.load(*q.kind, ctx.store.locate(*q.kind, *via)).id();
    }
    return change_problem(ctx, id, "resolve", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        set_field(r, event, "fix", Node::string(fix));
        if (via_id) {
            event.set("via", Node::string(*via_id));
            add_link(r, *via_id);
        }
        return via_id ? phrase("resolved via {}: {}", *via_id, fix) : phrase("resolved: {}", fix);
    });
}

Change close_problem(Context& ctx, std::string_view id, std::optional<Timestamp> at) {
    return change_problem(ctx, id, "close", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        return phrase("closed");
    });
}

Change cancel_problem(Context& ctx, std::string_view id, const std::string& reason,
                      std::optional<Timestamp> at) {
    required_text(reason, "--reason");
    return change_problem(ctx, id, "cancel", at, [&](Record& r, Node& event) {
        enter_status(r, event);
        event.set("reason", Node::string(reason));
        return phrase("cancelled: {}", reason);
    });
}

std::vector<Record> list_problems(const Store& store, const std::vector<std::string>& statuses,
                                  std::vector<std::string>& problems) {
    StoreFacts facts = load_facts(store, {kind});
    problems.insert(problems.end(), facts.problems.begin(), facts.problems.end());
    std::vector<const ProblemFacts*> chosen;
    for (const auto& p : facts.problem_records)
        if (statuses.empty() ||
            std::find(statuses.begin(), statuses.end(), p.status) != statuses.end())
            chosen.push_back(&p);
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](const ProblemFacts* a, const ProblemFacts* b) {
                         return std::tie(a->opened, a->id) < std::tie(b->opened, b->id);
                     });
    return load_chosen(store, kind, chosen, problems);
}

} // namespace opsflow
