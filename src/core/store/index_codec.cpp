#include "store/index_codec.hpp"

#include "opsflow/record/workflow.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <functional>
#include <stdexcept>

namespace opsflow::index_codec {

std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else
            out += c;
    }
    return out;
}

std::string unescape(std::string_view s) {
    if (s.find('\\') == std::string_view::npos) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        char n = s[++i];
        out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    }
    return out;
}

namespace {

// A text field of the index as a view: into the index itself unless it had to be unescaped.
std::string_view text_of(std::string_view field, StoreFacts& out) {
    return field.find('\\') == std::string_view::npos ? field : out.keep(unescape(field));
}

std::string tm(const std::optional<Timestamp>& t) {
    return t ? std::to_string(t->time_since_epoch().count()) : "-";
}
std::string tm(Timestamp t) {
    return std::to_string(t.time_since_epoch().count());
}

} // namespace

std::int64_t number(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size())
        throw std::invalid_argument("not a number in the index");
    return v;
}

namespace {

// Whether a field is the one character `c` (`-` for none, `1` for true): without a
// call to memcmp, which a comparison with a string makes, a dozen times a record.
constexpr bool is(std::string_view field, char c) {
    return field.size() == 1 && field[0] == c;
}

std::optional<Timestamp> opt_time(std::string_view s) {
    if (is(s, '-')) return std::nullopt;
    return Timestamp{std::chrono::seconds(number(s))};
}
Timestamp req_time(std::string_view s) {
    auto t = opt_time(s);
    if (!t) throw std::invalid_argument("a required time is missing in the index");
    return *t;
}

std::string survey_fields(const SurveyFacts& s) {
    return fmt::format("{}\t{}\t{}", tm(s.sent), s.score ? std::to_string(*s.score) : "-",
                       tm(s.answered));
}

// The high bit of each byte of `word` that equals `byte`, and no other bit.
constexpr std::uint64_t has_byte(std::uint64_t word, char byte) {
    constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
    std::uint64_t x = word ^ (0x0101010101010101ull * static_cast<unsigned char>(byte));
    return ~(((x & low7) + low7) | x | low7);
}

// The tab-separated fields of one record's facts in the index.
class Fields {
  public:
    // One pass over the line: a call to memchr per field costs more than the
    // scan itself on lines of 30 short fields. Locals, not members, in the loop:
    // a member written on every byte is a store the next byte must wait for.
    explicit Fields(std::string_view line) {
        std::size_t start = 0, count = 0;
        bool escaped = false;
        auto field_ends = [&](std::size_t at) {
            if (count + 1 == capacity) throw std::invalid_argument("too many fields in the index");
            fields_[count++] = line.substr(start, at - start);
            start = at + 1;
        };
        // Eight bytes at a time (most fields are shorter): the bytes that are tabs or
        // backslashes are found with a few instructions, not a branch each.
        std::size_t i = 0;
        if constexpr (std::endian::native == std::endian::little) {
            for (; i + 8 <= line.size(); i += 8) {
                std::uint64_t word;
                std::memcpy(&word, line.data() + i, 8);
                escaped |= has_byte(word, '\\') != 0;
                for (auto tabs = has_byte(word, '\t'); tabs; tabs &= tabs - 1)
                    field_ends(i + static_cast<std::size_t>(std::countr_zero(tabs)) / 8);
            }
        }
        for (; i < line.size(); ++i) {
            escaped |= line[i] == '\\';
            if (line[i] == '\t') field_ends(i);
        }
        fields_[count] = line.substr(start);
        size_ = count + 1;
        escaped_ = escaped;
    }
    std::string_view at(std::size_t i) const {
        if (i >= size_) throw std::invalid_argument("too few fields in the index");
        return fields_[i];
    }
    // Whether any field holds an escape, to be undone.
    bool escaped() const { return escaped_; }

