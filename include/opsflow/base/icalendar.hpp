#pragma once
// iCalendar (RFC 5545) through libical: invitations for maintenance windows,
// recurrence rules and their occurrences.
#include "opsflow/base/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsflow {

struct CalendarEvent {
    std::string uid; // stable per window
    std::string summary;
    std::string description;
    Timestamp start;
    Timestamp end;
    // The wall-clock time in the zone that the rule repeats, when it is not the local time
    // of `start`: a start typed in a DST gap (window::series_start).
    std::optional<date::local_seconds> wall_start;
    std::optional<std::string> rrule;
    std::vector<Timestamp> exdates; // occurrences of the rule left out (skipped)
    // The one occurrence of a series this event is about (a cancelled instance).
    std::optional<Timestamp> recurrence_id;
    int sequence = 0;
    bool cancelled = false;
    std::string organizer;              // an address, may be empty
    std::vector<std::string> attendees; // addresses
};

// A VCALENDAR with `method` (REQUEST, CANCEL, or PUBLISH for a subscription feed),
// times in the store timezone `zone_name` with its VTIMEZONE. Each event has DTSTART and
// DURATION (exact hours, minutes and seconds), which every reader measures the same,
// however it reads a local time in the repeated hour.
std::string render_calendar(const std::vector<CalendarEvent>& events, const std::string& method,
                            const std::string& zone_name, Timestamp stamp);

// What is wrong with an RRULE value, or nothing if it is one RFC 5545 allows.
struct RuleProblem {
    bool readable = true; // false: not an RRULE at all (no FREQ, an unknown part...)
    std::string why;      // the part and what is wrong with it, translated
};
// Refused: what libical cannot read; a malformed part that it would take (an empty part
// between two ';', which loses what follows it; a part given twice; a value out of RFC
// 5545's range such as BYMONTH=13, BYWEEKNO=54, BYYEARDAY=367); what RFC 5545 forbids
// and libical takes silently (BYWEEKNO outside YEARLY, an ordinal BYDAY in a WEEKLY rule,
// BYSETPOS alone, an UNTIL that is a date or not in UTC...).
std::optional<RuleProblem> rrule_problem(const std::string& rrule);

// Throws UsageError naming --recurrence and the problem if rrule_problem finds one.
void validate_rrule(const std::string& rrule);

// The first occurrence of a series and the wall-clock time in the zone that its rule
// repeats (RFC 5545: the rule runs from DTSTART's local time). They differ only for a
// time typed in a DST gap: `2027-03-28 02:30` in Europe/Berlin is first 03:30+02:00,
// then 02:30 on the Sundays after.
struct SeriesStart {
    Timestamp first;
    date::local_seconds wall;
};

// Start times of the occurrences of a window in [from, to), at most `limit` of them
// (`stopped_early` says there were more). The rule runs on the wall clock of the
// zone: a weekly Sunday 02:00 window stays at 02:00 local across a DST change, and a
// local time in a DST gap or in the repeated hour is read as RFC 5545 §3.3.5 reads
// it (02:00 in a spring-forward gap is 03:00 after it; the first of two 02:30s).
// DTSTART (`start.first`) is the first occurrence, in whichever pass of a repeated hour
// it is; the rule's own instance at that wall time is the same occurrence, not another.
struct Occurrences {
    std::vector<Timestamp> starts;
    bool stopped_early = false;
};
Occurrences occurrences(const SeriesStart& start, const std::optional<std::string>& rrule,
                        const std::string& zone_name, Timestamp from, Timestamp to,
                        std::size_t limit = 10000);
// The same for a start whose wall time is its local time in the zone.
Occurrences occurrences(Timestamp first_start, const std::optional<std::string>& rrule,
                        const std::string& zone_name, Timestamp from, Timestamp to,
                        std::size_t limit = 10000);

} // namespace opsflow
