#include "opsflow/icalendar.hpp"

#include "opsflow/error.hpp"

#include <date/tz.h>
#include <fmt/format.h>
#include <libical/ical.h>
#include <memory>

namespace opsflow {

namespace {

struct ComponentDeleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDeleter>;

// libical names zones `/freeassociation.sourceforge.net/Asia/Shanghai` and ships the
// VTIMEZONE with them, which calendar programs read; it ignores an empty prefix.
icaltimezone* zone_for(const std::string& name) {
    if (name == "UTC" || name == "Etc/UTC") return icaltimezone_get_utc_timezone();
    icaltimezone* tz = icaltimezone_get_builtin_timezone(name.c_str());
    return tz ? tz : icaltimezone_get_utc_timezone();
}

icaltimetype to_ical(Timestamp t, icaltimezone* tz) {
    return icaltime_from_timet_with_zone(static_cast<time_t>(t.time_since_epoch().count()), 0, tz);
}

// A floating local time (no zone of its own), written next to a TZID parameter.
icaltimetype to_local_ical(Timestamp t, const std::string& zone_name) {
    auto local = find_time_zone(zone_name)->to_local(t);
    auto day = std::chrono::floor<date::days>(local);
    date::year_month_day ymd{day};
    date::hh_mm_ss tod{local - day};
    icaltimetype out = icaltime_null_time();
    out.year = static_cast<int>(ymd.year());
    out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    out.hour = static_cast<int>(tod.hours().count());
    out.minute = static_cast<int>(tod.minutes().count());
    out.second = static_cast<int>(tod.seconds().count());
    return out;
}

Timestamp from_ical(icaltimetype t, icaltimezone* tz) {
    return Timestamp{std::chrono::seconds(icaltime_as_timet_with_zone(t, tz))};
}

icalrecurrencetype parse_rule(const std::string& rrule) {
    icalerror_clear_errno();
    icalerror_set_errors_are_fatal(0);
    icalrecurrencetype r = icalrecurrencetype_from_string(rrule.c_str());
    bool bad = r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR ||
               rrule.find('\n') != std::string::npos;
    icalerror_clear_errno();
    if (bad)
        throw UsageError(fmt::format(
            "--recurrence: '{}' is not an iCalendar RRULE (e.g. FREQ=MONTHLY;BYDAY=1SA or "
            "FREQ=WEEKLY;BYDAY=SU;COUNT=4)",
            rrule));
    return r;
}

} // namespace

void validate_rrule(const std::string& rrule) {
    parse_rule(rrule);
}

std::vector<Timestamp> occurrences(Timestamp first_start, const std::optional<std::string>& rrule,
                                   const std::string& zone_name, Timestamp from, Timestamp to,
                                   std::size_t limit) {
    std::vector<Timestamp> out;
    if (!rrule) {
        if (first_start >= from && first_start < to) out.push_back(first_start);
        return out;
    }
    icaltimezone* tz = zone_for(zone_name);
    icalrecur_iterator* it = icalrecur_iterator_new(parse_rule(*rrule), to_ical(first_start, tz));
    if (!it) return out;
    // RFC 5545: DTSTART is the first occurrence even when the rule would not produce it.
    if (first_start >= from && first_start < to) out.push_back(first_start);
    // Bounded: a rule without end yields occurrences forever.
    for (int i = 0; i < 100000 && out.size() < limit; ++i) {
        icaltimetype next = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(next)) break;
        Timestamp t = from_ical(next, tz);
        if (t >= to) break;
        if (t >= from && t != first_start) out.push_back(t);
    }
    icalrecur_iterator_free(it);
    return out;
}

std::string render_calendar(const std::vector<CalendarEvent>& events, const std::string& method,
                            const std::string& zone_name, Timestamp stamp) {
    icaltimezone* tz = zone_for(zone_name);
    Component cal(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
    icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//opsflow//maintenance//EN"));
    icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(
        cal.get(), icalproperty_new_method(icalproperty_string_to_method(method.c_str())));
    if (tz != icaltimezone_get_utc_timezone())
        icalcomponent_add_component(cal.get(),
                                    icalcomponent_new_clone(icaltimezone_get_component(tz)));
    for (const auto& e : events) {
        icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        icalcomponent_add_property(ev, icalproperty_new_uid(e.uid.c_str()));
        icalcomponent_add_property(
            ev, icalproperty_new_dtstamp(to_ical(stamp, icaltimezone_get_utc_timezone())));
        bool utc = tz == icaltimezone_get_utc_timezone();
        icalproperty* start = icalproperty_new_dtstart(utc ? to_ical(e.start, tz)
                                                           : to_local_ical(e.start, zone_name));
        icalproperty* end =
            icalproperty_new_dtend(utc ? to_ical(e.end, tz) : to_local_ical(e.end, zone_name));
        if (!utc) {
            icalproperty_add_parameter(start, icalparameter_new_tzid(icaltimezone_get_tzid(tz)));
            icalproperty_add_parameter(end, icalparameter_new_tzid(icaltimezone_get_tzid(tz)));
        }
        icalcomponent_add_property(ev, start);
        icalcomponent_add_property(ev, end);
        icalcomponent_add_property(ev, icalproperty_new_sequence(e.sequence));
        icalcomponent_add_property(ev, icalproperty_new_summary(e.summary.c_str()));
        if (!e.description.empty())
            icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
        if (e.rrule) icalcomponent_add_property(ev, icalproperty_new_rrule(parse_rule(*e.rrule)));
        icalcomponent_add_property(
            ev,
            icalproperty_new_status(e.cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
        icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
        if (!e.organizer.empty())
            icalcomponent_add_property(
                ev, icalproperty_new_organizer(("mailto:" + e.organizer).c_str()));
        for (const auto& a : e.attendees) {
            icalproperty* att = icalproperty_new_attendee(("mailto:" + a).c_str());
            icalproperty_add_parameter(att, icalparameter_new_role(ICAL_ROLE_OPTPARTICIPANT));
            icalproperty_add_parameter(att, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
            icalcomponent_add_property(ev, att);
        }
        icalcomponent_add_component(cal.get(), ev);
    }
    char* text = icalcomponent_as_ical_string_r(cal.get());
    std::string out(text);
    free(text);
    return out;
}

} // namespace opsflow
