#include "opsflow/work/maintenance.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/catalog.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/evaluation.hpp"
#include "opsflow/work/incident.hpp"
#include "opsflow/work/workflow_step.hpp"
#include "work/maintenance_window.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <tuple>

namespace opsflow {

using namespace window;

namespace window {

const std::string& zone_name(const Store& store) {
    return store.settings().timezone;
}

std::string stamp(const Context& ctx, Timestamp t) {
    return format_rfc3339(t, ctx.store.settings().zone);
}

Timestamp field_time(const Record& r, std::string_view key) {
    auto t = parse_rfc3339(r.field(key));
    if (!t) throw InvalidDataError(tr("{}: '{}' is not a time", r.display_path(), key));
    return *t;
}

SeriesStart series_start(const Store& store, const Record& r) {
    Timestamp first = field_time(r, "start");
    return SeriesStart{first, wall_time(r.field("start"), first, store.settings().zone)};
}

std::optional<std::string> rule_of(const Record& r) {
    auto rule = r.doc().get("recurrence");
    if (!rule) return std::nullopt;
    if (auto problem = rrule_problem(*rule))
        throw InvalidDataError(r.display_path() + ": recurrence: " +
                               tr("'{}' is not a valid RRULE: {}", *rule, problem->why));
    return rule;
}

std::string start_stamp(const Context& ctx, Timestamp start,
                        const std::optional<date::local_seconds>& typed, bool series) {
    const date::time_zone* zone = ctx.store.settings().zone;
    if (series && typed && local_to_instant(*typed, zone) == start)
        return format_rfc3339_as(*typed, start);
    return stamp(ctx, start);
}

bool was_announced(const Record& r) {
    const Node* notices = r.doc().find("notices");
    return notices && std::any_of(notices->items().begin(), notices->items().end(),
                                  [](const Node& n) { return n.get("purpose") == "announce"; });
}

std::vector<std::string> services_of(const Record& r) {
    std::vector<std::string> out;
    if (const Node* s = r.doc().find("services"))
        for (const auto& item : s->items())
            out.push_back(item.text());
    return out;
}

} // namespace window

namespace {

constexpr auto kind = RecordKind::maintenance;

Node string_list(const std::vector<std::string>& values) {
    Node seq = Node::sequence();
    for (const auto& v : values)
        seq.push_back(Node::string(v));
    return seq;
}

void check_window(Timestamp start, Timestamp end) {
    if (end <= start)
        throw UsageError(tr("the window must end after it starts (check --end or --duration)"));
}

Change change_window(Context& ctx, std::string_view id, std::string_view verb,
                     std::optional<Timestamp> at,
                     const std::function<ChangeSummary(Record&, Node&, Timestamp)>& apply) {
    return apply_step(ctx, kind, id, verb, at, apply);
}

NotifyResult deliver_after(Context& ctx, const Change& change, const std::string& message_id) {
    NotifyResult result{change.record.id(), "", std::nullopt, false};
    result.delivery = deliver_notice(ctx, kind, change.record.id(), message_id);
    return result;
}

} // namespace

PlanResult plan_maintenance(Context& ctx, const MaintenancePlan& plan) {
    if (plan.title.empty()) throw UsageError(tr("the title must not be empty"));
    if (plan.services.empty()) throw UsageError(tr("--services names at least one service"));
    check_window(plan.start, plan.end);
    for (const auto& s : plan.services)
        require_service(ctx.store.services(), s);
    if (plan.owner) require_person(ctx.store.team(), *plan.owner);
    if (plan.recurrence) validate_rrule(*plan.recurrence);
    Timestamp at = resolve_event_time(ctx, plan.at);
    PlanResult result{{Record(kind, Node::map(), ""), {}}, {}};
    const std::string start_text =
        start_stamp(ctx, plan.start, plan.start_typed, plan.recurrence.has_value());
    const SeriesStart series{plan.start,
                             wall_time(start_text, plan.start, ctx.store.settings().zone)};
    result.conflicts = find_conflicts(ctx, "", series, plan.end, plan.recurrence, plan.services);
    if (!result.conflicts.empty() && plan.conflicts == ConflictPolicy::refuse)
        throw RefusedError(tr("the window overlaps {} other window(s) on the same service:\n  "
                              "{}\n(plan it without --strict to accept the overlap)",
                              result.conflicts.size(),
                              fmt::format("{}", fmt::join(result.conflicts, "\n  "))));
    result.change = create_record(ctx, kind, [&](const std::string& id) {
        Record r(kind, Node::map(), "");
        Node event = make_event(ctx, at, "plan");
        r.doc().set("id", Node::string(id));
        set_field(r, event, "title", Node::string(plan.title));
        enter_status(r, event);
        set_field(r, event, "services", string_list(plan.services));
        if (plan.owner) set_field(r, event, "owner", Node::string(*plan.owner));
        set_field(r, event, "start", Node::string(start_text));
        set_field(r, event, "end", Node::string(stamp(ctx, plan.end)));
        if (plan.recurrence) set_field(r, event, "recurrence", Node::string(*plan.recurrence));
        if (plan.description) set_field(r, event, "description", Node::string(*plan.description));
        if (plan.impact) set_field(r, event, "impact", Node::string(*plan.impact));
        if (!plan.tasks.empty()) set_field(r, event, "tasks", string_list(plan.tasks));
        r.append_event(std::move(event));
        return std::pair{r.doc(), ChangeSummary{"plan", phrase("planned: {}", plan.title)}};
    });
    return result;
}

NotifyResult notify_maintenance(Context& ctx, std::string_view id, const NotifyRequest& req) {
    // A notice whose delivery failed is retried as it was archived, not written again.
    if (req.mode == RunMode::real) {
        Record current = ctx.store.load(kind, ctx.store.locate(kind, id));
        if (auto failed = failed_notice(current); failed && req.extra_recipients.empty()) {
            NotifyResult r{current.id(), "", deliver_notice(ctx, kind, current.id(), *failed),
                           true};
            return r;
        }
    }
    std::string message, message_id;
    auto build = [&](Record& r, Node& event, Timestamp when) {
        Timestamp start = field_time(r, "start");
        if (auto rule = rule_of(r)) {
            auto next = occurrences(series_start(ctx.store, r), rule, zone_name(ctx.store), when,
                                    when + std::chrono::hours(24 * 3660), 1)
                            .starts;
            if (!next.empty()) start = next.front();
        }
        auto lead = ctx.store.settings().notice_lead.wall();
        bool late = when > start - lead;
        if (late && req.timing == NoticeTiming::on_time_only) {
            auto hours_left =
                std::chrono::duration_cast<std::chrono::minutes>(start - when).count() / 60.0;
            throw RefusedError(
                tr("the notice for {} would be late: the window starts {} ({:.1f}h from now) and "
                   "notices go out at least {} ahead (maintenance.notice_lead); send it anyway "
                   "with --late, and it is recorded as late",
                   r.id(), stamp(ctx, start), hours_left,
                   ctx.store.settings().notice_lead.to_string()));
        }
        auto recipients = recipients_of(ctx, r, req.extra_recipients);
        NoticeDraft draft = announcement(ctx, r, recipients, late, when);
        PreparedNotice notice = prepare_notice(ctx, r, draft, when);
        message = notice.mime;
        message_id = notice.message_id;
        ChangeSummary summary{"notify",
                              late ? phrase("notice (late) to {} recipient(s)", recipients.size())
                                   : phrase("notice to {} recipient(s)", recipients.size())};
        enter_status(r, event);
        event.set("notice", Node::string(notice.message_id));
        if (late) event.set("late", Node::boolean(true));
        attach_notice(r, summary, std::move(notice));
        return summary;
    };
    if (req.mode == RunMode::dry_run) {
        Record r = preview_step(ctx, kind, id, "notify", req.at, build);
        return NotifyResult{r.id(), message, std::nullopt, false};
    }
    Change change = change_window(ctx, id, "notify", req.at, build);
    NotifyResult result = deliver_after(ctx, change, message_id);
    result.message = message;
    return result;
}

Change evaluate_maintenance(Context& ctx, std::string_view id, const MaintenanceEvaluation& req,
                            std::optional<Timestamp> at) {
    if (req.rating < 1 || req.rating > 5)
        throw UsageError(tr("--rating: {} is not from 1 to 5", req.rating));
    if (req.window.wall().count() <= 0) throw UsageError(tr("--window must be longer than zero"));
    std::string target = acting_window(ctx.store, id, "evaluate", req.occurrence);
    StoreFacts facts = load_facts(ctx.store, {RecordKind::incident});
    return change_window(ctx, target, "evaluate", at, [&](Record& r, Node& event, Timestamp when) {
        // Incidents on the affected services in equal spans before the start and after
        // the end, as rates per 30 days.
        auto services = services_of(r);
        Timestamp start = parse_rfc3339(r.field("actual_start")).value_or(field_time(r, "start"));
        Timestamp end = parse_rfc3339(r.field("actual_end")).value_or(field_time(r, "end"));
        EvaluationSpans spans = evaluation_spans(r.id(), start, end, req.window, when, req.timing,
                                                 ctx.store.settings().zone);
        auto count = [&](Timestamp from, Timestamp to) {
            IncidentFilter f;
            f.since = from;
            f.until = to;
            std::int64_t n = 0;
            for (const auto& inc : filter_incidents(facts.incidents, f))
                if (std::find(services.begin(), services.end(), inc.service) != services.end()) ++n;
            return n;
        };
        auto before = count(spans.before_from, spans.before_to);
        auto after = count(spans.after_from, spans.after_to);
        double rate_before =
            per_30_days(static_cast<double>(before), spans.before_from, spans.before_to);
        double rate_after =
            per_30_days(static_cast<double>(after), spans.after_from, spans.after_to);
        Node evaluation = Node::map();
        evaluation.set("rating", Node::integer(req.rating));
        if (req.notes) evaluation.set("notes", Node::string(*req.notes));
        evaluation.set("window_days", rounded_number(spans.window_days));
        if (spans.partial) {
            evaluation.set("partial", Node::boolean(true));
            evaluation.set("observed_days", rounded_number(spans.observed_days));
        }
        evaluation.set("incidents_before", Node::integer(before));
        evaluation.set("incidents_after", Node::integer(after));
        Node rates = Node::map();
        rates.set("before", rounded_number(rate_before));
        rates.set("after", rounded_number(rate_after));
        evaluation.set("per_30_days", rates);
        if (!req.measures.empty()) evaluation.set("measures", measures_node(req.measures));
        set_field(r, event, "evaluation", evaluation);
        enter_status(r, event);
        return spans.partial
                   ? ChangeSummary{"evaluate",
                                   phrase("evaluated: rating {}, incidents per 30 days {:.1f} "
                                          "before, {:.1f} after (partial: {:.1f} of {:.0f} days)",
                                          req.rating, rate_before, rate_after, spans.observed_days,
                                          spans.window_days)}
                   : ChangeSummary{"evaluate",
                                   phrase("evaluated: rating {}, incidents per 30 days {:.1f} "
                                          "before, {:.1f} after",
                                          req.rating, rate_before, rate_after)};
    });
}

Change reschedule_maintenance(Context& ctx, std::string_view id, Timestamp start, Timestamp end,
                              std::optional<Timestamp> at,
                              std::optional<date::local_seconds> start_typed) {
    check_window(start, end);
    return change_window(ctx, id, "reschedule", at, [&](Record& r, Node& event, Timestamp) {
        set_field(r, event, "start",
                  Node::string(
                      start_stamp(ctx, start, start_typed, r.doc().get("recurrence").has_value())));
        set_field(r, event, "end", Node::string(stamp(ctx, end)));
        // Announced already: it needs a new notice for the new time.
        bool needs_notice = enter_status(r, event);
        return ChangeSummary{
            "reschedule",
            needs_notice ? phrase("rescheduled to {}; announce it again (opsflow maint notify)",
                                  stamp(ctx, start))
                         : phrase("rescheduled to {}", stamp(ctx, start))};
    });
}

NotifyResult cancel_maintenance(Context& ctx, std::string_view id, const std::string& reason,
                                std::optional<Timestamp> at) {
    std::string message_id, message;
    Change change =
        change_window(ctx, id, "cancel", at, [&](Record& r, Node& event, Timestamp when) {
            bool announced = was_announced(r);
            enter_status(r, event);
            event.set("reason", Node::string(reason));
            ChangeSummary summary{"cancel", phrase("cancelled: {}", reason)};
            if (!announced) return summary;
            auto recipients = recipients_of(ctx, r, {});
            PreparedNotice notice =
                prepare_notice(ctx, r, cancellation(ctx, r, reason, recipients, when), when);
            message_id = notice.message_id;
            message = notice.mime;
            event.set("notice", Node::string(notice.message_id));
            summary.description +=
                phrase("; cancellation sent to {} recipient(s)", recipients.size());
            attach_notice(r, summary, std::move(notice));
            return summary;
        });
    if (message_id.empty()) return NotifyResult{change.record.id(), "", std::nullopt, false};
    NotifyResult result = deliver_after(ctx, change, message_id);
    result.message = message;
    return result;
}

Change note_maintenance(Context& ctx, std::string_view id, const std::string& text,
                        std::optional<Timestamp> at) {
    return note_record(ctx, kind, id, text, at);
}

std::vector<Record> list_maintenance(const Store& store, const MaintenanceFilter& f,
                                     std::vector<std::string>& problems) {
    // Chosen from the query index, like every list: only the windows shown are read.
    StoreFacts facts = load_facts(store, {kind});
    problems.insert(problems.end(), facts.problems.begin(), facts.problems.end());
    std::vector<const MaintenanceFacts*> chosen;
    for (const auto& w : facts.maintenance) {
        if (!f.statuses.empty() &&
            std::find(f.statuses.begin(), f.statuses.end(), w.status) == f.statuses.end())
            continue;
        if (f.service &&
            std::find(w.services.begin(), w.services.end(), *f.service) == w.services.end())
            continue;
        if (f.since && w.start < *f.since) continue;
        if (f.until && w.start >= *f.until) continue;
        chosen.push_back(&w);
    }
    // By the instant: a series typed in a DST gap keeps the offset from before the gap
    // (2027-03-28T02:30:00+01:00 is after 2027-03-28T03:00:00+02:00); in the order of
    // their files when at once.
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](const MaintenanceFacts* a, const MaintenanceFacts* b) {
                         return std::tie(a->start, a->file.directory, a->id) <
                                std::tie(b->start, b->file.directory, b->id);
                     });
    return load_chosen(store, kind, chosen, problems);
}

} // namespace opsflow
