#include "opsflow/base/icalendar.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>
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

// A floating local time (no zone of its own).
icaltimetype to_ical(date::local_seconds local) {
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

// The wall-clock time of `t` in `zone`, as a floating local time.
icaltimetype to_local_ical(Timestamp t, const date::time_zone* zone) {
    return to_ical(zone->to_local(t));
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

// A value list of a BYxxx part and the range RFC 5545's grammar gives its numbers.
struct ByRange {
    std::string_view name;
    int low, high;
    bool signed_; // -high..-low is allowed too
};
constexpr ByRange by_ranges[] = {
    {"BYSECOND", 0, 60, false},  {"BYMINUTE", 0, 59, false},  {"BYHOUR", 0, 23, false},
    {"BYMONTHDAY", 1, 31, true}, {"BYYEARDAY", 1, 366, true}, {"BYWEEKNO", 1, 53, true},
    {"BYMONTH", 1, 12, false},   {"BYSETPOS", 1, 366, true},
};

bool is_digits(std::string_view s) {
    return !s.empty() && s.size() <= 9 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Whether `item` (`-1`, `13`, `+2`) is a number in `range`.
bool in_range(std::string_view item, const ByRange& range) {
    bool negative = false;
    if (range.signed_ && !item.empty() && (item[0] == '+' || item[0] == '-')) {
        negative = item[0] == '-';
        item.remove_prefix(1);
    }
    if (!is_digits(item)) return false;
    int value = std::stoi(std::string(item));
    return value >= range.low && value <= range.high && !(negative && value == 0);
}

// Whether `item` is a weekday with an optional ordinal from -53 to 53 (`SU`, `1SA`, `-1FR`).
bool is_weekday(std::string_view item) {
    static constexpr std::string_view days[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
    if (item.size() < 2 ||
        std::find(std::begin(days), std::end(days), item.substr(item.size() - 2)) == std::end(days))
        return false;
    item.remove_suffix(2);
    if (item.empty()) return true;
    return in_range(item, {"BYDAY", 1, 53, true});
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

// What is wrong with the text of a rule that libical would take without a word: an empty
// part (`FREQ=DAILY;;COUNT=2` loses its COUNT), a part given twice, a value that RFC 5545's
// grammar does not allow (BYMONTH=13 gives a rule with no occurrences). Empty if none.
std::string malformed_part(const std::string& rrule) {
    std::vector<std::string> seen;
    std::size_t begin = 0;
    while (true) {
        auto end = rrule.find(';', begin);
        std::string part = upper(std::string_view(rrule).substr(
            begin, end == std::string::npos ? std::string::npos : end - begin));
        if (part.empty()) return tr("an empty part (two ';' in a row, or one at the start or end)");
        auto eq = part.find('=');
        std::string name = part.substr(0, eq);
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
            return tr("{} is given twice", name);
        seen.push_back(name);
        if (eq != std::string::npos) {
            std::string_view values = std::string_view(part).substr(eq + 1);
            const ByRange* range = nullptr;
            for (const auto& r : by_ranges)
                if (r.name == name) range = &r;
            if (range || name == "BYDAY") {
                std::size_t at = 0;
                while (true) {
                    auto comma = values.find(',', at);
                    auto item = values.substr(
                        at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
                    bool ok = range ? in_range(item, *range) : is_weekday(item);
                    if (!ok && name == "BYDAY")
                        return tr("BYDAY={} is not a weekday (SU, MO, ... SA) with an optional "
                                  "number from -53 to 53 (1SA, -1FR)",
                                  item);
                    if (!ok)
                        return tr("{}={} is out of range: RFC 5545 allows {}", name, item,
                                  range->signed_ ? fmt::format("{}..{}, -{}..-{}", range->low,
                                                               range->high, range->high, range->low)
                                                 : fmt::format("{}..{}", range->low, range->high));
                    if (comma == std::string_view::npos) break;
                    at = comma + 1;
                }
            }
        }
        if (end == std::string::npos) break;
        begin = end + 1;
    }
    return "";
}

// The rule libical reads from `rrule`, or the problem with it.
std::optional<RuleProblem> read_rule(const std::string& rrule, icalrecurrencetype& out) {
    if (auto why = malformed_part(rrule); !why.empty()) return RuleProblem{true, why};
    icalerror_clear_errno();
    icalerror_set_errors_are_fatal(0);
    out = icalrecurrencetype_from_string(rrule.c_str());
    bool bad = out.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR ||
               rrule.find('\n') != std::string::npos || rrule.find('\r') != std::string::npos;
    icalerror_clear_errno();
    if (bad)
        return RuleProblem{false, tr("it is not an iCalendar RRULE (e.g. FREQ=MONTHLY;BYDAY=1SA or "
                                     "FREQ=WEEKLY;BYDAY=SU;COUNT=4)")};
    if (auto why = forbidden_part(out); !why.empty()) return RuleProblem{true, why};
    return std::nullopt;
}

// A rule already checked (validate_rrule, or check of the record): a rule that is not is
// invalid data.
icalrecurrencetype parse_rule(const std::string& rrule) {
    icalrecurrencetype r{};
    if (auto problem = read_rule(rrule, r))
        throw InvalidDataError(tr("'{}' is not a valid RRULE: {}", rrule, problem->why));
    return r;
}

} // namespace

std::optional<RuleProblem> rrule_problem(const std::string& rrule) {
    icalrecurrencetype r{};
    return read_rule(rrule, r);
}

void validate_rrule(const std::string& rrule) {
    icalrecurrencetype r{};
    auto problem = read_rule(rrule, r);
    if (!problem) return;
    if (!problem->readable)
        throw UsageError(
            tr("--recurrence: '{}' is not an iCalendar RRULE (e.g. FREQ=MONTHLY;BYDAY=1SA "
               "or FREQ=WEEKLY;BYDAY=SU;COUNT=4)",
               rrule));
    throw UsageError(tr("--recurrence: '{}' is not allowed by RFC 5545: {}", rrule, problem->why));
}

Occurrences occurrences(const SeriesStart& start, const std::optional<std::string>& rrule,
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
    if (start.first >= from && start.first < to) take(start.first);
    if (!rrule) return out;
    const date::time_zone* zone = find_time_zone(zone_name);
    // The rule runs on the wall clock of the store's zone from DTSTART's wall time (02:00
    // every Sunday stays 02:00 across a DST change, and so does a first 02:00 that a DST
    // gap moved); each local time is then read as RFC 5545 reads it.
    icalrecurrencetype rule = parse_rule(*rrule);
    if (!icaltime_is_null_time(rule.until))
        rule.until = to_local_ical(from_utc_ical(rule.until), zone);
    const icaltimetype first = to_ical(start.wall);
    icalrecur_iterator* it = icalrecur_iterator_new(rule, first);
    if (!it) return out;
    while (!out.stopped_early) {
        icaltimetype next = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(next)) break;
        // The rule's instance at DTSTART's wall time is DTSTART, taken above: in the second
        // pass of a repeated hour that wall time read alone is the first pass, an hour
        // before the window, which is no occurrence.
        if (icaltime_compare(next, first) == 0) continue;
        Timestamp t = from_local_ical(next, zone);
        if (t >= to) break;
        if (t >= from && !take(t)) break;
    }
    icalrecur_iterator_free(it);
    return out;
}

Occurrences occurrences(Timestamp first_start, const std::optional<std::string>& rrule,
                        const std::string& zone_name, Timestamp from, Timestamp to,
                        std::size_t limit) {
    return occurrences(SeriesStart{first_start, find_time_zone(zone_name)->to_local(first_start)},
                       rrule, zone_name, from, to, limit);
}

namespace {

// A local time in the store's zone with its plain IANA name as TZID, as calendar
// programs write it.
icalproperty* with_tzid(icalproperty* property, const std::string& tzid) {
    icalproperty_add_parameter(property, icalparameter_new_tzid(tzid.c_str()));
    return property;
}

// DTSTART, and for a series that starts in the second pass of a repeated hour the
// EXDATE and RDATE that say so. DTSTART is the wall time the rule repeats, in the store's
// zone (a rule recurs in the frame of its DTSTART: a UTC DTSTART would recur in UTC and
// be an hour off after the next DST change). When that local time does not read back as
// the first occurrence (the second 02:30 of an autumn night, which RFC 5545 reads as the
// first), a one-off window's DTSTART is in UTC; a series keeps its local DTSTART, an EXDATE
// in UTC takes out the first pass (where RFC 5545 puts DTSTART) and an RDATE in UTC adds the
// real first occurrence (a reader that takes the second pass finds DTSTART there already).
void add_start(icalcomponent* ev, const CalendarEvent& e, const date::time_zone* zone,
               const std::string& tzid, bool utc_zone) {
    if (utc_zone) {
        icalcomponent_add_property(ev, icalproperty_new_dtstart(to_utc_ical(e.start)));
        return;
    }
    date::local_seconds wall = e.wall_start.value_or(zone->to_local(e.start));
    if (local_to_instant(wall, zone) == e.start) {
        icalcomponent_add_property(ev, with_tzid(icalproperty_new_dtstart(to_ical(wall)), tzid));
        return;
    }
    if (!e.rrule) {
        icalcomponent_add_property(ev, icalproperty_new_dtstart(to_utc_ical(e.start)));
        return;
    }
    wall = zone->to_local(e.start);
    icalcomponent_add_property(ev, with_tzid(icalproperty_new_dtstart(to_ical(wall)), tzid));
    icalcomponent_add_property(ev,
                               icalproperty_new_exdate(to_utc_ical(local_to_instant(wall, zone))));
    icaldatetimeperiodtype first{};
    first.time = to_utc_ical(e.start);
    first.period = icalperiodtype_null_period();
    icalcomponent_add_property(ev, icalproperty_new_rdate(first));
}

// An instance of a series named by its start (EXDATE, RECURRENCE-ID): the local time
// with TZID, as DTSTART is written, or UTC where the local time is ambiguous.
icalproperty* instance_time(icalproperty* (*make)(struct icaltimetype), Timestamp t,
                            const date::time_zone* zone, const std::string& tzid, bool utc_zone) {
    if (utc_zone) return make(to_utc_ical(t));
    date::local_seconds wall = zone->to_local(t);
    if (local_to_instant(wall, zone) != t) return make(to_utc_ical(t));
    return with_tzid(make(to_ical(wall)), tzid);
}

// DURATION in exact hours, minutes and seconds (`PT25H`; `P1D` would be a calendar day,
// 23 or 25 hours across a DST change): every reader gets the window's length, however it
// reads DTSTART.
icalproperty* duration_of(Timestamp start, Timestamp end) {
    auto seconds = (end - start).count();
    icaldurationtype d = icaldurationtype_null_duration();
    d.is_neg = seconds < 0 ? 1 : 0;
    auto length = static_cast<unsigned long long>(seconds < 0 ? -seconds : seconds);
    d.hours = static_cast<unsigned>(length / 3600);
    d.minutes = static_cast<unsigned>(length % 3600 / 60);
    d.seconds = static_cast<unsigned>(length % 60);
    return icalproperty_new_duration(d);
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
        add_start(ev, e, zone, zone_name, utc);
        icalcomponent_add_property(ev, duration_of(e.start, e.end));
        icalcomponent_add_property(ev, icalproperty_new_sequence(e.sequence));
        icalcomponent_add_property(ev, icalproperty_new_summary(e.summary.c_str()));
        if (!e.description.empty())
            icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
        if (e.rrule) icalcomponent_add_property(ev, icalproperty_new_rrule(parse_rule(*e.rrule)));
        for (auto t : e.exdates)
            icalcomponent_add_property(
                ev, instance_time(icalproperty_new_exdate, t, zone, zone_name, utc));
        if (e.recurrence_id)
            icalcomponent_add_property(ev, instance_time(icalproperty_new_recurrenceid,
                                                         *e.recurrence_id, zone, zone_name, utc));
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