  private:
    static constexpr std::size_t capacity = 32;
    std::array<std::string_view, capacity> fields_;
    std::size_t size_ = 0;
    bool escaped_ = false;
};

// Message-IDs hold no white space (notice.hpp, safe_message_id; intake keeps no other).
std::string id_list(const std::vector<std::string_view>& ids) {
    std::string out;
    for (auto id : ids)
        out += (out.empty() ? "" : " ") + escape(id);
    return out.empty() ? "-" : out;
}

std::vector<std::string_view>
read_id_list(std::string_view field,
             const std::function<std::string_view(std::string_view)>& text) {
    std::vector<std::string_view> ids;
    if (is(field, '-')) return ids;
    while (!field.empty()) {
        auto space = field.find(' ');
        ids.push_back(text(field.substr(0, space)));
        field = space == std::string_view::npos ? std::string_view{} : field.substr(space + 1);
    }
    return ids;
}

SurveyFacts read_survey(const Fields& f, std::size_t at) {
    return {opt_time(f.at(at)),
            is(f.at(at + 1), '-') ? std::nullopt : std::optional<int>(number(f.at(at + 1))),
            opt_time(f.at(at + 2))};
}

void read_incident_fields(const Fields& f, StoreFacts& out, IncidentFacts& i) {
    auto text = [&](std::string_view s) { return f.escaped() ? text_of(s, out) : s; };
    i.id = text(f.at(0)), i.title = text(f.at(1)), i.status = text(f.at(2)),
    i.priority = text(f.at(3));
    i.service = text(f.at(4)), i.category = text(f.at(5)), i.channel = text(f.at(6)),
    i.assignee = text(f.at(7));
    i.impact = text(f.at(8)), i.urgency = text(f.at(9)), i.reporter = text(f.at(10));
    i.reported = req_time(f.at(11));
    i.first_assign = opt_time(f.at(12)), i.first_diagnose = opt_time(f.at(13)),
    i.resolution = opt_time(f.at(14));
    i.verified = opt_time(f.at(15)), i.respond_by = opt_time(f.at(16)),
    i.resolve_by = opt_time(f.at(17));
    i.verifications = number(f.at(18)), i.failed_verifications = number(f.at(19));
    if (!is(f.at(20), '-')) {
        // begin:end,begin:end,... (an end of `-`: still on hold)
        for (std::string_view rest = f.at(20); !rest.empty();) {
            auto comma = rest.find(',');
            std::string_view hold = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            auto colon = hold.find(':');
            if (colon == std::string_view::npos)
                throw std::invalid_argument("a hold without its end in the index");
            auto end = hold.substr(colon + 1);
            i.holds.push_back(
                {req_time(hold.substr(0, colon)), is(end, '-') ? Timestamp::max() : req_time(end)});
        }
    }
    i.survey = read_survey(f, 21);
    i.warned_respond = is(f.at(24), '1'), i.warned_resolve = is(f.at(25), '1');
    i.mail_ids = read_id_list(f.at(26), text);
}

void read_ticket_fields(const Fields& f, StoreFacts& out, TicketFacts& t) {
    auto text = [&](std::string_view s) { return f.escaped() ? text_of(s, out) : s; };
    t.id = text(f.at(0)), t.status = text(f.at(1)), t.service = text(f.at(2)),
    t.category = text(f.at(3));
    t.received = req_time(f.at(4)), t.answered = opt_time(f.at(5)), t.escalated = is(f.at(6), '1');
    t.survey = read_survey(f, 7);
    t.channel = text(f.at(10)), t.requester = text(f.at(11)), t.article = text(f.at(12));
    t.mail_ids = read_id_list(f.at(13), text);
}

void read_maintenance_fields(const Fields& f, StoreFacts& out, MaintenanceFacts& m) {
    auto text = [&](std::string_view s) { return f.escaped() ? text_of(s, out) : s; };
    m.id = text(f.at(0)), m.title = text(f.at(1)), m.status = text(f.at(2)),
    m.result = text(f.at(3));
    for (std::string_view rest = f.at(4); !rest.empty();) {
        auto comma = rest.find(',');
        m.services.push_back(text(rest.substr(0, comma)));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    m.start = req_time(f.at(5)), m.end = req_time(f.at(6)), m.actual_end = opt_time(f.at(7));
    m.first_announce = opt_time(f.at(8)), m.late_notice = is(f.at(9), '1');
    m.recurrence = text(f.at(10)), m.series = text(f.at(11)), m.occurrence = opt_time(f.at(12));
    m.partial_evaluation = is(f.at(13), '1'), m.started = is(f.at(14), '1');
}

} // namespace

std::string serialize(const IncidentFacts& i) {
    std::string holds;
    for (const auto& h : i.holds)
        holds += fmt::format("{}{}:{}", holds.empty() ? "" : ",", tm(h.begin),
                             h.end == Timestamp::max() ? "-" : tm(h.end));
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}"
                       "\t{}\t{}\t{}",
                       escape(i.id), escape(i.title), escape(i.status), escape(i.priority),
                       escape(i.service), escape(i.category), escape(i.channel), escape(i.assignee),
                       escape(i.impact), escape(i.urgency), escape(i.reporter), tm(i.reported),
                       tm(i.first_assign), tm(i.first_diagnose), tm(i.resolution), tm(i.verified),
                       tm(i.respond_by), tm(i.resolve_by), i.verifications, i.failed_verifications,
                       holds.empty() ? "-" : holds, survey_fields(i.survey)) +
           fmt::format("\t{}\t{}\t{}", i.warned_respond ? 1 : 0, i.warned_resolve ? 1 : 0,
                       id_list(i.mail_ids));
}

