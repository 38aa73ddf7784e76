// A maintenance series (SPEC §12): a window with `recurrence` is planned and announced
// once; each occurrence is carried out, recorded and evaluated on its own, as a record of
// its own that names its series and the start it had in it. Its ID is derived from the
// two, so that two sites recording different occurrences write different files (a clean
// merge) and the same occurrence the same file.
#include "base/checksum.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/maintenance.hpp"
#include "opsflow/work/workflow_step.hpp"
#include "work/maintenance_window.hpp"

#include <algorithm>
#include <date/tz.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace opsflow {

using namespace window;

namespace {

constexpr auto kind = RecordKind::maintenance;
const Workflow& windows() {
    return workflow_of(kind);
}

bool is_series(const Record& r) {
    return r.doc().get("recurrence").has_value() && !r.doc().get("series").has_value();
}

// Whether the series record holds the result of its own first occurrence: written
// before occurrences had records of their own (it was started as a window).
bool holds_first_occurrence(const Record& series) {
    return series.doc().find("actual_start") != nullptr;
}

std::chrono::seconds length_of(const Record& series) {
    return field_time(series, "end") - field_time(series, "start");
}

std::string day_text(const Store& store, Timestamp t) {
    return format_rfc3339(t, store.settings().zone).substr(0, 16).replace(10, 1, " ");
}

// Starts of the series' occurrences in [from, to).
std::vector<Timestamp> starts_between(const Store& store, const Record& series, Timestamp from,
                                      Timestamp to, std::size_t limit = max_listed_occurrences) {
    return occurrences(series_start(store, series), rule_of(series), zone_name(store), from, to,
                       limit)
        .starts;
}

// The occurrence `ref` names: the first on its day, or the one whose window holds its
// instant. Throws UsageError naming the nearest occurrences when there is none.
Timestamp named_occurrence(const Store& store, const Record& series, const OccurrenceRef& ref) {
    auto length = length_of(series);
    const date::time_zone* zone = store.settings().zone;
    Timestamp from = ref.at, to = ref.at + std::chrono::seconds(1);
    if (ref.whole_day) {
        auto day = date::floor<date::days>(zone->to_local(ref.at));
        from = local_to_instant(day, zone);
        to = local_to_instant(day + date::days(1), zone);
        auto found = starts_between(store, series, from, to, 1);
        if (!found.empty()) return found.front();
    } else {
        for (auto t : starts_between(store, series, from - length, to))
            if (t <= ref.at && ref.at < t + length) return t;
    }
    std::vector<std::string> near;
    for (auto t : starts_between(store, series, from - std::chrono::hours(24 * 45), from, 2))
        near.push_back(day_text(store, t));
    for (auto t : starts_between(store, series, to, to + std::chrono::hours(24 * 400), 2))
        near.push_back(day_text(store, t));
    throw UsageError(tr("--occurrence: {} has no occurrence at {}; occurrences near it: {}",
                        series.id(),
                        format_rfc3339(ref.at, zone).substr(0, ref.whole_day ? 10 : 16),
                        near.empty() ? tr("none") : fmt::format("{}", fmt::join(near, ", "))));
}

// The occurrence records of a series, from the query index.
std::vector<const MaintenanceFacts*> occurrence_facts(const StoreFacts& facts,
                                                      std::string_view series) {
    std::vector<const MaintenanceFacts*> out;
    for (const auto& m : facts.maintenance)
        if (m.series == series) out.push_back(&m);
    std::sort(out.begin(), out.end(), [](const MaintenanceFacts* a, const MaintenanceFacts* b) {
        return a->occurrence < b->occurrence;
    });
    return out;
}

bool recorded(const std::vector<const MaintenanceFacts*>& records, Timestamp start) {
    return std::any_of(records.begin(), records.end(),
                       [&](const MaintenanceFacts* m) { return m->occurrence == start; });
}

// The occurrence `maint start` takes without --occurrence: the one under way at `when`
// (its window holds it), or else the next, of those not recorded yet.
Timestamp due_occurrence(const Store& store, const Record& series, Timestamp when) {
    StoreFacts facts = load_facts(store, {kind});
    auto records = occurrence_facts(facts, series.id());
    Timestamp first = field_time(series, "start");
    auto length = length_of(series);
    for (auto t :
         starts_between(store, series, when - length, when + std::chrono::hours(24 * 3660), 64)) {
        if (recorded(records, t) || (t == first && holds_first_occurrence(series))) continue;
        return t;
    }
    throw RefusedError(
        tr("cannot start {}: the series has no occurrence left to start", series.id()));
}

// The occurrence record's fields that it takes from its series.
void copy_from_series(Record& r, Node& event, const Record& series, Timestamp start,
                      const Context& ctx) {
    set_field(r, event, "title", Node::string(series.field("title")));
    set_field(r, event, "series", Node::string(series.id()));
    set_field(r, event, "occurrence", Node::string(stamp(ctx, start)));
    if (const Node* s = series.doc().find("services")) set_field(r, event, "services", *s);
    if (!series.field("owner").empty())
        set_field(r, event, "owner", Node::string(series.field("owner")));
    set_field(r, event, "start", Node::string(stamp(ctx, start)));
    set_field(r, event, "end", Node::string(stamp(ctx, start + length_of(series))));
}

// A new occurrence record, under the store lock: refused if that occurrence has one.
Record& add_occurrence(Batch& batch, Context& ctx, const Record& series, Timestamp start,
                       std::string_view verb, Timestamp when,
                       const std::function<Phrase(Record&, Node&)>& fill, ChangeSummary& summary) {
    std::string id = occurrence_id(series.id(), start);
    if (ctx.store.id_exists(kind, id)) {
        Record existing = ctx.store.load(kind, ctx.store.locate(kind, id));
        throw RefusedError(
            tr("cannot {} the occurrence {} of {}: it is recorded already as {} ({})", tr(verb),
               day_text(ctx.store, start), series.id(), id, tr(existing.status())));
    }
    return batch.add(
        kind,
        [&](const std::string& new_id) {
            Record r(kind, Node::map(), "");
            Node event = make_event(ctx, when, verb);
            r.doc().set("id", Node::string(new_id));
            copy_from_series(r, event, series, start, ctx);
            enter_status(r, event);
            summary.verb = std::string(verb);
            summary.description = fill(r, event);
            r.append_event(std::move(event));
            return r.doc();
        },
        id);
}

} // namespace

