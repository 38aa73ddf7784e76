#pragma once
// The parts of the maintenance process apart from its lifecycle (maintenance.cpp):
// a window's times and services, its notices (maintenance_notice.cpp), and its
// calendar: occurrences, conflicts and the iCalendar event (maintenance_calendar.cpp).
#include "opsflow/base/icalendar.hpp"
#include "opsflow/notice/notify.hpp"
#include "opsflow/work/maintenance.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace opsflow::window {

const std::string& zone_name(const Store& store);
// A time as records hold it, in the store's zone.
std::string stamp(const Context& ctx, Timestamp t);
// A time field of the window; throws InvalidDataError if it is not a time.
Timestamp field_time(const Record& r, std::string_view key);
std::vector<std::string> services_of(const Record& r);
// Whether its announcement was sent (a series: the announcement of every occurrence).
bool was_announced(const Record& r);
// The window's start as its rule sees it: the first occurrence and the wall-clock time
// that the rule repeats (a start typed in a DST gap is kept as typed, with the offset
// from before the gap: `2027-03-28T02:30:00+01:00` repeats at 02:30).
SeriesStart series_start(const Store& store, const Record& r);
// The window's RRULE; throws InvalidDataError naming the record if it is not one that
// `maint plan --recurrence` takes (a hand edit: `opsflow check` reports it too).
std::optional<std::string> rule_of(const Record& r);
// `start` as a record holds it: in the store's zone, or for a series whose start was
// typed (`typed`) in a DST gap, the time typed with the offset from before the gap.
std::string start_stamp(const Context& ctx, Timestamp start,
                        const std::optional<date::local_seconds>& typed, bool series);

// The iCalendar event of a window; SEQUENCE goes up with every reschedule and with
// the cancellation. A series leaves out its skipped occurrences (EXDATE).
CalendarEvent calendar_event(const Store& store, const Record& r, bool cancelled,
                             std::vector<Timestamp> skipped = {});

// Windows that share a service with [start, end) (and its recurrences) within the
// next year: one line each.
std::vector<std::string> find_conflicts(const Context& ctx, const std::string& self_id,
                                        const SeriesStart& start, Timestamp end,
                                        const std::optional<std::string>& rrule,
                                        const std::vector<std::string>& services);

// The notice that announces a window, with its invitation; `sent_at` is the
// notice's time (`--at`), its invitation's DTSTAMP as its Date: header.
NoticeDraft announcement(const Context& ctx, const Record& r, std::vector<std::string> recipients,
                         bool late, Timestamp sent_at);
// The notice that one occurrence of a series is skipped: METHOD:CANCEL for the instance
// (its RECURRENCE-ID) at the series' SEQUENCE.
NoticeDraft skipped_occurrence(const Context& ctx, const Record& series, Timestamp start,
                               const std::string& reason, std::vector<std::string> recipients,
                               Timestamp sent_at);
// The notice that cancels it, with METHOD:CANCEL.
NoticeDraft cancellation(const Context& ctx, const Record& r, const std::string& reason,
                         std::vector<std::string> recipients, Timestamp sent_at);
// The recipients of a window's notices: its services' subscribers, everyone told
// before, plus `extra`.
std::vector<std::string> recipients_of(const Context& ctx, const Record& r,
                                       const std::vector<std::string>& extra);

} // namespace opsflow::window
