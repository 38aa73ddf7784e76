#include "opsflow/base/time.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <charconv>
#include <date/tz.h>
#include <fmt/format.h>
#include <regex>

namespace opsflow {

using namespace std::chrono;

const date::time_zone* find_time_zone(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        throw InvalidDataError(tr(
            "unknown timezone '{}' (use a tz database name such as Asia/Shanghai or UTC)", name));
    }
}

namespace {

// The offset from UTC of `zone` at `t`. Times come in runs (a list's rows, a
// report's records) that mostly fall in one period of the zone's rules, so the
// last period found is asked first, before the zone's table of transitions.
seconds utc_offset(Timestamp t, const date::time_zone* zone) {
    thread_local const date::time_zone* last_zone = nullptr;
    thread_local date::sys_info last{};
    if (zone != last_zone || t < last.begin || t >= last.end) {
        last = zone->get_info(t);
        last_zone = zone;
    }
    return last.offset;
}

// `value` as `width` decimal digits, zero-padded, at `out`.
char* put_digits(char* out, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
        out[i] = static_cast<char>('0' + value % 10);
    return out + width;
}

} // namespace

std::string format_rfc3339(Timestamp t, const date::time_zone* zone) {
    auto offset = utc_offset(t, zone);
    auto local = t + offset;
    auto offset_minutes = duration_cast<minutes>(offset).count();
    char sign = offset_minutes < 0 ? '-' : '+';
    offset_minutes = std::abs(offset_minutes);
    // By hand rather than date::format or fmt: a list or an export formats
    // hundreds of thousands of times, and a format string costs more than a record.
    auto day = floor<date::days>(local);
    date::year_month_day ymd{day};
    date::hh_mm_ss clock{floor<seconds>(local - day)};
    int year = int(ymd.year());
    if (year < 0 || year > 9999) // outside RFC 3339's four digits
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", year,
                           unsigned(ymd.month()), unsigned(ymd.day()), clock.hours().count(),
                           clock.minutes().count(), clock.seconds().count(), sign,
                           offset_minutes / 60, offset_minutes % 60);
    char text[25]; // 2026-11-24T09:12:00+08:00
    char* p = put_digits(text, static_cast<unsigned>(year), 4);
    *p++ = '-';
    p = put_digits(p, unsigned(ymd.month()), 2);
    *p++ = '-';
    p = put_digits(p, unsigned(ymd.day()), 2);
    *p++ = 'T';
    p = put_digits(p, static_cast<unsigned>(clock.hours().count()), 2);
    *p++ = ':';
    p = put_digits(p, static_cast<unsigned>(clock.minutes().count()), 2);
    *p++ = ':';
    p = put_digits(p, static_cast<unsigned>(clock.seconds().count()), 2);
    *p++ = sign;
    p = put_digits(p, static_cast<unsigned>(offset_minutes / 60), 2);
    *p++ = ':';
    p = put_digits(p, static_cast<unsigned>(offset_minutes % 60), 2);
    return std::string(text, p);
}