std::string occurrence_id(std::string_view series_id, Timestamp start) {
    auto key = fmt::format("{}@{}", series_id, start.time_since_epoch().count());
    return fmt::format("MNT-{:08x}", checksum::xxh64(key) & 0xffffffffU);
}

Change start_maintenance(Context& ctx, std::string_view id,
                         const std::optional<OccurrenceRef>& occurrence,
                         std::optional<Timestamp> at) {
    Record named = ctx.store.load(kind, ctx.store.locate(kind, id));
    if (!is_series(named)) {
        if (occurrence)
            throw UsageError(
                tr("--occurrence: {} is not a series (it has no recurrence)", named.id()));
        return apply_step(ctx, kind, id, "start", at, [&](Record& r, Node& event, Timestamp when) {
            enter_status(r, event);
            set_field(r, event, "actual_start", Node::string(stamp(ctx, when)));
            return ChangeSummary{"start", phrase("started")};
        });
    }
    // The series must be announced and not cancelled: its own table says why not.
    if (!windows().in(StatusGroup::recurring, named.status())) windows().require(named, "start");
    Batch batch(ctx);
    Timestamp when = resolve_event_time(ctx, at);
    Timestamp start = occurrence ? named_occurrence(ctx.store, named, *occurrence)
                                 : due_occurrence(ctx.store, named, when);
    if (start == field_time(named, "start") && holds_first_occurrence(named))
        throw RefusedError(tr("cannot start the occurrence {} of {}: the series itself records it",
                              day_text(ctx.store, start), named.id()));
    ChangeSummary summary;
    Record& r = add_occurrence(
        batch, ctx, named, start, "begin", when,
        [&](Record& rec, Node& event) {
            if (const Node* tasks = named.doc().find("tasks"))
                set_field(rec, event, "tasks", *tasks);
            set_field(rec, event, "actual_start", Node::string(stamp(ctx, when)));
            return phrase("started: occurrence {} of {}", day_text(ctx.store, start), named.id());
        },
        summary);
    batch.commit(r, summary);
    return {r, summary};
}

