#include "opsflow/work/improvement.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/catalog.hpp"
#include "opsflow/store/query.hpp"
#include "opsflow/store/standards.hpp"
#include "opsflow/work/recent_finding.hpp"
#include "opsflow/work/workflow_step.hpp"

#include <fmt/format.h>
#include <regex>

namespace opsflow {

namespace {

constexpr auto kind = RecordKind::improvement;
constexpr auto month = std::chrono::hours(24 * 30);

void require_target(const std::string& target) {
    static const std::regex re(R"((<=|>=)[0-9]+(\.[0-9]+)?|[-+][0-9]+(\.[0-9]+)?%)");
    if (!std::regex_match(target, re))
        throw UsageError(tr("--target '{}' is not a target: give <=240 or >=95 (in the metric's "
                            "unit), or -20% / +10% against the baseline",
                            target));
}

Node number_or_null(std::optional<double> v) {
    return v ? rounded_number(*v) : Node::null();
}

ReportScope scope_of(const Record& r) {
    ReportScope s;
    if (const Node* scope = r.doc().find("scope")) {
        s.service = scope->get("service");
        s.category = scope->get("category");
    }
    return s;
}

Change change_improvement(Context& ctx, std::string_view id, std::string_view verb,
                          std::optional<Timestamp> at,
                          const std::function<Phrase(Record&, Node&, Timestamp)>& apply) {
    return apply_step(ctx, kind, id, verb, at, [&](Record& r, Node& event, Timestamp when) {
        return ChangeSummary{"", apply(r, event, when)};
    });
}

} // namespace

std::optional<bool> target_met(const std::string& target, std::optional<double> before,
                               std::optional<double> after) {
    if (!after) return std::nullopt;
    if (target.starts_with("<=")) return *after <= std::stod(target.substr(2));
    if (target.starts_with(">=")) return *after >= std::stod(target.substr(2));
    if (!before) return std::nullopt;
    double pct = std::stod(target.substr(0, target.size() - 1)); // -20 or +10
    double goal = *before * (1 + pct / 100.0);
    constexpr double tolerance = 1e-9; // 50 * 1.1 is 55.000000000000007
    return pct < 0 ? *after <= goal + tolerance : *after >= goal - tolerance;
}

Change propose_improvement(Context& ctx, const NewImprovement& req) {
    if (req.title.empty()) throw UsageError(tr("the title must not be empty"));
    require_target(req.target);
    if (req.owner) require_person(ctx.store.team(), *req.owner);
    if (req.scope.service) require_service(ctx.store.services(), *req.scope.service);
    if (req.scope.category) require_category(ctx.store.settings(), *req.scope.category);
    Timestamp at = resolve_event_time(ctx, req.at);
    StoreFacts facts = load_facts(ctx.store);
    ReportScope scope = req.scope;
    std::optional<std::string> metric = req.metric, problem = req.problem;
    std::vector<std::string> evidence;
    ReportPeriod measured{at - month, at};
    if (req.finding) {
        // The finding as it was read: its period, its figures, its facts (never its advice).
        FoundFinding found = find_finding(ctx, facts, *req.finding, at);
        const Finding& f = found.finding;
        if (f.scope.service && !scope.service) scope.service = f.scope.service;
        if (f.scope.category && !scope.category) scope.category = f.scope.category;
        if (!metric && f.metric) metric = f.metric;
        if (!problem) problem = finding_statement(ctx, found);
        evidence = f.evidence;
        measured = found.period;
    }
    if (!metric) throw UsageError(tr("--metric is required (or --finding with a metric)"));
    require_known("metric", *metric, metric_names());
    auto baseline = metric_value(*metric, facts, ctx.store.settings(), measured, scope);
    return create_record(ctx, kind, [&](const std::string& id) {
        Record r(kind, Node::map(), "");
        Node event = make_event(ctx, at, "propose");
        r.doc().set("id", Node::string(id));
        set_field(r, event, "title", Node::string(req.title));
        enter_status(r, event);
        if (problem) set_field(r, event, "problem", Node::string(*problem));
        if (scope.service || scope.category) {
            Node s = Node::map();
            if (scope.service) s.set("service", Node::string(*scope.service));
            if (scope.category) s.set("category", Node::string(*scope.category));
            set_field(r, event, "scope", s);
        }
        set_field(r, event, "metric", Node::string(*metric));
        Node b = Node::map();
        b.set("value", number_or_null(baseline));
        b.set("from", Node::string(format_rfc3339(measured.from, ctx.store.settings().zone)));
        b.set("to", Node::string(format_rfc3339(measured.to, ctx.store.settings().zone)));
        set_field(r, event, "baseline", b);
        set_field(r, event, "target", Node::string(req.target));
        if (req.owner) set_field(r, event, "owner", Node::string(*req.owner));
        if (req.plan) set_field(r, event, "plan", Node::string(*req.plan));
        if (req.finding) set_field(r, event, "finding", Node::string(req.finding->id));
        if (!evidence.empty()) {
            Node links = Node::sequence();
            for (const auto& e : evidence)
                links.push_back(Node::string(e));
            r.doc().set("links", links);
        }
        r.append_event(std::move(event));
        return std::pair{r.doc(),
                         ChangeSummary{"new", baseline ? phrase("proposed: {} ({} baseline {:.1f})",
                                                                req.title, *metric, *baseline)
                                                       : phrase("proposed: {} ({} baseline none)",
                                                                req.title, *metric)}};
    });
}

Change start_improvement(Context& ctx, std::string_view id, std::optional<Timestamp> at) {
    return change_improvement(ctx, id, "start", at, [&](Record& r, Node& event, Timestamp when) {
        enter_status(r, event);
        set_field(r, event, "started_at",
                  Node::string(format_rfc3339(when, ctx.store.settings().zone)));
        return phrase("started");
    });
}

Change finish_improvement(Context& ctx, std::string_view id,
                          const std::optional<std::string>& notes,
                          const std::optional<std::string>& standards,
                          std::optional<Timestamp> at) {
    return change_improvement(ctx, id, "done", at, [&](Record& r, Node& event, Timestamp when) {
        enter_status(r, event);
        set_field(r, event, "done_at",
                  Node::string(format_rfc3339(when, ctx.store.settings().zone)));
        if (notes) event.set("notes", Node::string(*notes));
        // The standards it changed (SPEC §12, step 4.4): the commits named, or those made
        // since it started.
        std::vector<StandardsCommit> changed;
        if (ctx.store.git())
            changed = standards ? standards_history(ctx.store, standards)
                                : standards_history(ctx.store, std::nullopt,
                                                    parse_rfc3339(r.field("started_at")), when);
        if (!changed.empty()) {
            Node list = Node::sequence();
            for (const auto& c : changed) {
                Node entry = Node::map();
                entry.set("commit", Node::string(c.commit));
                entry.set("date", Node::string(c.date));
                Node lines = Node::sequence();
                for (const auto& change : c.changes)
                    lines.push_back(Node::string(change_text(change)));
                entry.set("changes", lines);
                list.push_back(std::move(entry));
            }
            set_field(r, event, "standards", list);
            return phrase("implemented; {} standards change(s) recorded", changed.size());
        }
        return phrase("implemented");
    });
}

Change cancel_improvement(Context& ctx, std::string_view id, const std::string& reason,
                          std::optional<Timestamp> at) {
    if (reason.empty()) throw UsageError(tr("{} must not be empty", "--reason"));
    return change_improvement(ctx, id, "cancel", at, [&](Record& r, Node& event, Timestamp) {
        enter_status(r, event);
        event.set("reason", Node::string(reason));
        return phrase("cancelled: {}", reason);
    });
}

Change evaluate_improvement(Context& ctx, std::string_view id, const Duration& window,
                            EvaluationTiming timing, std::optional<Timestamp> at) {
    if (window.wall().count() <= 0) throw UsageError(tr("--window must be longer than zero"));
    StoreFacts facts = load_facts(ctx.store);
    return change_improvement(ctx, id, "evaluate", at, [&](Record& r, Node& event, Timestamp when) {
        Timestamp done = parse_rfc3339(r.field("done_at")).value();
        EvaluationSpans spans =
            evaluation_spans(r.id(), done, done, window, when, timing, ctx.store.settings().zone);
        std::string metric = r.field("metric");
        ReportScope scope = scope_of(r);
        auto measure = [&](Timestamp from, Timestamp to) {
            auto v = metric_value(metric, facts, ctx.store.settings(), {from, to}, scope);
            if (v && metric_is_count(metric)) v = per_30_days(*v, from, to);
            return v;
        };
        auto before = measure(spans.before_from, spans.before_to);
        auto after = measure(spans.after_from, spans.after_to);
        Node e = Node::map();
        e.set("window_days", number_or_null(spans.window_days));
        if (spans.partial) {
            e.set("partial", Node::boolean(true));
            e.set("observed_days", number_or_null(spans.observed_days));
        }
        if (metric_is_count(metric)) e.set("per_30_days", Node::boolean(true));
        e.set("before", number_or_null(before));
        e.set("after", number_or_null(after));
        std::optional<double> change, change_pct;
        if (before && after) change = *after - *before;
        if (change && *before != 0) change_pct = 100.0 * *change / *before;
        e.set("change", number_or_null(change));
        e.set("change_pct", number_or_null(change_pct));
        // A partial evaluation never judges the target: the window has not passed.
        auto met = spans.partial ? std::nullopt : target_met(r.field("target"), before, after);
        e.set("target_met", met ? Node::boolean(*met) : Node::null());
        set_field(r, event, "evaluation", e);
        enter_status(r, event);
        auto show = [](std::optional<double> v, std::string none) {
            return v ? fmt::format("{:.1f}", *v) : none;
        };
        std::string_view verdict = spans.partial ? N_("not judged yet")
                                   : !met        ? N_("not measurable")
                                   : *met        ? N_("met")
                                                 : N_("missed");
        // In English for the commit message, translated on screen, the verdict too.
        auto said = [&](std::string_view msgid, auto&&... more) {
            return Phrase(fmt::format(fmt::runtime(msgid), metric, show(before, "none"),
                                      show(after, "none"), r.field("target"), verdict, more...),
                          tr(msgid, metric, show(before, tr("none")), show(after, tr("none")),
                             r.field("target"), tr(verdict), more...));
        };
        return spans.partial
                   ? said(
                         N_("evaluated: {} {} → {}, target {} {} (partial: {:.1f} of {:.0f} days)"),
                         spans.observed_days, spans.window_days)
                   : said(N_("evaluated: {} {} → {}, target {} {}"));
    });
}

std::vector<Record> list_improvements(const Store& store, const std::vector<std::string>& statuses,
                                      std::vector<std::string>& problems) {
    // Chosen from the query index, like every list: only the records shown are read,
    // each vouched for by the stamp at which it passed its schema.
    StoreFacts facts = load_facts(store, {kind});
    problems.insert(problems.end(), facts.problems.begin(), facts.problems.end());
    return load_with_status(store, kind, facts.improvements, statuses, problems);
}

} // namespace opsflow