std::string serialize(const TicketFacts& t) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", escape(t.id),
                       escape(t.status), escape(t.service), escape(t.category), tm(t.received),
                       tm(t.answered), t.escalated ? 1 : 0, survey_fields(t.survey),
                       escape(t.channel), escape(t.requester), escape(t.article),
                       id_list(t.mail_ids));
}

std::string serialize(const MaintenanceFacts& m) {
    std::string services;
    for (const auto& s : m.services)
        services += (services.empty() ? "" : ",") + escape(s);
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", escape(m.id),
                       escape(m.title), escape(m.status), escape(m.result), services, tm(m.start),
                       tm(m.end), tm(m.actual_end), tm(m.first_announce), m.late_notice ? 1 : 0,
                       escape(m.recurrence), escape(m.series), tm(m.occurrence),
                       m.partial_evaluation ? 1 : 0, m.started ? 1 : 0);
}

std::string serialize(const ImprovementFacts& p) {
    return fmt::format("{}\t{}", escape(p.id), escape(p.status));
}

std::string serialize(const ProblemFacts& p) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}", escape(p.id), escape(p.status), escape(p.finding),
                       tm(p.opened), tm(p.known), p.incidents);
}

std::string serialize(const ArticleFacts& a) {
    return fmt::format("{}\t{}\t{}", escape(a.id), escape(a.status), escape(a.audience));
}

bool in_scope(const FactsScope& scope, RecordKind kind, std::string_view line) {
    using Kind = FactsScope::Kind;
    if (scope.kind == Kind::all || kind == RecordKind::maintenance) return true;
    // Improvements, problems and articles take in no mail, and a report counts them all:
    // only `open` leaves some out.
    if (kind != RecordKind::incident && kind != RecordKind::ticket && scope.kind != Kind::open)
        return true;
    // The Message-IDs are the last field of an incident's and a ticket's line.
    if (scope.kind == Kind::mailed) return !line.ends_with("\t-");
    if (scope.kind == Kind::reporting) {
        if (kind != RecordKind::incident) return true;
        try {
            // Reported (field 11), its survey sent (21), its status (2): see serialize.
            Fields f(line);
            auto within = [&](std::string_view field) {
                if (is(field, '-')) return false;
                Timestamp t{std::chrono::seconds(number(field))};
                return t >= scope.from && t < scope.to;
            };
            return within(f.at(11)) || within(f.at(21)) || workflow_of(kind).is_open(f.at(2));
        } catch (const std::invalid_argument&) {
            return true; // damaged: decoding it reports the problem
        }
    }
    // The status is the third field of an incident's line and the second of a ticket's
    // and an improvement's (see serialize); a final status never needs escaping.
    std::size_t start = 0;
    for (int i = kind == RecordKind::incident ? 2 : 1; i > 0; --i) {
        start = line.find('\t', start);
        if (start == std::string_view::npos) return true;
        ++start;
    }
    auto end = line.find('\t', start);
    return workflow_of(kind).is_open(
        line.substr(start, end == std::string_view::npos ? end : end - start));
}

void read_incident(std::string_view line, StoreFacts& keep, IncidentFacts& facts) {
    read_incident_fields(Fields(line), keep, facts);
}
void read_ticket(std::string_view line, StoreFacts& keep, TicketFacts& facts) {
    read_ticket_fields(Fields(line), keep, facts);
}
void read_maintenance(std::string_view line, StoreFacts& keep, MaintenanceFacts& facts) {
    read_maintenance_fields(Fields(line), keep, facts);
}
void read_improvement(std::string_view line, StoreFacts& keep, ImprovementFacts& facts) {
    Fields f(line);
    auto text = [&](std::string_view s) { return f.escaped() ? text_of(s, keep) : s; };
    facts.id = text(f.at(0)), facts.status = text(f.at(1));
}
void read_problem(std::string_view line, StoreFacts& keep, ProblemFacts& facts) {
    Fields f(line);
    auto text = [&](std::string_view s) { return f.escaped() ? text_of(s, keep) : s; };
    facts.id = text(f.at(0)), facts.status = text(f.at(1)), facts.finding = text(f.at(2));
    facts.opened = req_time(f.at(3)), facts.known = opt_time(f.at(4));
    facts.incidents = static_cast<std::size_t>(number(f.at(5)));
}
void read_article(std::string_view line, StoreFacts& keep, ArticleFacts& facts) {
    Fields f(line);
    auto text = [&](std::string_view s) { return f.escaped() ? text_of(s, keep) : s; };
    facts.id = text(f.at(0)), facts.status = text(f.at(1)), facts.audience = text(f.at(2));
}

} // namespace opsflow::index_codec