NotifyResult skip_occurrence(Context& ctx, std::string_view id, const OccurrenceRef& occurrence,
                             const std::string& reason, std::optional<Timestamp> at) {
    if (reason.empty()) throw UsageError(tr("{} must not be empty", "--reason"));
    Record series = ctx.store.load(kind, ctx.store.locate(kind, id));
    if (!is_series(series))
        throw UsageError(tr("{} is not a series (it has no recurrence): cancel it instead "
                            "(opsflow maint cancel {})",
                            series.id(), series.id()));
    if (windows().in(StatusGroup::cancelled, series.status())) windows().require(series, "cancel");
    Batch batch(ctx);
    Timestamp when = resolve_event_time(ctx, at);
    Timestamp start = named_occurrence(ctx.store, series, occurrence);
    if (start == field_time(series, "start") && holds_first_occurrence(series))
        throw RefusedError(tr("cannot skip the occurrence {} of {}: it was carried out",
                              day_text(ctx.store, start), series.id()));
    std::string message_id, message;
    ChangeSummary summary;
    Record& r = add_occurrence(
        batch, ctx, series, start, "skip", when,
        [&](Record& rec, Node& event) {
            set_field(rec, event, "skip_reason", Node::string(reason));
            return phrase("skipped: occurrence {} of {}: {}", day_text(ctx.store, start),
                          series.id(), reason);
        },
        summary);
    if (was_announced(series)) {
        // Those told of the series are told it will not happen that day: the invitation's
        // instance cancelled (METHOD:CANCEL with its RECURRENCE-ID).
        auto recipients = recipients_of(ctx, series, {});
        PreparedNotice notice = prepare_notice(
            ctx, r, skipped_occurrence(ctx, series, start, reason, recipients, when), when);
        message_id = notice.message_id;
        message = notice.mime;
        summary.description += phrase("; update sent to {} recipient(s)", recipients.size());
        attach_notice(r, summary, std::move(notice));
    }
    batch.commit(r, summary);
    NotifyResult result{r.id(), message, std::nullopt, false};
    if (!message_id.empty()) result.delivery = deliver_notice(ctx, kind, r.id(), message_id);
    return result;
}

std::string acting_window(const Store& store, std::string_view id, std::string_view verb,
                          const std::optional<OccurrenceRef>& occurrence) {
    Record named = store.load(kind, store.locate(kind, id));
    if (!is_series(named)) {
        if (occurrence)
            throw UsageError(
                tr("--occurrence: {} is not a series (it has no recurrence)", named.id()));
        return named.id();
    }
    if (occurrence) {
        Timestamp start = named_occurrence(store, named, *occurrence);
        if (start == field_time(named, "start") && holds_first_occurrence(named)) return named.id();
        std::string found = occurrence_id(named.id(), start);
        if (!store.id_exists(kind, found))
            throw RefusedError(tr("cannot {} the occurrence {} of {}: it has not started (run: "
                                  "opsflow maint start {} --occurrence {})",
                                  tr(verb), day_text(store, start), named.id(), named.id(),
                                  format_rfc3339(start, store.settings().zone).substr(0, 10)));
        return found;
    }
    // The occurrences the verb may act on; the series' own first one if it holds it.
    StoreFacts facts = load_facts(store, {kind});
    std::vector<std::string> waiting;
    if (holds_first_occurrence(named) && windows().allows(verb, named.status()))
        waiting.push_back(named.id());
    for (const auto* m : occurrence_facts(facts, named.id()))
        if (windows().allows(verb, m->status)) waiting.emplace_back(m->id);
    if (waiting.size() == 1) return waiting.front();
    if (waiting.empty())
        throw RefusedError(tr("cannot {} {}: no occurrence of the series is waiting for it "
                              "(opsflow maint show {} lists them)",
                              tr(verb), named.id(), named.id()));
    throw UsageError(tr("{} has {} occurrences waiting to {}: {}; name one with --occurrence DATE",
                        named.id(), waiting.size(), tr(verb),
                        fmt::format("{}", fmt::join(waiting, ", "))));
}

std::vector<SeriesEntry> series_history(const Store& store, const Record& series, Timestamp now) {
    std::vector<SeriesEntry> out;
    if (!is_series(series)) return out;
    if (holds_first_occurrence(series))
        out.push_back({field_time(series, "start"), field_time(series, "end"), series.id(),
                       series.status(), series.field("result")});
    StoreFacts facts = load_facts(store, {kind});
    auto records = occurrence_facts(facts, series.id());
    for (const auto* m : records)
        out.push_back({m->occurrence.value_or(m->start), m->end, std::string(m->id),
                       std::string(m->status), std::string(m->result)});
    // Past occurrences with no record: due, not carried out or not recorded.
    if (!windows().in(StatusGroup::cancelled, series.status()))
        for (auto t : starts_between(store, series, field_time(series, "start"), now))
            if (!recorded(records, t) &&
                !(t == field_time(series, "start") && holds_first_occurrence(series)))
                out.push_back({t, t + length_of(series), "", "", ""});
    std::sort(out.begin(), out.end(),
              [](const SeriesEntry& a, const SeriesEntry& b) { return a.start < b.start; });
    return out;
}

std::vector<Timestamp> skipped_occurrences(const StoreFacts& facts, std::string_view series) {
    std::vector<Timestamp> out;
    for (const auto* m : occurrence_facts(facts, series))
        if (m->occurrence && windows().in(StatusGroup::skipped, m->status))
            out.push_back(*m->occurrence);
    return out;
}

} // namespace opsflow
