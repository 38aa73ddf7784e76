#include "opsflow/maintenance.hpp"

#include "opsflow/catalog.hpp"
#include "opsflow/error.hpp"
#include "opsflow/icalendar.hpp"
#include "opsflow/incident.hpp"
#include "opsflow/query.hpp"
#include "opsflow/workflow_step.hpp"

#include <algorithm>
#include <date/tz.h>
#include <fmt/format.h>
#include <map>
#include <set>

namespace opsflow {

namespace {

constexpr auto kind = RecordKind::maintenance;

const std::string& zone_name(const Store& store) {
    return store.settings().timezone;
}

std::string stamp(const Context& ctx, Timestamp t) {
    return format_rfc3339(t, ctx.store.settings().zone);
}

Timestamp field_time(const Record& r, std::string_view key) {
    auto t = parse_rfc3339(r.field(key));
    if (!t) throw InvalidDataError(fmt::format("{}: '{}' is not a time", r.display_path(), key));
    return *t;
}

std::vector<std::string> services_of(const Record& r) {
    std::vector<std::string> out;
    if (const Node* s = r.doc().find("services"))
        for (const auto& item : s->items())
            out.push_back(item.text());
    return out;
}

Node string_list(const std::vector<std::string>& values) {
    Node seq = Node::sequence();
    for (const auto& v : values)
        seq.push_back(Node::string(v));
    return seq;
}

// The iCalendar SEQUENCE: it goes up with every reschedule and with the cancellation.
int sequence_of(const Record& r) {
    int n = 0;
    for (const auto& e : r.events().items()) {
        auto action = e.get("action");
        if (action == "reschedule" || action == "cancel") ++n;
    }
    return n;
}

bool was_announced(const Record& r) {
    const Node* notices = r.doc().find("notices");
    return notices && std::any_of(notices->items().begin(), notices->items().end(),
                                  [](const Node& n) { return n.get("purpose") == "announce"; });
}

void check_window(Timestamp start, Timestamp end) {
    if (end <= start)
        throw UsageError("the window must end after it starts (check --end or --duration)");
}

// Windows that share a service with [start, end) (and its recurrences) within the next year.
std::vector<std::string> find_conflicts(const Context& ctx, const std::string& self_id,
                                        Timestamp start, Timestamp end,
                                        const std::optional<std::string>& rrule,
                                        const std::vector<std::string>& services) {
    std::vector<std::string> conflicts;
    std::vector<std::string> problems;
    auto horizon_end = start + std::chrono::hours(24 * 366);
    auto mine = occurrences(start, rrule, zone_name(ctx.store), start, horizon_end).starts;
    auto length = end - start;
    for (const auto& other : list_maintenance(ctx.store, {}, problems)) {
        if (other.id() == self_id || other.status() == "cancelled") continue;
        auto shared = services_of(other);
        std::erase_if(shared, [&](const std::string& s) {
            return std::find(services.begin(), services.end(), s) == services.end();
        });
        if (shared.empty()) continue;
        Timestamp o_start = field_time(other, "start"), o_end = field_time(other, "end");
        auto o_length = o_end - o_start;
        std::optional<std::string> o_rule;
        if (auto r = other.doc().get("recurrence")) o_rule = r;
        auto theirs =
            occurrences(o_start, o_rule, zone_name(ctx.store), start - o_length, horizon_end)
                .starts;
        for (auto a : mine) {
            bool hit = std::any_of(theirs.begin(), theirs.end(),
                                   [&](Timestamp b) { return a < b + o_length && b < a + length; });
            if (!hit) continue;
            conflicts.push_back(fmt::format("{} '{}' ({} to {}) on {}", other.id(),
                                            other.field("title"), stamp(ctx, o_start),
                                            stamp(ctx, o_end), fmt::join(shared, ", ")));
            break;
        }
    }
    return conflicts;
}

std::vector<std::string> subscribers(const Store& store, const std::vector<std::string>& services) {
    std::vector<std::string> out;
    for (const auto& id : services)
        if (const Service* s = store.services().find(id))
            for (const auto& sub : s->subscribers)
                if (auto email = extract_email(sub)) out.push_back(*email);
    return out;
}

std::string service_names(const Store& store, const std::vector<std::string>& services) {
    std::vector<std::string> names;
    for (const auto& id : services) {
        const Service* s = store.services().find(id);
        names.push_back(s ? fmt::format("{} ({})", s->name, id) : id);
    }
    return fmt::format("{}", fmt::join(names, ", "));
}

CalendarEvent calendar_event(const Store& store, const Record& r, bool cancelled) {
    CalendarEvent e;
    e.uid = r.id() + "@opsflow";
    e.summary = r.field("title");
    e.description = r.field("impact").empty() ? r.field("description") : r.field("impact");
    e.start = field_time(r, "start");
    e.end = field_time(r, "end");
    if (auto rule = r.doc().get("recurrence")) e.rrule = rule;
    e.sequence = sequence_of(r);
    e.cancelled = cancelled;
    e.organizer = extract_email(store.settings().notify.from).value_or("");
    return e;
}

std::string local_time(const Store& store, Timestamp t) {
    return format_rfc3339(t, store.settings().zone).substr(0, 16).replace(10, 1, " ");
}

// `sent_at` is the notice's time (`--at`), its invitation's DTSTAMP as its Date: header.
NoticeDraft announcement(const Context& ctx, const Record& r, std::vector<std::string> recipients,
                         bool late, Timestamp sent_at) {
    const Store& store = ctx.store;
    auto services = services_of(r);
    std::string when =
        fmt::format("{} – {} ({})", local_time(store, field_time(r, "start")),
                    local_time(store, field_time(r, "end")), store.settings().timezone);
    std::string body = fmt::format("维护通知 / Maintenance notice\n\n{}\n\n时间 / When: {}\n",
                                   r.field("title"), when);
    if (auto rule = r.doc().get("recurrence")) body += fmt::format("重复 / Repeats: {}\n", *rule);
    body += fmt::format("受影响的服务 / Affected services: {}\n", service_names(store, services));
    if (!r.field("impact").empty())
        body += fmt::format("\n影响 / Impact:\n{}\n", r.field("impact"));
    if (!r.field("description").empty())
        body += fmt::format("\n说明 / Details:\n{}\n", r.field("description"));
    body += fmt::format("\n参考编号 / Reference: {}\n", r.id());
    CalendarEvent event = calendar_event(store, r, false);
    event.attendees = recipients;
    NoticeDraft d;
    d.purpose = "announce";
    d.subject = fmt::format("[维护通知] {} — {}", r.field("title"),
                            local_time(store, field_time(r, "start")));
    d.body = body;
    d.recipients = std::move(recipients);
    d.calendar =
        CalendarPart{"REQUEST", render_calendar({event}, "REQUEST", zone_name(store), sent_at)};
    d.sequence = event.sequence;
    d.late = late;
    return d;
}

NoticeDraft cancellation(const Context& ctx, const Record& r, const std::string& reason,
                         std::vector<std::string> recipients, Timestamp sent_at) {
    const Store& store = ctx.store;
    CalendarEvent event = calendar_event(store, r, true);
    event.sequence += 1; // the cancel event that this notice announces is not in the record yet
    event.attendees = recipients;
    NoticeDraft d;
    d.purpose = "cancel";
    d.subject = fmt::format("[维护取消] {} — {}", r.field("title"),
                            local_time(store, field_time(r, "start")));
    d.body =
        fmt::format("维护取消 / Maintenance cancelled\n\n{}\n\n原定时间 / Was planned for: "
                    "{}\n原因 / Reason: {}\n\n参考编号 / "
                    "Reference: {}\n",
                    r.field("title"), local_time(store, field_time(r, "start")), reason, r.id());
    d.recipients = std::move(recipients);
    d.calendar =
        CalendarPart{"CANCEL", render_calendar({event}, "CANCEL", zone_name(store), sent_at)};
    d.sequence = event.sequence;
    return d;
}

// The recipients of a window's notices: its services' subscribers plus `extra`.
std::vector<std::string> recipients_of(const Context& ctx, const Record& r,
                                       const std::vector<std::string>& extra) {
    auto all = subscribers(ctx.store, services_of(r));
    std::vector<std::string> previous;
    if (const Node* notices = r.doc().find("notices"))
        for (const auto& n : notices->items())
            if (const Node* rec = n.find("recipients"))
                for (const auto& item : rec->items())
                    previous.push_back(item.text());
    all.insert(all.end(), previous.begin(), previous.end());
    all.insert(all.end(), extra.begin(), extra.end());
    return clean_recipients(all);
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
    if (plan.title.empty()) throw UsageError("the title must not be empty");
    if (plan.services.empty()) throw UsageError("--services names at least one service");
    check_window(plan.start, plan.end);
    for (const auto& s : plan.services)
        require_service(ctx.store, s);
    if (plan.owner) require_person(ctx.store, *plan.owner);
    if (plan.recurrence) validate_rrule(*plan.recurrence);
    Timestamp at = resolve_event_time(ctx, plan.at);
    PlanResult result{{Record(kind, Node::map(), ""), {}}, {}};
    result.conflicts =
        find_conflicts(ctx, "", plan.start, plan.end, plan.recurrence, plan.services);
    if (!result.conflicts.empty() && plan.conflicts == ConflictPolicy::refuse)
        throw RefusedError(fmt::format(
            "the window overlaps {} other window(s) on the same service:\n  {}\n(plan it "
            "without --strict to accept the overlap)",
            result.conflicts.size(), fmt::join(result.conflicts, "\n  ")));
    result.change = create_record(ctx, kind, [&](const std::string& id) {
        Record r(kind, Node::map(), "");
        Node event = make_event(ctx, at, "plan");
        r.doc().set("id", Node::string(id));
        set_field(r, event, "title", Node::string(plan.title));
        set_field(r, event, "status", Node::string("planned"));
        set_field(r, event, "services", string_list(plan.services));
        if (plan.owner) set_field(r, event, "owner", Node::string(*plan.owner));
        set_field(r, event, "start", Node::string(stamp(ctx, plan.start)));
        set_field(r, event, "end", Node::string(stamp(ctx, plan.end)));
        if (plan.recurrence) set_field(r, event, "recurrence", Node::string(*plan.recurrence));
        if (plan.description) set_field(r, event, "description", Node::string(*plan.description));
        if (plan.impact) set_field(r, event, "impact", Node::string(*plan.impact));
        if (!plan.tasks.empty()) set_field(r, event, "tasks", string_list(plan.tasks));
        r.append_event(std::move(event));
        return std::pair{r.doc(), ChangeSummary{"plan", fmt::format("planned: {}", plan.title)}};
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
        if (auto rule = r.doc().get("recurrence")) {
            auto next = occurrences(start, rule, zone_name(ctx.store), when,
                                    when + std::chrono::hours(24 * 3660), 1)
                            .starts;
            if (!next.empty()) start = next.front();
        }
        auto lead = ctx.store.settings().notice_lead.wall();
        bool late = when > start - lead;
        if (late && req.timing == NoticeTiming::on_time_only) {
            auto hours_left =
                std::chrono::duration_cast<std::chrono::minutes>(start - when).count() / 60.0;
            throw RefusedError(fmt::format(
                "the notice for {} would be late: the window starts {} ({:.1f}h from now) and "
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
        ChangeSummary summary{"notify", fmt::format("notice {}to {} recipient(s)",
                                                    late ? "(late) " : "", recipients.size())};
        set_field(r, event, "status", Node::string("notified"));
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

Change start_maintenance(Context& ctx, std::string_view id, std::optional<Timestamp> at) {
    return change_window(ctx, id, "start", at, [&](Record& r, Node& event, Timestamp when) {
        set_field(r, event, "status", Node::string("in_progress"));
        set_field(r, event, "actual_start", Node::string(stamp(ctx, when)));
        return ChangeSummary{"start", "started"};
    });
}

Change finish_maintenance(Context& ctx, std::string_view id, const std::string& result,
                          const std::optional<std::string>& notes, std::optional<Timestamp> at) {
    require_known("result", result, as_strings(workflow_of(kind).targets("done")));
    return change_window(ctx, id, "done", at, [&](Record& r, Node& event, Timestamp when) {
        if (!notes || notes->empty())
            throw RefusedError(fmt::format(
                "cannot finish {}: a finished window records what was done and which documents "
                "were updated (SPEC §1 step 2.4; `opsflow check` requires it); add --notes TEXT",
                r.id()));
        set_field(r, event, "status", Node::string(result));
        set_field(r, event, "result", Node::string(result));
        set_field(r, event, "actual_end", Node::string(stamp(ctx, when)));
        set_field(r, event, "notes", Node::string(*notes));
        bool overrun = when > field_time(r, "end");
        return ChangeSummary{
            "done", fmt::format("done: {}{}", result, overrun ? " (overran its window)" : "")};
    });
}

Change evaluate_maintenance(Context& ctx, std::string_view id, int rating,
                            const std::optional<std::string>& notes, const Duration& window,
                            std::optional<Timestamp> at) {
    if (rating < 1 || rating > 5)
        throw UsageError(fmt::format("--rating: {} is not from 1 to 5", rating));
    if (window.wall().count() <= 0) throw UsageError("--window must be longer than zero");
    return change_window(ctx, id, "evaluate", at, [&](Record& r, Node& event, Timestamp) {
        // Incidents on the affected services in equal windows before the start and after the end.
        auto services = services_of(r);
        Timestamp start = parse_rfc3339(r.field("actual_start")).value_or(field_time(r, "start"));
        Timestamp end = parse_rfc3339(r.field("actual_end")).value_or(field_time(r, "end"));
        auto span = std::chrono::duration_cast<std::chrono::seconds>(window.wall());
        StoreFacts facts = load_facts(ctx.store, {RecordKind::incident});
        auto count = [&](Timestamp from, Timestamp to) {
            IncidentFilter f;
            f.since = from;
            f.until = to;
            std::int64_t n = 0;
            for (const auto& inc : filter_incidents(facts.incidents, f))
                if (std::find(services.begin(), services.end(), inc.service) != services.end()) ++n;
            return n;
        };
        Node evaluation = Node::map();
        evaluation.set("rating", Node::integer(rating));
        if (notes) evaluation.set("notes", Node::string(*notes));
        evaluation.set("window_days",
                       Node::integer(std::max<std::int64_t>(1, span.count() / 86400)));
        auto before = count(start - span, start), after = count(end, end + span);
        evaluation.set("incidents_before", Node::integer(before));
        evaluation.set("incidents_after", Node::integer(after));
        set_field(r, event, "evaluation", evaluation);
        set_field(r, event, "status", Node::string("evaluated"));
        return ChangeSummary{"evaluate",
                             fmt::format("evaluated: rating {}, incidents {} before, {} after",
                                         rating, before, after)};
    });
}

Change reschedule_maintenance(Context& ctx, std::string_view id, Timestamp start, Timestamp end,
                              std::optional<Timestamp> at) {
    check_window(start, end);
    return change_window(ctx, id, "reschedule", at, [&](Record& r, Node& event, Timestamp) {
        set_field(r, event, "start", Node::string(stamp(ctx, start)));
        set_field(r, event, "end", Node::string(stamp(ctx, end)));
        bool needs_notice = r.status() == "notified";
        if (needs_notice) set_field(r, event, "status", Node::string("planned"));
        return ChangeSummary{
            "reschedule",
            fmt::format("rescheduled to {}{}", stamp(ctx, start),
                        needs_notice ? "; announce it again (opsflow maint notify)" : "")};
    });
}

NotifyResult cancel_maintenance(Context& ctx, std::string_view id, const std::string& reason,
                                std::optional<Timestamp> at) {
    std::string message_id, message;
    Change change =
        change_window(ctx, id, "cancel", at, [&](Record& r, Node& event, Timestamp when) {
            bool announced = was_announced(r);
            set_field(r, event, "status", Node::string("cancelled"));
            event.set("reason", Node::string(reason));
            ChangeSummary summary{"cancel", fmt::format("cancelled: {}", reason)};
            if (!announced) return summary;
            auto recipients = recipients_of(ctx, r, {});
            PreparedNotice notice =
                prepare_notice(ctx, r, cancellation(ctx, r, reason, recipients, when), when);
            message_id = notice.message_id;
            message = notice.mime;
            event.set("notice", Node::string(notice.message_id));
            summary.description +=
                fmt::format("; cancellation sent to {} recipient(s)", recipients.size());
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
    if (text.empty()) throw UsageError("the note must not be empty");
    return change_window(ctx, id, "note", at, [&](Record&, Node& event, Timestamp) {
        event.set("text", Node::string(text));
        return ChangeSummary{"note", "note added"};
    });
}

std::vector<Record> list_maintenance(const Store& store, const MaintenanceFilter& f,
                                     std::vector<std::string>& problems) {
    auto keep = [&](const Record& r) {
        if (!f.statuses.empty() &&
            std::find(f.statuses.begin(), f.statuses.end(), r.status()) == f.statuses.end())
            return false;
        auto services = services_of(r);
        if (f.service && std::find(services.begin(), services.end(), *f.service) == services.end())
            return false;
        auto start = parse_rfc3339(r.field("start"));
        if (f.since && start && *start < *f.since) return false;
        return !(f.until && start && *start >= *f.until);
    };
    auto out = store.load_all(kind, keep, problems);
    std::stable_sort(out.begin(), out.end(), [](const Record& a, const Record& b) {
        return a.field("start") < b.field("start");
    });
    return out;
}

Upcoming upcoming_occurrences(const std::vector<Record>& windows, const Store& store,
                              Timestamp from, Timestamp to, std::size_t per_window) {
    Upcoming out;
    for (const auto& w : windows) {
        if (w.status() == "cancelled") continue;
        Timestamp start = field_time(w, "start"), end = field_time(w, "end");
        std::optional<std::string> rule;
        if (auto r = w.doc().get("recurrence")) rule = r;
        auto found =
            occurrences(start, rule, zone_name(store), from - (end - start), to, per_window);
        for (auto t : found.starts)
            if (t + (end - start) > from) out.occurrences.push_back({t, t + (end - start), &w});
        if (found.stopped_early) out.cut_short.emplace_back(&w, found.starts.back());
    }
    std::sort(out.occurrences.begin(), out.occurrences.end(),
              [](const Occurrence& a, const Occurrence& b) { return a.start < b.start; });
    return out;
}

std::string maintenance_calendar(const Store& store, Timestamp now) {
    std::vector<std::string> problems;
    std::vector<CalendarEvent> events;
    for (const auto& w : list_maintenance(store, {}, problems))
        events.push_back(calendar_event(store, w, w.status() == "cancelled"));
    return render_calendar(events, "PUBLISH", zone_name(store), now);
}

} // namespace opsflow
