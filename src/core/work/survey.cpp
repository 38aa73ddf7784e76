#include "opsflow/work/survey.hpp"

#include "opsflow/base/csv.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/work/workflow_step.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

bool surveyable(const Record& r) {
    return workflow_of(r.kind()).in(StatusGroup::surveyable, r.status());
}

std::string what_it_is(const Record& r) {
    return r.kind() == RecordKind::incident ? r.field("title") : r.field("subject");
}

NoticeDraft survey_draft(const Store& store, const Record& r) {
    NoticeDraft d;
    d.purpose = "survey";
    LanguageScope language(store.settings().language);
    d.subject = tr("[Survey] {}", what_it_is(r));
    d.body = tr("Hello,\n\nHow satisfied are you with how we handled \"{}\" ({})? Please reply "
                "with a score from 1 (very dissatisfied) to 5 (very satisfied) and any "
                "comment.\n\nIT Operations\n",
                what_it_is(r), r.id());
    if (auto email = extract_email(requester_of(r))) d.recipients = {*email};
    return d;
}

// Whether `id` matches several records of `kind`: asked in English, whatever the language
// the operator reads the error in.
bool ambiguous(const Store& store, RecordKind kind, std::string_view id) {
    LanguageScope english(Language::en);
    try {
        store.locate(kind, id);
    } catch (const NotFoundError& e) {
        return std::string_view(e.what()).find("ambiguous") != std::string_view::npos;
    }
    return false;
}

Node& survey_node(Record& r) {
    Node* s = r.doc().find("survey");
    if (!s || !s->is_map()) s = &r.doc().set("survey", Node::map());
    return *s;
}

} // namespace

std::pair<RecordKind, fs::path> locate_surveyable(const Store& store, std::string_view id) {
    IdQuery q = parse_id_query(id);
    if (q.kind) {
        if (*q.kind != RecordKind::incident && *q.kind != RecordKind::ticket)
            throw NotFoundError(
                tr("{} is not an incident or a ticket; surveys are about those", id));
        return {*q.kind, store.locate(*q.kind, id)};
    }
    std::vector<std::pair<RecordKind, fs::path>> found;
    for (auto kind : {RecordKind::incident, RecordKind::ticket}) {
        try {
            found.emplace_back(kind, store.locate(kind, id));
        } catch (const NotFoundError&) {
            // An ambiguous prefix is reported as it is; "none of this kind" tries the next.
            if (ambiguous(store, kind, id)) throw;
        }
    }
    if (found.empty()) throw NotFoundError(tr("no incident or ticket matches {}", id));
    if (found.size() > 1)
        throw NotFoundError(tr("{} is ambiguous: it matches {} and {}; give the kind prefix", id,
                               found[0].second.stem().string(), found[1].second.stem().string()));
    return found.front();
}

std::string requester_of(const Record& r) {
    return r.kind() == RecordKind::incident ? r.field("reporter") : r.field("requester");
}

int parse_score(const std::string& text) {
    if (text.size() == 1 && text[0] >= '1' && text[0] <= '5') return text[0] - '0';
    throw UsageError(tr("score '{}' is not a whole number from 1 to 5", text));
}

void add_survey_request(const Context& ctx, Record& r, ChangeSummary& summary,
                        PendingNotices& notices, Timestamp at) {
    // The notice goes with the change the request is part of (a close, an answer).
    auto request = [&](Record& record, Node& event, Timestamp) {
        NoticeDraft draft = survey_draft(ctx.store, record);
        notices.add(
            ctx, record, summary, event, draft, at,
            std::string(N_("no email address to send it to; ask by phone and record the answer")));
        Node& survey = survey_node(record);
        survey.set("sent_at", Node::string(format_rfc3339(at, ctx.store.settings().zone)));
        return ChangeSummary{};
    };
    step_record(ctx, r, "survey_sent", StepTime::exactly(at), request);
}

bool auto_survey(const Settings& settings, const Record& record) {
    const auto& events = record.events().items();
    return settings.survey_auto_send && (events.empty() || !events.front().get("automatic"));
}

NoticeRun send_survey(Context& ctx, std::string_view id, std::optional<Timestamp> at) {
    auto [kind, file] = locate_surveyable(ctx.store, id);
    PendingNotices notices;
    Change change = modify_record(ctx, kind, file.stem().string(), [&](Record& r) {
        if (!surveyable(r))
            throw RefusedError(tr("cannot survey {}: it is '{}'; surveys follow a closed incident "
                                  "or an answered ticket",
                                  r.id(), tr(r.status())));
        ChangeSummary summary{"survey_send", phrase("survey request sent")};
        Timestamp when = resolve_event_time(ctx, at, r.last_event_time());
        add_survey_request(ctx, r, summary, notices, when);
        if (!extract_email(requester_of(r)))
            summary.description = phrase("survey noted; no email address to send it to");
        return summary;
    });
    return notices.deliver(ctx, std::move(change));
}

std::string preview_survey(Context& ctx, std::string_view id) {
    auto [kind, file] = locate_surveyable(ctx.store, id);
    Record r = ctx.store.load(kind, file);
    NoticeDraft draft = survey_draft(ctx.store, r);
    if (draft.recipients.empty())
        return tr("{}: no email address for '{}'", r.id(), requester_of(r)) + "\n";
    return prepare_notice(ctx, r, draft, ctx.clock()).mime;
}

