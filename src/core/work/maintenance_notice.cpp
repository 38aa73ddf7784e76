// The notices of a maintenance window: its announcement with an invitation, its
// cancellation, and who receives them.
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/catalog.hpp"
#include "opsflow/store/query.hpp"
#include "work/maintenance_window.hpp"

#include <fmt/format.h>

namespace opsflow::window {

namespace {

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

std::string local_time(const Store& store, Timestamp t) {
    return format_rfc3339(t, store.settings().zone).substr(0, 16).replace(10, 1, " ");
}

} // namespace

// `sent_at` is the notice's time (`--at`), its invitation's DTSTAMP as its Date: header.
NoticeDraft announcement(const Context& ctx, const Record& r, std::vector<std::string> recipients,
                         bool late, Timestamp sent_at) {
    const Store& store = ctx.store;
    auto services = services_of(r);
    std::string when =
        fmt::format("{} – {} ({})", local_time(store, field_time(r, "start")),
                    local_time(store, field_time(r, "end")), store.settings().timezone);
    LanguageScope language(store.settings().language);
    std::string body = tr("Maintenance notice\n\n{}\n\nWhen: {}\n", r.field("title"), when);
    if (auto rule = r.doc().get("recurrence")) body += tr("Repeats: {}\n", *rule);
    body += tr("Affected services: {}\n", service_names(store, services));
    if (!r.field("impact").empty()) body += tr("\nImpact:\n{}\n", r.field("impact"));
    if (!r.field("description").empty()) body += tr("\nDetails:\n{}\n", r.field("description"));
    body += tr("\nReference: {}\n", r.id());
    CalendarEvent event =
        calendar_event(store, r, false, skipped_occurrences(load_facts(store, {r.kind()}), r.id()));
    event.attendees = recipients;
    NoticeDraft d;
    d.purpose = "announce";
    d.subject =
        tr("[Maintenance] {} — {}", r.field("title"), local_time(store, field_time(r, "start")));
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
    LanguageScope language(store.settings().language);
    d.subject = tr("[Maintenance cancelled] {} — {}", r.field("title"),
                   local_time(store, field_time(r, "start")));
    d.body = tr("Maintenance cancelled\n\n{}\n\nWas planned for: {}\nReason: {}\n\nReference: "
                "{}\n",
                r.field("title"), local_time(store, field_time(r, "start")), reason, r.id());
    d.recipients = std::move(recipients);
    d.calendar =
        CalendarPart{"CANCEL", render_calendar({event}, "CANCEL", zone_name(store), sent_at)};
    d.sequence = event.sequence;
    return d;
}

NoticeDraft skipped_occurrence(const Context& ctx, const Record& series, Timestamp start,
                               const std::string& reason, std::vector<std::string> recipients,
                               Timestamp sent_at) {
    const Store& store = ctx.store;
    CalendarEvent event = calendar_event(store, series, true);
    auto length = field_time(series, "end") - field_time(series, "start");
    event.recurrence_id = start;
    event.start = start;
    event.wall_start.reset();
    event.end = start + length;
    event.rrule.reset();
    event.attendees = recipients;
    NoticeDraft d;
    d.purpose = "skip";
    LanguageScope language(store.settings().language);
    d.subject =
        tr("[Maintenance skipped] {} — {}", series.field("title"), local_time(store, start));
    d.body = tr("Maintenance skipped\n\n{}\n\nThis occurrence will not take place: {}\nReason: "
                "{}\nThe other occurrences of the series are unchanged.\n\nReference: {}\n",
                series.field("title"), local_time(store, start), reason, series.id());
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

} // namespace opsflow::window
