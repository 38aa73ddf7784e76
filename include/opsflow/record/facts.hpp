#pragma once
// What reports need from each record, in a compact form: computed once from the
// record's events (and kept in the query index), never from the YAML at report time.
#include "opsflow/base/files.hpp"
#include "opsflow/record/record.hpp"
#include "opsflow/record/settings.hpp"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

// Which records' facts a command needs from the query index (load_facts). `open` leaves
// out the incidents and tickets whose status is final (closed, cancelled...): most of a
// grown store is closed, and the commands that act on what is still open (`sla watch`,
// `incident list --open`, routing by load) need not pay for the rest. `mailed` keeps only
// the incidents and tickets that took in mail (their facts hold Message-IDs), for
// threading a message. `reporting` keeps the incidents a report of a period can read
// (reported in it, or in the period before it that --compare reads, a survey sent in
// either, or still open) and every ticket and window. Records left out are not decoded
// at all.
struct FactsScope {
    enum class Kind { all, open, mailed, reporting } kind = Kind::all;
    Timestamp from{}, to{}; // `reporting`: reported or surveyed in [from, to)
    static const FactsScope all, open, mailed;
    static FactsScope reporting(Timestamp from, Timestamp to) {
        return {Kind::reporting, from, to};
    }
};
inline constexpr FactsScope FactsScope::all{};
inline constexpr FactsScope FactsScope::open{Kind::open};
inline constexpr FactsScope FactsScope::mailed{Kind::mailed};

// Where a record's file is and its stamp when its facts were read, for facts that
// come through the query index: a file that still has that stamp is the one that
// was then read, parsed and validated.
struct IndexedFile {
    std::string_view directory; // `incidents/2026/11`; empty: not read through the index
    FileStamp stamp;
};

struct SurveyFacts {
    std::optional<Timestamp> sent;
    std::optional<int> score;
    std::optional<Timestamp> answered;
};

// Text fields are views into StoreFacts::text: the facts of 100,000 records are
// read on every report, and one allocation per field would cost more than the
// rest of the read together.
struct IncidentFacts {
    std::string_view id, title, status, priority, service, category, channel, assignee, impact,
        urgency, reporter;
    Timestamp reported{};
    std::optional<Timestamp> first_assign, first_diagnose, resolution, verified;
    std::optional<Timestamp> respond_by, resolve_by; // on the priority's clock, holds excluded
    std::vector<Interval> holds;
    int verifications = 0;
    int failed_verifications = 0;
    bool warned_respond = false; // an sla_warning event for the stage exists
    bool warned_resolve = false;
    SurveyFacts survey;
    // Message-IDs of the messages received by email for it (SPEC §9): how intake
    // finds a reply's record and skips a message it has already taken in.
    std::vector<std::string_view> mail_ids;
    IndexedFile file;
};

struct TicketFacts {
    std::string_view id, status, service, category, channel, requester;
    std::string_view article; // the article it was answered with, if any
    Timestamp received{};
    std::optional<Timestamp> answered;
    bool escalated = false;
    SurveyFacts survey;
    std::vector<std::string_view> mail_ids;
    IndexedFile file;
};

struct MaintenanceFacts {
    std::string_view id, title, status, result;
    std::vector<std::string_view> services;
    Timestamp start{}, end{};
    std::optional<Timestamp> actual_end;
    std::optional<Timestamp> first_announce;
    bool late_notice = false;
    // A series has a rule; an occurrence of one names its series and the start it had
    // in the series (SPEC §12).
    std::string_view recurrence, series;
    std::optional<Timestamp> occurrence;
    bool started = false;            // carried out (a series: its own first occurrence)
    bool partial_evaluation = false; // evaluated before its window had passed
    IndexedFile file;
};

struct ImprovementFacts {
    std::string_view id, status;
    IndexedFile file;
};

struct ProblemFacts {
    std::string_view id, status, finding;
    Timestamp opened{};
    std::optional<Timestamp> known; // first recorded as a known error
    std::size_t incidents = 0;      // incidents linked to it
    IndexedFile file;
};

struct ArticleFacts {
    std::string_view id, status, audience;
    IndexedFile file;
};

// The facts of one record; their text fields are views into the record.
IncidentFacts incident_facts(const Record& incident, const Settings& settings);
TicketFacts ticket_facts(const Record& ticket);
MaintenanceFacts maintenance_facts(const Record& window);

// A series of windows (SPEC §12): a rule, and no series of its own.
inline bool is_series(const MaintenanceFacts& m) {
    return !m.recurrence.empty() && m.series.empty();
}
// The occurrences that have records: (series ID, the occurrence's start in it).
using RecordedOccurrences = std::set<std::pair<std::string_view, Timestamp>>;
RecordedOccurrences recorded_occurrences(const std::vector<MaintenanceFacts>& windows);
// The starts of a series' occurrences in [from, to) that have no record of their own: not
// recorded, and not the first one when the series carried that out itself (before
// occurrences had records). `zone` is the store's timezone name.
std::vector<Timestamp> unrecorded_occurrences(const MaintenanceFacts& series,
                                              const RecordedOccurrences& recorded,
                                              const std::string& zone, Timestamp from,
                                              Timestamp to);
ImprovementFacts improvement_facts(const Record& improvement);
ProblemFacts problem_facts(const Record& problem);
ArticleFacts article_facts(const Record& article);

// Every fact of a store, for one report run.
struct StoreFacts {
    std::vector<IncidentFacts> incidents;
    std::vector<TicketFacts> tickets;
    std::vector<MaintenanceFacts> maintenance;
    std::vector<ImprovementFacts> improvements;
    std::vector<ProblemFacts> problem_records;
    std::vector<ArticleFacts> articles;
    std::vector<std::string> problems; // records that could not be read
    // What owns the text the views of the facts point into (strings, mapped index
    // files); shared, so that copies stay valid.
    std::vector<std::shared_ptr<const void>> text;
    // Keeps `s` alive as long as these facts, and returns a view of it.
    std::string_view keep(std::string s);
};

} // namespace opsflow