// Checks an answer against the record; returns the problem, or nothing.
std::optional<std::string> survey_answer_problem(const Record& r, AnswerPolicy policy) {
    if (!surveyable(r))
        return tr("{} is '{}'; surveys follow a closed incident or an answered ticket", r.id(),
                  tr(r.status()));
    const Node* s = r.doc().find("survey");
    if (s && s->get("score") && policy == AnswerPolicy::first_only)
        return tr("{} already has a survey answer (score {}); use --replace to replace it", r.id(),
                  *s->get("score"));
    return std::nullopt;
}

void add_survey_answer(const Context& ctx, Record& r, int score,
                       const std::optional<std::string>& comment, Timestamp at) {
    auto answer = [&](Record& record, Node& event, Timestamp) {
        Node& survey = survey_node(record);
        if (auto previous = survey.get("score"))
            event.set("replaces_score", Node::scalar(*previous, ScalarKind::integer));
        survey.set("score", Node::integer(score));
        event.set("score", Node::integer(score));
        survey.erase("comment");
        if (comment && !comment->empty()) {
            survey.set("comment", Node::string(*comment));
            event.set("comment", Node::string(*comment));
        }
        survey.set("answered_at", Node::string(format_rfc3339(at, ctx.store.settings().zone)));
        return ChangeSummary{};
    };
    step_record(ctx, r, "survey_answered", StepTime::exactly(at), answer);
}

Change record_survey(Context& ctx, std::string_view id, int score,
                     const std::optional<std::string>& comment, AnswerPolicy policy,
                     std::optional<Timestamp> at) {
    if (score < 1 || score > 5) throw UsageError(tr("--score {} is not from 1 to 5", score));
    auto [kind, file] = locate_surveyable(ctx.store, id);
    return modify_record(ctx, kind, file.stem().string(), [&](Record& r) {
        if (auto problem = survey_answer_problem(r, policy))
            throw RefusedError(tr("cannot record the survey: {}", *problem));
        add_survey_answer(ctx, r, score, comment, resolve_event_time(ctx, at, r.last_event_time()));
        return ChangeSummary{"survey_record", phrase("survey answer recorded: {}/5", score)};
    });
}

std::size_t import_surveys(Context& ctx, const fs::path& csv) {
    std::string display = csv.filename().string();
    auto rows = parse_csv(read_text_file(csv, 16 << 20, display), display);
    if (rows.empty() ||
        rows.front().fields != std::vector<std::string>{"id", "score", "comment", "answered_at"})
        throw InvalidDataError(
            {Diagnostic{display, 1, 1, "",
                        tr("the first row must be the header id,score,comment,answered_at")}});
    Batch batch(ctx);
    std::vector<Diagnostic> problems;
    std::set<std::string> seen;
    struct Answer {
        Record* record;
        int score;
        std::string comment;
        Timestamp at;
    };
    std::vector<Answer> answers;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& row = rows[i];
        auto bad = [&](const std::string& what) {
            problems.push_back(Diagnostic{display, row.line, 0, "", what});
        };
        if (row.fields.size() != 4) {
            bad(tr("expected 4 fields, found {}", row.fields.size()));
            continue;
        }
        try {
            int score = parse_score(row.fields[1]);
            auto at = row.fields[3].empty()
                          ? ctx.clock()
                          : parse_time_input(row.fields[3], ctx.store.settings().zone, ctx.clock(),
                                             "answered_at");
            auto [kind, file] = locate_surveyable(ctx.store, row.fields[0]);
            Record& r = batch.open(kind, file.stem().string());
            if (!seen.insert(r.id()).second) {
                bad(tr("{} appears more than once in the file", r.id()));
                continue;
            }
            if (auto problem = survey_answer_problem(r, AnswerPolicy::first_only)) {
                bad(*problem);
                continue;
            }
            if (at < r.last_event_time() || at > ctx.clock() + std::chrono::minutes(1)) {
                bad(tr("answered_at {} is before the record's last event or in the future",
                       row.fields[3]));
                continue;
            }
            answers.push_back({&r, score, row.fields[2], at});
        } catch (const Error& e) {
            bad(e.what());
        }
    }
    if (!problems.empty()) throw InvalidDataError(std::move(problems));
    if (answers.empty()) return 0;
    for (auto& a : answers)
        add_survey_answer(ctx, *a.record, a.score, a.comment, a.at);
    batch.commit(*answers.front().record,
                 ChangeSummary{"survey_import", phrase("{} survey answers imported from {}",
                                                       answers.size(), display)});
    return answers.size();
}

std::vector<Record> list_surveys(const Store& store, std::vector<std::string>& problems) {
    std::vector<Record> out;
    for (auto kind : {RecordKind::incident, RecordKind::ticket})
        for (auto& r : store.load_all(
                 kind, [](const Record& r) { return r.doc().find("survey") != nullptr; }, problems))
            out.push_back(std::move(r));
    auto sent = [](const Record& r) { return r.doc().find("survey")->get("sent_at").value_or(""); };
    std::stable_sort(out.begin(), out.end(),
                     [&](const Record& a, const Record& b) { return sent(a) < sent(b); });
    return out;
}

} // namespace opsflow
