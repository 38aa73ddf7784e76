#pragma once
// iCalendar (RFC 5545) through libical: invitations for maintenance windows,
// recurrence rules and their occurrences.
#include "opsflow/time.hpp"

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
    std::optional<std::string> rrule;
    int sequence = 0;
    bool cancelled = false;
    std::string organizer;              // an address, may be empty
    std::vector<std::string> attendees; // addresses
};

// A VCALENDAR with `method` (REQUEST, CANCEL, or PUBLISH for a subscription feed),
// times in the store timezone `zone_name` with its VTIMEZONE.
std::string render_calendar(const std::vector<CalendarEvent>& events, const std::string& method,
                            const std::string& zone_name, Timestamp stamp);

// Throws UsageError naming the problem if `rrule` is not a valid RRULE value, or is
// one RFC 5545 forbids (BYWEEKNO outside YEARLY, an ordinal BYDAY in a WEEKLY rule,
// BYSETPOS alone, an UNTIL that is a date or not in UTC...).
void validate_rrule(const std::string& rrule);

// Start times of the occurrences of a window in [from, to), at most `limit` of them
// (`stopped_early` says there were more). The rule runs on the wall clock of the
// zone: a weekly Sunday 02:00 window stays at 02:00 local across a DST change, and a
// local time in a DST gap or in the repeated hour is read as RFC 5545 §3.3.5 reads
// it (02:00 in a spring-forward gap is 03:00 after it; the first of two 02:30s).
struct Occurrences {
    std::vector<Timestamp> starts;
    bool stopped_early = false;
};
Occurrences occurrences(Timestamp first_start, const std::optional<std::string>& rrule,
                        const std::string& zone_name, Timestamp from, Timestamp to,
                        std::size_t limit = 10000);

} // namespace opsflow
