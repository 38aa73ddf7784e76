#include "opsflow/work/article.hpp"

#include "opsflow/base/confidential.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/catalog.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/work/workflow_step.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace opsflow {

namespace {

constexpr auto kind = RecordKind::article;

// The parts of a source record an article starts from, with their headings.
struct SourcePart {
    RecordKind kind;
    std::string_view key;
    std::string_view heading;
};
constexpr std::array<SourcePart, 9> source_parts{{
    {RecordKind::ticket, "question", N_("Question")},
    {RecordKind::ticket, "answer", N_("Answer")},
    {RecordKind::incident, "description", N_("Symptom")},
    {RecordKind::incident, "cause", N_("Cause")},
    {RecordKind::incident, "resolution", N_("Resolution")},
    {RecordKind::problem, "description", N_("Symptom")},
    {RecordKind::problem, "cause", N_("Cause")},
    {RecordKind::problem, "workaround", N_("Workaround")},
    {RecordKind::problem, "fix", N_("Fix")},
}};

Record load_source(const Store& store, const std::string& id) {
    IdQuery q = parse_id_query(id);
    if (q.kind != RecordKind::ticket && q.kind != RecordKind::incident &&
        q.kind != RecordKind::problem)
        throw UsageError(tr(
            "--from names a ticket (TKT-), an incident (INC-) or a problem (PRB-), not '{}'", id));
    return store.load(*q.kind, store.locate(*q.kind, id));
}

} // namespace

std::string_view audience_name(Audience audience) {
    // Marked for the catalogue: records hold the English value, views translate it.
    return audience == Audience::users ? N_("users") : N_("staff");
}

std::string article_draft(const Store& store, const Record& source) {
    LanguageScope language(store.settings().language);
    std::string out;
    for (const auto& part : source_parts) {
        if (part.kind != source.kind()) continue;
        std::string text = source.field(part.key);
        if (text.empty()) continue;
        out += fmt::format("{}## {}\n\n{}\n", out.empty() ? "" : "\n", tr(part.heading), text);
    }
    return out;
}

Change write_article(Context& ctx, const NewArticle& req) {
    if (req.title.empty()) throw UsageError(tr("the title must not be empty"));
    if (req.service) require_service(ctx.store.services(), *req.service);
    if (req.category) require_category(ctx.store.settings(), *req.category);
    std::optional<Record> source;
    if (req.from) source = load_source(ctx.store, *req.from);
    std::string body = req.body.value_or(source ? article_draft(ctx.store, *source) : "");
    if (req.edit) body = req.edit(body);
    if (body.empty())
        throw UsageError(tr("the article has no text: give --body TEXT, --from ID or --edit"));
    std::optional<std::string> service = req.service, category = req.category;
    if (source) {
        // Filed where the record it came from was.
        if (!service && !source->field("service").empty()) service = source->field("service");
        if (!category && !source->field("category").empty()) category = source->field("category");
    }
    Timestamp at = resolve_event_time(ctx, req.at);
    return create_record(ctx, kind, [&](const std::string& id) {
        Record r(kind, Node::map(), "");
        Node event = make_event(ctx, at, "write");
        r.doc().set("id", Node::string(id));
        set_field(r, event, "title", Node::string(req.title));
        enter_status(r, event);
        set_field(r, event, "audience", Node::string(std::string(audience_name(req.audience))));
        if (service) {
            Node services = Node::sequence();
            services.push_back(Node::string(*service));
            set_field(r, event, "services", services);
        }
        if (category) set_field(r, event, "category", Node::string(*category));
        set_field(r, event, "body", Node::string(body));
        if (source) set_field(r, event, "source", Node::string(source->id()));
        r.append_event(std::move(event));
        return std::pair{r.doc(), ChangeSummary{"new", phrase("drafted: {}", req.title)}};
    });
}

namespace {

// What every user will read holds nobody's personal data (check refuses it too).
void require_no_personal_data(const Record& article) {
    if (article.field("audience") != audience_name(Audience::users)) return;
    for (std::string_view key : {"title", "body"})
        for (const auto& found : find_personal_data(article.field(key)))
            if (!found.secret)
                throw InvalidDataError(tr("cannot publish {} to users: its {} holds {}; remove it "
                                          "first (or publish it for staff)",
                                          article.id(), tr(key), tr(found.what)));
}

} // namespace

Change publish_article(Context& ctx, std::string_view id, std::optional<Timestamp> at) {
    return apply_step(ctx, kind, id, "publish", at, [&](Record& r, Node& event, Timestamp) {
        require_no_personal_data(r);
        enter_status(r, event);
        return ChangeSummary{"", phrase("published for {}", r.field("audience"))};
    });
}

Change retire_article(Context& ctx, std::string_view id, const std::optional<std::string>& reason,
                      std::optional<Timestamp> at) {
    return apply_step(ctx, kind, id, "retire", at, [&](Record& r, Node& event, Timestamp) {
        enter_status(r, event);
        if (reason) event.set("reason", Node::string(*reason));
        return ChangeSummary{"", reason ? phrase("retired: {}", *reason) : phrase("retired")};
    });
}

Record article_for_users(const Store& store, std::string_view id) {
    IdQuery q = parse_id_query(id);
    if (q.kind && q.kind != kind)
        throw UsageError(tr("--article names an article (KB-), not '{}'", id));
    Record article = store.load(kind, store.locate(kind, id));
    if (!workflow_of(kind).in(StatusGroup::published, article.status()))
        throw RefusedError(tr("cannot answer with {}: it is '{}', not published (run: opsflow "
                              "article publish {})",
                              article.id(), tr(article.status()), article.id()));
    if (article.field("audience") != audience_name(Audience::users))
        throw RefusedError(tr("cannot answer with {}: it is written for staff, and a staff "
                              "article never goes to a user",
                              article.id()));
    return article;
}

std::vector<Record> list_articles(const Store& store, const std::vector<std::string>& statuses,
                                  std::vector<std::string>& problems) {
    StoreFacts facts = load_facts(store, {kind});
    problems.insert(problems.end(), facts.problems.begin(), facts.problems.end());
    return load_with_status(store, kind, facts.articles, statuses, problems);
}

} // namespace opsflow
