#pragma once
// Satisfaction surveys (SPEC §1 step 3.4) on closed incidents and answered
// tickets: requests by notice, answers recorded by hand or imported from CSV.
#include "opsflow/notice/notify.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace opsflow {

// The record an incident or ticket ID (or prefix) names.
std::pair<RecordKind, std::filesystem::path> locate_surveyable(const Store& store,
                                                               std::string_view id);

// The reporter of an incident, the requester of a ticket.
std::string requester_of(const Record& record);

// Adds a survey request to a record being changed: `survey.sent_at`, a
// `survey_sent` event and, when the requester has an email address, a notice.
void add_survey_request(const Context& ctx, Record& record, ChangeSummary& summary,
                        PendingNotices& notices, Timestamp at);

// Whether closing or answering the record sends a survey request by itself:
// `survey.auto_send`, unless a program opened the record (an auto-reply or a bounce
// by email, RFC 3834: never ask a machine).
bool auto_survey(const Settings& settings, const Record& record);

NoticeRun send_survey(Context& ctx, std::string_view id, std::optional<Timestamp> at);
// The request `send_survey` would send, without changing anything.
std::string preview_survey(Context& ctx, std::string_view id);

enum class AnswerPolicy { first_only, replace };

// Why an answer cannot be recorded on the record, if it cannot.
std::optional<std::string> survey_answer_problem(const Record& record, AnswerPolicy policy);
// Records an answer on a record being changed: `survey`, and a `survey_answered` event.
void add_survey_answer(const Context& ctx, Record& record, int score,
                       const std::optional<std::string>& comment, Timestamp at);

Change record_survey(Context& ctx, std::string_view id, int score,
                     const std::optional<std::string>& comment, AnswerPolicy policy,
                     std::optional<Timestamp> at);

// Imports `id,score,comment,answered_at` rows; all valid or nothing is written
// (InvalidDataError listing every bad row by line). Returns the number imported.
std::size_t import_surveys(Context& ctx, const std::filesystem::path& csv);

// Incidents and tickets with a survey, by time sent.
std::vector<Record> list_surveys(const Store& store, std::vector<std::string>& problems);

// Parses a score given as text: a whole number from 1 to 5 (UsageError otherwise).
int parse_score(const std::string& text);

} // namespace opsflow
