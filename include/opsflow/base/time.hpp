#pragma once
// Timestamps, time input and durations. Records hold RFC 3339 times with the
// store timezone's offset; the tz database comes from the system (date/tz).
#include <chrono>
#include <date/date.h>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace opsflow {

using Timestamp = std::chrono::sys_seconds;

// A store timezone from the system tz database. Throws InvalidDataError if unknown.
const date::time_zone* find_time_zone(const std::string& name);

// `2026-11-24T09:12:00+08:00`: the time in `zone` with its offset.
std::string format_rfc3339(Timestamp t, const date::time_zone* zone);

// The years of the times opsflow takes, in input and in records (before 1970 the
// tz database has local mean times such as +08:05:43, and nothing in IT operations).
constexpr int first_year = 1970;
constexpr int last_year = 9999;
// The longest duration it takes (a maintenance window, an SLA target).
constexpr std::int64_t max_duration_days = 366;

// Strict RFC 3339 (`T`, seconds, `Z` or `+hh:mm`, a real date and time of day,
// offsets up to ±23:59, years first_year to last_year). Nothing if `text` is not one.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

// Command-line time: `now`, RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` (midnight),
// the latter two in `zone`. Throws UsageError naming `option` if `text` is none of these.
Timestamp parse_time_input(std::string_view text, const date::time_zone* zone, Timestamp now,
                           std::string_view option);

// The instant a local time in `zone` names, as RFC 5545 §3.3.5 reads it: a time in a
// DST gap with the offset before the gap (02:30 on a spring-forward night in Berlin
// is 03:30+02:00), a time in the repeated hour at its first occurrence.
Timestamp local_to_instant(date::local_seconds local, const date::time_zone* zone);

// The local date and time of command-line input written as one (`YYYY-MM-DD HH:MM`,
// `YYYY-MM-DD`), as typed, before any DST change moves it; nothing for `now`, RFC 3339
// or anything else.
std::optional<date::local_seconds> typed_local_time(std::string_view text);

// `2027-03-28T02:30:00+01:00`: the local date and time `local` with the offset that makes
// it the instant `t` (a time typed in a DST gap keeps the time typed, with the offset from
// before the gap, as RFC 5545 §3.3.5 reads it).
std::string format_rfc3339_as(date::local_seconds local, Timestamp t);

// The wall-clock time in `zone` that the RFC 3339 `text` (naming `t`) stands for: the date
// and time written in it when `zone` reads them (local_to_instant) as `t`, so that
// `2027-03-28T02:30:00+01:00` in Europe/Berlin is 02:30 although the clocks show 03:30;
// otherwise the local time of `t` in `zone`.
date::local_seconds wall_time(std::string_view text, Timestamp t, const date::time_zone* zone);

// `2026/11`: the directory of the month that `t` falls in, in `zone`.
std::string month_directory(Timestamp t, const date::time_zone* zone);

// A duration as written in config and input: `45m`, `4h`, `2d`, `1h30m`. Days are
// kept apart because on the business clock a day is one working day, not 24 hours.
struct Duration {
    std::int64_t days = 0;
    std::int64_t minutes = 0;

    std::chrono::minutes wall() const { return std::chrono::minutes(days * 1440 + minutes); }
    std::string to_string() const;
    bool operator==(const Duration&) const = default;
};

// Throws UsageError naming `what` if `text` is not a duration of at most
// max_duration_days.
Duration parse_duration(std::string_view text, std::string_view what);
std::optional<Duration> try_parse_duration(std::string_view text);

// Wall-clock now, truncated to seconds.
Timestamp system_now();

} // namespace opsflow
