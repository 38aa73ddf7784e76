#include "opsflow/icalendar.hpp"

#include "opsflow/error.hpp"
#include "opsflow/i18n.hpp"

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

icaltimezone* zone_for(const std::string& name) {
    if (name == "UTC" || name == "Etc/UTC") return icaltimezone_get_utc_timezone();
    icaltimezone* tz = icaltimezone_get_builtin_timezone(name.c_str());
    return tz ? tz : icaltimezone_get_utc_timezone();
}

icaltimetype to_utc_ical(Timestamp t) {
    return icaltime_from_timet_with_zone(static_cast<time_t>(t.time_since_epoch().count()), 0,
                                         icaltimezone_get_utc_timezone());
}

// A floating local time (no zone of its own): the wall-clock time in `zone`.
icaltimetype to_local_ical(Timestamp t, const date::time_zone* zone) {
    auto local = zone->to_local(t);
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

// The instant a floating local time in `zone` names, read as RFC 5545 reads it.
Timestamp from_local_ical(icaltimetype t, const date::time_zone* zone) {
    date::local_days day{date::year{t.year} / t.month / t.day};
    return local_to_instant(day + std::chrono::hours(t.hour) + std::chrono::minutes(t.minute) +
                                std::chrono::seconds(t.second),
                            zone);
}

Timestamp from_utc_ical(icaltimetype t) {
    return Timestamp{
        std::chrono::seconds(icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone()))};
}

template <std::size_t N> bool has_any(const short (&values)[N]) {
    return values[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

// What RFC 5545 §3.3.10 forbids and libical takes silently (a rule that then
// yields nothing, or not what was meant). Empty if the rule is allowed.
std::string forbidden_part(const icalrecurrencetype& r) {
    const auto freq = r.freq;
    const bool yearly = freq == ICAL_YEARLY_RECURRENCE, monthly = freq == ICAL_MONTHLY_RECURRENCE,
               weekly = freq == ICAL_WEEKLY_RECURRENCE;
    if (has_any(r.by_week_no) && !yearly) return tr("BYWEEKNO is only for FREQ=YEARLY");
    if (has_any(r.by_year_day) && (freq == ICAL_DAILY_RECURRENCE || weekly || monthly))
        return tr("BYYEARDAY is not for FREQ=DAILY, WEEKLY or MONTHLY");
    if (has_any(r.by_month_day) && weekly) return tr("BYMONTHDAY is not for FREQ=WEEKLY");
    for (std::size_t i = 0; i < ICAL_BY_DAY_SIZE && r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i)
        if (icalrecurrencetype_day_position(r.by_day[i]) != 0) {
            if (!yearly && !monthly)
                return tr("a BYDAY with a number (such as 1SA) is only for FREQ=MONTHLY or YEARLY");
            if (yearly && has_any(r.by_week_no))
                return tr("a BYDAY with a number (such as 1SA) is not for a rule with BYWEEKNO");
        }
    if (has_any(r.by_set_pos) && !has_any(r.by_second) && !has_any(r.by_minute) &&
        !has_any(r.by_hour) && r.by_day[0] == ICAL_RECURRENCE_ARRAY_MAX &&
        !has_any(r.by_month_day) && !has_any(r.by_year_day) && !has_any(r.by_week_no) &&
        !has_any(r.by_month))
        return tr("BYSETPOS needs another BYxxx part to choose from");
    if (!icaltime_is_null_time(r.until)) {
        if (r.count != 0) return tr("UNTIL and COUNT cannot both be given");
        // A window starts at a date-time in the store's zone, so UNTIL is a UTC date-time.
        if (r.until.is_date)
            return tr("UNTIL must be a date-time like 20271231T235959Z, not a date");
        if (!icaltime_is_utc(r.until))
            return tr("UNTIL must be a UTC date-time, ending in Z (20271231T235959Z)");
    }
    return "";
}

icalrecurrencetype parse_rule(const std::string& rrule) {
    icalerror_clear_errno();
    icalerror_set_errors_are_fatal(0);
    icalrecurrencetype r = icalrecurrencetype_from_string(rrule.c_str());
    bool bad = r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR ||
               rrule.find('\n') != std::string::npos;
    icalerror_clear_errno();
    if (bad)
        throw UsageError(
            tr("--recurrence: '{}' is not an iCalendar RRULE (e.g. FREQ=MONTHLY;BYDAY=1SA "
               "or FREQ=WEEKLY;BYDAY=SU;COUNT=4)",
               rrule));
    if (auto why = forbidden_part(r); !why.empty())
        throw UsageError(tr("--recurrence: '{}' is not allowed by RFC 5545: {}", rrule, why));
    return r;
}

} // namespace

void validate_rrule(const std::string& rrule) {
    parse_rule(rrule);
}

Occurrences occurrences(Timestamp first_start, const std::optional<std::string>& rrule,
                        const std::string& zone_name, Timestamp from, Timestamp to,
                        std::size_t limit) {
    Occurrences out;
    auto take = [&](Timestamp t) {
        if (out.starts.size() == limit) {
            out.stopped_early = true;
            return false;
        }
        out.starts.push_back(t);
        return true;
    };
    // RFC 5545: DTSTART is the first occurrence even when the rule would not produce it.
    if (first_start >= from && first_start < to) take(first_start);
    if (!rrule) return out;
    const date::time_zone* zone = find_time_zone(zone_name);
    // The rule runs on the wall clock of the store's zone (02:00 every Sunday stays
    // 02:00 across a DST change); each local time is then read as RFC 5545 reads it.
    icalrecurrencetype rule = parse_rule(*rrule);
    if (!icaltime_is_null_time(rule.until))
        rule.until = to_local_ical(from_utc_ical(rule.until), zone);
    icalrecur_iterator* it = icalrecur_iterator_new(rule, to_local_ical(first_start, zone));
    if (!it) return out;
    while (!out.stopped_early) {
        icaltimetype next = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(next)) break;
        Timestamp t = from_local_ical(next, zone);
        if (t >= to) break;
        if (t >= from && t != first_start && !take(t)) break;
    }
    icalrecur_iterator_free(it);
    return out;
}

