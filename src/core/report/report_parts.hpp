#pragma once
// What the report's figures and its findings share (report.cpp, report_findings.cpp):
// the facts of the period and scope, grouping, percentages and the SLA predicates.
#include "opsflow/report/report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <date/tz.h>
#include <unordered_map>
#include <vector>

namespace opsflow::report_parts {

using namespace std::chrono;

inline double minutes_between(Timestamp a, Timestamp b) {
    return duration_cast<seconds>(b - a).count() / 60.0;
}

// `part` of `whole` in percent, to one decimal; nothing of nothing.
inline std::optional<double> pct(std::size_t part, std::size_t whole) {
    if (whole == 0) return std::nullopt;
    return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10.0;
}

inline double round1(double v) {
    return std::round(v * 10.0) / 10.0;
}

inline bool in(Timestamp t, const ReportPeriod& p) {
    return t >= p.from && t < p.to;
}

inline bool in_scope(std::string_view service, std::string_view category, const ReportScope& s) {
    return (!s.service || service == *s.service) && (!s.category || category == *s.category);
}

inline bool in_scope(const std::vector<std::string_view>& services, const ReportScope& s) {
    return !s.service || std::find(services.begin(), services.end(), *s.service) != services.end();
}

// The Monday of the week `t` falls in (local time).
inline date::local_days iso_week_start(Timestamp t, const date::time_zone* zone) {
    auto day = floor<date::days>(zone->to_local(t));
    auto weekday = date::weekday(day).iso_encoding(); // 1 = Monday
    return day - date::days(weekday - 1);
}

// Grouping 100,000 incidents by a text key: hashing beats a tree of string
// compares. The groups are then walked in key order, as in a std::map.
struct KeyHash {
    // FNV-1a: the keys are a few bytes long, where std::hash's setup costs more than the hashing.
    std::size_t operator()(std::string_view key) const {
        std::uint64_t h = 14695981039346656037ull;
        for (unsigned char c : key)
            h = (h ^ c) * 1099511628211ull;
        return static_cast<std::size_t>(h);
    }
    std::size_t operator()(const std::pair<std::string_view, std::string_view>& key) const {
        return (*this)(key.first) * 31 + (*this)(key.second);
    }
};
template <class Key, class Value> using Groups = std::unordered_map<Key, Value, KeyHash>;

template <class Map> std::vector<const typename Map::value_type*> in_key_order(const Map& groups) {
    std::vector<const typename Map::value_type*> out;
    out.reserve(groups.size());
    for (const auto& entry : groups)
        out.push_back(&entry);
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->first < b->first; });
    return out;
}

struct Scoped {
    std::vector<const IncidentFacts*> incidents;
    std::vector<const TicketFacts*> tickets;
};

inline Scoped select(const StoreFacts& facts, const ReportPeriod& p, const ReportScope& s) {
    Scoped out;
    for (const auto& i : facts.incidents)
        if (in(i.reported, p) && in_scope(i.service, i.category, s)) out.incidents.push_back(&i);
    for (const auto& t : facts.tickets)
        if (in(t.received, p) && in_scope(t.service, t.category, s)) out.tickets.push_back(&t);
    return out;
}

// Records (incidents, tickets) counted by each of `fields` ("(none)" when empty), in one
// pass over them.
template <class Facts, std::size_t count>
std::array<Groups<std::string_view, int>, count>
counts_by(const std::vector<const Facts*>& records,
          const std::array<std::string_view Facts::*, count>& fields) {
    std::array<Groups<std::string_view, int>, count> counts;
    for (const auto* i : records)
        for (std::size_t f = 0; f < count; ++f) {
            std::string_view key = i->*fields[f];
            ++counts[f][key.empty() ? "(none)" : key];
        }
    return counts;
}

inline Counts counts_in_key_order(const Groups<std::string_view, int>& counts) {
    Counts out;
    for (const auto& [key, n] : counts)
        out.emplace(key, n);
    return out;
}

inline bool response_met(const IncidentFacts& i) {
    return i.first_assign && i.respond_by && *i.first_assign <= *i.respond_by;
}
inline bool resolution_met(const IncidentFacts& i) {
    return i.resolution && i.resolve_by && *i.resolution <= *i.resolve_by;
}

// `stage` is marked for the catalogue (N_): the report's views translate it.
inline SlaBreach breach(const IncidentFacts& i, std::string_view stage) {
    return {std::string(i.id),      std::string(stage),      std::string(i.priority),
            std::string(i.service), std::string(i.assignee), std::string(i.title)};
}

// The finding rules over the period's facts, in the order the report lists them.
std::vector<Finding> findings(const Scoped& s, const StoreFacts& facts, const Settings& settings,
                              const ReportPeriod& period, const ReportScope& scope, Timestamp now);

} // namespace opsflow::report_parts
