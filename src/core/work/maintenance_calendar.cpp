// A maintenance window in time: its occurrences, the windows it conflicts with,
// its iCalendar event and the calendar feed of every window.
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/store/query.hpp"
#include "work/maintenance_window.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace opsflow {

namespace window {

namespace {

bool cancelled(const Record& w) {
    return workflow_of(RecordKind::maintenance).in(StatusGroup::cancelled, w.status());
}

// An occurrence of a series: in the calendar as its series' instance, not on its own.
bool is_occurrence(const Record& w) {
    return w.doc().get("series").has_value();
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

} // namespace

CalendarEvent calendar_event(const Store& store, const Record& r, bool cancelled,
                             std::vector<Timestamp> skipped) {
    CalendarEvent e;
    e.uid = r.id() + "@opsflow";
    e.summary = r.field("title");
    e.description = r.field("impact").empty() ? r.field("description") : r.field("impact");
    SeriesStart start = series_start(store, r);
    e.start = start.first;
    e.end = field_time(r, "end");
    e.wall_start = start.wall;
    e.rrule = rule_of(r);
    e.sequence = sequence_of(r);
    e.cancelled = cancelled;
    e.exdates = std::move(skipped);
    e.organizer = extract_email(store.settings().notify.from).value_or("");
    return e;
}

std::vector<std::string> find_conflicts(const Context& ctx, const std::string& self_id,
                                        const SeriesStart& start, Timestamp end,
                                        const std::optional<std::string>& rrule,
                                        const std::vector<std::string>& services) {
    std::vector<std::string> conflicts;
    std::vector<std::string> problems;
    auto horizon_end = start.first + std::chrono::hours(24 * 366);
    auto mine = occurrences(start, rrule, zone_name(ctx.store), start.first, horizon_end).starts;
    auto length = end - start.first;
    for (const auto& other : list_maintenance(ctx.store, {}, problems)) {
        if (other.id() == self_id || cancelled(other) || is_occurrence(other)) continue;
        auto shared = services_of(other);
        std::erase_if(shared, [&](const std::string& s) {
            return std::find(services.begin(), services.end(), s) == services.end();
        });
        if (shared.empty()) continue;
        SeriesStart o_series = series_start(ctx.store, other);
        Timestamp o_start = o_series.first, o_end = field_time(other, "end");
        auto o_length = o_end - o_start;
        auto theirs = occurrences(o_series, rule_of(other), zone_name(ctx.store),
                                  start.first - o_length, horizon_end)
                          .starts;
        for (auto a : mine) {
            bool hit = std::any_of(theirs.begin(), theirs.end(),
                                   [&](Timestamp b) { return a < b + o_length && b < a + length; });
            if (!hit) continue;
            // TRANSLATORS: a window that overlaps the one planned: ID, title, start, end, services.
            conflicts.push_back(tr("{} '{}' ({} to {}) on {}", other.id(), other.field("title"),
                                   stamp(ctx, o_start), stamp(ctx, o_end),
                                   fmt::format("{}", fmt::join(shared, ", "))));
            break;
        }
    }
    return conflicts;
}

} // namespace window

using namespace window;

Upcoming upcoming_occurrences(const std::vector<Record>& windows, const Store& store,
                              Timestamp from, Timestamp to, std::size_t per_window) {
    Upcoming out;
    StoreFacts facts = load_facts(store, {RecordKind::maintenance});
    std::map<std::pair<std::string_view, Timestamp>, const MaintenanceFacts*> recorded;
    for (const auto& m : facts.maintenance)
        if (m.occurrence) recorded[{m.series, *m.occurrence}] = &m;
    for (const auto& w : windows) {
        if (cancelled(w) || is_occurrence(w)) continue;
        SeriesStart series = series_start(store, w);
        Timestamp start = series.first, end = field_time(w, "end");
        auto found =
            occurrences(series, rule_of(w), zone_name(store), from - (end - start), to, per_window);
        for (auto t : found.starts) {
            if (t + (end - start) <= from) continue;
            auto record = recorded.find({w.id(), t});
            if (record == recorded.end())
                out.occurrences.push_back({t, t + (end - start), &w, w.id(), w.status()});
            else
                out.occurrences.push_back({t, t + (end - start), &w,
                                           std::string(record->second->id),
                                           std::string(record->second->status)});
        }
        if (found.stopped_early) out.cut_short.emplace_back(&w, found.starts.back());
    }
    std::sort(out.occurrences.begin(), out.occurrences.end(),
              [](const Occurrence& a, const Occurrence& b) { return a.start < b.start; });
    return out;
}

std::string maintenance_calendar(const Store& store, Timestamp now) {
    std::vector<std::string> problems;
    std::vector<CalendarEvent> events;
    StoreFacts facts = load_facts(store, {RecordKind::maintenance});
    for (const auto& w : list_maintenance(store, {}, problems))
        if (!is_occurrence(w))
            events.push_back(
                calendar_event(store, w, cancelled(w), skipped_occurrences(facts, w.id())));
    return render_calendar(events, "PUBLISH", zone_name(store), now);
}

} // namespace opsflow