namespace {

// DTSTART or DTEND: in the store's zone with its plain IANA name as TZID, as
// calendar programs write it, when that local time reads back as the same instant;
// otherwise (the second 02:30 of an autumn night, which RFC 5545 reads as the first)
// in UTC, so that every reader gets the window's real start, end and length.
void set_time(icalproperty* property, Timestamp t, const date::time_zone* zone,
              const std::string& tzid, bool utc_zone) {
    icaltimetype local = to_local_ical(t, zone);
    if (utc_zone || from_local_ical(local, zone) != t) {
        icalproperty_set_value(property, icalvalue_new_datetime(to_utc_ical(t)));
        return;
    }
    icalproperty_set_value(property, icalvalue_new_datetime(local));
    icalproperty_add_parameter(property, icalparameter_new_tzid(tzid.c_str()));
}

} // namespace

std::string render_calendar(const std::vector<CalendarEvent>& events, const std::string& method,
                            const std::string& zone_name, Timestamp stamp) {
    icaltimezone* tz = zone_for(zone_name);
    const bool utc = tz == icaltimezone_get_utc_timezone();
    const date::time_zone* zone = find_time_zone(zone_name);
    Component cal(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
    icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//opsflow//maintenance//EN"));
    icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(
        cal.get(), icalproperty_new_method(icalproperty_string_to_method(method.c_str())));
    if (!utc) {
        // libical's VTIMEZONE, named by the plain IANA name rather than libical's
        // `/freeassociation.sourceforge.net/...`, which some readers cannot resolve.
        icalcomponent* vtimezone = icalcomponent_new_clone(icaltimezone_get_component(tz));
        if (icalproperty* id = icalcomponent_get_first_property(vtimezone, ICAL_TZID_PROPERTY))
            icalproperty_set_tzid(id, zone_name.c_str());
        icalcomponent_add_component(cal.get(), vtimezone);
    }
    for (const auto& e : events) {
        icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        icalcomponent_add_property(ev, icalproperty_new_uid(e.uid.c_str()));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(to_utc_ical(stamp)));
        icalproperty* start = icalproperty_new_dtstart(icaltime_null_time());
        icalproperty* end = icalproperty_new_dtend(icaltime_null_time());
        set_time(start, e.start, zone, zone_name, utc);
        set_time(end, e.end, zone, zone_name, utc);
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