namespace {

int to_int(std::string_view s) {
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

std::optional<date::year_month_day> make_date(int y, int m, int d) {
    if (y < first_year || y > last_year) return std::nullopt;
    date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                             date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

std::optional<seconds> time_of_day(int h, int mi, int s) {
    if (h > 23 || mi > 59 || s > 59) return std::nullopt; // no leap seconds (README)
    return hours(h) + minutes(mi) + seconds(s);
}

} // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
    // Hand-written: this runs for every timestamp of every record read.
    auto digits = [&](std::size_t pos, std::size_t n) -> std::optional<int> {
        if (pos + n > text.size()) return std::nullopt;
        int v = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    auto at = [&](std::size_t pos, char c) { return pos < text.size() && text[pos] == c; };
    if (text.size() > 40) return std::nullopt;
    auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2),
         mi = digits(14, 2), s = digits(17, 2);
    if (!y || !mo || !d || !h || !mi || !s || !at(4, '-') || !at(7, '-') || !at(10, 'T') ||
        !at(13, ':') || !at(16, ':'))
        return std::nullopt;
    std::size_t pos = 19;
    if (at(pos, '.')) {
        ++pos;
        std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
            ++pos;
        if (pos == start) return std::nullopt;
    }
    seconds offset{0};
    if (at(pos, 'Z') && pos + 1 == text.size()) {
    } else if ((at(pos, '+') || at(pos, '-')) && pos + 6 == text.size() && at(pos + 3, ':')) {
        auto oh = digits(pos + 1, 2), om = digits(pos + 4, 2);
        if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
        offset = hours(*oh) + minutes(*om);
        if (text[pos] == '-') offset = -offset;
    } else {
        return std::nullopt;
    }
    auto day = make_date(*y, *mo, *d);
    auto tod = time_of_day(*h, *mi, *s);
    if (!day || !tod) return std::nullopt;
    return Timestamp{date::sys_days(*day).time_since_epoch() + *tod - offset};
}

std::optional<date::local_seconds> typed_local_time(std::string_view text) {
    static const std::regex local_re(
        R"(([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?)");
    std::match_results<std::string_view::const_iterator> m;
    if (text.size() >= 40 || !std::regex_match(text.begin(), text.end(), m, local_re))
        return std::nullopt;
    auto day = make_date(to_int(m.str(1)), to_int(m.str(2)), to_int(m.str(3)));
    auto tod = time_of_day(m[4].matched ? to_int(m.str(4)) : 0, m[5].matched ? to_int(m.str(5)) : 0,
                           m[6].matched ? to_int(m.str(6)) : 0);
    if (!day || !tod) return std::nullopt;
    return date::local_days(*day) + *tod;
}

std::string format_rfc3339_as(date::local_seconds local, Timestamp t) {
    auto offset = duration_cast<minutes>(local.time_since_epoch() - t.time_since_epoch()).count();
    auto day = floor<date::days>(local);
    date::year_month_day ymd{day};
    date::hh_mm_ss clock{local - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", int(ymd.year()),
                       unsigned(ymd.month()), unsigned(ymd.day()), clock.hours().count(),
                       clock.minutes().count(), clock.seconds().count(), offset < 0 ? '-' : '+',
                       std::abs(offset) / 60, std::abs(offset) % 60);
}

date::local_seconds wall_time(std::string_view text, Timestamp t, const date::time_zone* zone) {
    if (text.size() >= 19) {
        // The date and time as written: an RFC 3339 time starts with the same digits.
        std::string written(text.substr(0, 19));
        written[10] = ' ';
        if (auto local = typed_local_time(written); local && local_to_instant(*local, zone) == t)
            return *local;
    }
    return zone->to_local(t);
}

Timestamp parse_time_input(std::string_view text, const date::time_zone* zone, Timestamp now,
                           std::string_view option) {
    if (text == "now") return now;
    if (auto t = parse_rfc3339(text)) return *t;
    if (auto local = typed_local_time(text)) return local_to_instant(*local, zone);
    throw UsageError(
        tr("{}: '{}' is not a time (use now, 2026-11-24T09:12:00+08:00, '2026-11-24 09:12' or "
           "2026-11-24; years {} to {})",
           option, text, first_year, last_year));
}

Timestamp local_to_instant(date::local_seconds local, const date::time_zone* zone) {
    // For a unique time `first` is its offset; in a gap, the offset before the gap;
    // in an overlap, the offset of the first of the two.
    auto info = zone->get_info(local);
    return Timestamp{local.time_since_epoch() - info.first.offset};
}

std::string month_directory(Timestamp t, const date::time_zone* zone) {
    auto local = zone->to_local(t);
    date::year_month_day ymd{floor<date::days>(local)};
    return fmt::format("{:04}/{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()));
}

std::optional<Duration> try_parse_duration(std::string_view text) {
    // At most 6 digits a part: no part can overflow before the total is checked.
    static const std::regex re(R"(([0-9]{1,6}w)?([0-9]{1,6}d)?([0-9]{1,6}h)?([0-9]{1,6}m)?)");
    if (text.empty() || text.size() > 32) return std::nullopt;
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, re)) return std::nullopt;
    auto part = [&](int i) {
        if (!m[i].matched) return std::int64_t{0};
        auto s = m.str(i);
        return static_cast<std::int64_t>(to_int(std::string_view(s).substr(0, s.size() - 1)));
    };
    Duration d{part(1) * 7 + part(2), part(3) * 60 + part(4)};
    if (d.days * 1440 + d.minutes > max_duration_days * 1440) return std::nullopt;
    return d;
}

Duration parse_duration(std::string_view text, std::string_view what) {
    if (auto d = try_parse_duration(text)) return *d;
    throw UsageError(tr("{}: '{}' is not a duration of at most {} days (use 45m, 4h, 2d or 1h30m)",
                        what, text, max_duration_days));
}

std::string Duration::to_string() const {
    std::string out;
    if (days) out += fmt::format("{}d", days);
    if (minutes / 60) out += fmt::format("{}h", minutes / 60);
    if (minutes % 60 || out.empty()) out += fmt::format("{}m", minutes % 60);
    return out;
}

Timestamp system_now() {
    return floor<seconds>(system_clock::now());
}

} // namespace opsflow
