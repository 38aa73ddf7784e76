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

// Throws UsageError naming the problem if `rrule` is not a valid RRULE value.
void validate_rrule(const std::string& rrule);

// Start times of the occurrences of a window in [from, to), at most `limit` of them.
std::vector<Timestamp> occurrences(Timestamp first_start, const std::optional<std::string>& rrule,
                                   const std::string& zone_name, Timestamp from, Timestamp to,
                                   std::size_t limit = 1000);

} // namespace opsflow
