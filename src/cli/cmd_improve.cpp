// opsflow improve VERB ...: improvement plans, SPEC §1 steps 4.3-4.5.
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/work/improvement.hpp"
#include "output.hpp"
#include "record_view.hpp"
#include "value_labels.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

namespace {

std::string render_improvement(const Record& r) {
    std::string out = fmt::format("{}  {}\n", r.id(), r.field("title"));
    auto line = [&](const std::string& label, const std::string& value) {
        if (value.empty()) return;
        std::size_t width = display_width(label);
        out +=
            fmt::format("  {}{} {}\n", label, std::string(width < 10 ? 10 - width : 0, ' '), value);
    };
    line(tr("status"), tr(r.status()));
    line(tr("metric"), r.field("metric"));
    line(tr("target"), r.field("target"));
    if (const Node* b = r.doc().find("baseline"))
        line(tr("baseline"), b->get("value").value_or(tr("none")));
    if (const Node* s = r.doc().find("scope")) {
        std::vector<std::string> parts;
        if (s->get("service")) parts.push_back(tr("service {}", *s->get("service")));
        if (s->get("category")) parts.push_back(tr("category {}", *s->get("category")));
        line(tr("scope"), fmt::format("{}", fmt::join(parts, " ")));
    }
    line(tr("owner"), r.field("owner"));
    line(tr("finding"), r.field("finding"));
    line(tr("started"), r.field("started_at"));
    line(tr("done"), r.field("done_at"));
    if (const Node* e = r.doc().find("evaluation")) {
        const bool partial = e->get("partial") == "true";
        std::string_view verdict = partial                           ? N_("not judged yet")
                                   : !e->get("target_met")           ? N_("not measurable")
                                   : *e->get("target_met") == "true" ? N_("met")
                                                                     : N_("missed");
        std::string said =
            tr("before {}, after {}, change {} ({}%), target {}",
               e->get("before").value_or(tr("none")), e->get("after").value_or(tr("none")),
               e->get("change").value_or(tr("none")), e->get("change_pct").value_or(tr("none")),
               tr(verdict));
        if (e->get("per_30_days") == "true") said += " " + tr("(per 30 days)");
        if (partial) said += " — " + tr("partial") + ", " + partial_text(*e);
        line(tr("evaluated"), said);
    }
    if (const Node* standards = r.doc().find("standards")) {
        out += tr("Standards changed:") + "\n";
        for (const auto& c : standards->items())
            if (const Node* changes = c.find("changes"))
                for (const auto& change : changes->items())
                    out += fmt::format("  {} {}  {}\n", c.get("date").value_or(""),
                                       c.get("commit").value_or(""), change.text());
    }
    if (!r.field("problem").empty())
        out += "\n" + tr("Problem:") + "\n  " + r.field("problem") + "\n";
    if (!r.field("plan").empty()) out += tr("Plan:") + "\n  " + r.field("plan") + "\n";
    return out;
}

void register_new(CLI::App* group, Cli& state) {
    struct N {
        std::string title, metric, target, problem, plan, service, category, owner;
        FindingOptions finding;
        MutationOptions m;
    };
    auto n = std::make_shared<N>();
    auto* create = verb<N>(
        group, state, "new", tr("Propose an improvement; records the baseline (prints the new ID)"),
        "opsflow improve new '缩短邮件故障处理时间' --metric mttr --target '<=240' --service mail",
        n, [](Cli& cli, CLI::App* cmd, N& o) {
            NewImprovement req{
                o.title,
                given(cmd, "--metric", o.metric),
                o.target,
                given(cmd, "--problem", o.problem),
                given(cmd, "--plan", o.plan),
                {given(cmd, "--service", o.service), given(cmd, "--category", o.category)},
                given(cmd, "--owner", o.owner),
                finding_ref(cli, cmd, o.finding),
                cli.time_option(o.m.at, "--at")};
            auto ctx = cli.context(o.m);
            std::cout << propose_improvement(ctx, req).record.id() << '\n';
        });
    create->add_option("TITLE", n->title, tr("The improvement, in one line"))->required();
    create->add_option("--metric", n->metric, fmt::format("{}", fmt::join(metric_names(), ", ")));
    create
        ->add_option("--target", n->target,
                     tr("<=240 or >=95 in the metric's unit, or -20% / +10% against the baseline"))
        ->required();
    create->add_option("--problem", n->problem, tr("The problem it addresses"));
    create->add_option("--plan", n->plan, tr("The measures"));
    create->add_option("--service", n->service, tr("Scope: one service"));
    create->add_option("--category", n->category, tr("Scope: one category"));
    create->add_option("--owner", n->owner, tr("Who is responsible"));
    add_finding_options(
        *create, n->finding,
        tr("Start from a finding of `opsflow report` (copies scope, evidence, metric)"));
    add_mutation_options(*create, n->m);
}

void register_start(CLI::App* group, Cli& state) {
    auto s = std::make_shared<IdAndMutation>();
    change_verb<IdAndMutation>(
        group, state, "start", tr("Start implementing it"), "opsflow improve start 9a1b", s,
        [](Cli& cli, CLI::App*, IdAndMutation& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, start_improvement(ctx, o.id, cli.time_option(o.m.at, "--at")));
        },
        tr("Improvement ID or prefix"));
}

void register_done(CLI::App* group, Cli& state) {
    struct D : IdAndMutation {
        std::string notes, standards;
    };
    auto d = std::make_shared<D>();
    change_verb<D>(
        group, state, "done",
        tr("Record that it is implemented (the evaluation windows start here)"),
        "opsflow improve done 9a1b --notes '新增邮件队列监控'", d,
        [](Cli& cli, CLI::App* cmd, D& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, finish_improvement(ctx, o.id, given(cmd, "--notes", o.notes),
                                                 given(cmd, "--standards", o.standards),
                                                 cli.time_option(o.m.at, "--at")));
        },
        tr("Improvement ID or prefix"),
        [&](CLI::App& command, D& o) {
            command.add_option("--notes", o.notes, tr("What was done"));
            command.add_option("--standards", o.standards,
                               tr("The commits that changed the standards, REV..REV (default: "
                                  "those since it started)"));
        });
}

void register_evaluate(CLI::App* group, Cli& state) {
    struct E : IdAndMutation {
        std::string window = "30d";
        bool partial = false;
    };
    auto e = std::make_shared<E>();
    change_verb<E>(
        group, state, "evaluate", tr("Measure the metric before and after; was the target met?"),
        "opsflow improve evaluate 9a1b --window 30d", e,
        [](Cli& cli, CLI::App*, E& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, evaluate_improvement(ctx, o.id, parse_duration(o.window, "--window"),
                                                   o.partial ? EvaluationTiming::allow_partial
                                                             : EvaluationTiming::complete_windows,
                                                   cli.time_option(o.m.at, "--at")));
        },
        tr("Improvement ID or prefix"),
        [&](CLI::App& command, E& o) {
            command.add_option("--window", o.window,
                               tr("Length of the windows before and after done (default 30d)"));
            command.add_flag(
                "--partial", o.partial,
                tr("Evaluate before the after-window has ended (recorded as partial)"));
        });
}

void register_cancel(CLI::App* group, Cli& state) {
    struct C : IdAndMutation {
        std::string reason;
    };
    change_verb<C>(
        group, state, "cancel", tr("Call the improvement off before it is implemented (final)"),
        "opsflow improve cancel 9a1b --reason '并入 IMP-5c6d7e8f'", std::make_shared<C>(),
        [](Cli& cli, CLI::App*, C& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, cancel_improvement(ctx, o.id, text_argument(o.reason),
                                                 cli.time_option(o.m.at, "--at")));
        },
        tr("Improvement ID or prefix"),
        [](CLI::App& command, C& o) {
            command.add_option("--reason", o.reason, tr("Why"))->required();
        });
}

} // namespace

void register_improve_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand(
        "improve", tr("Improvement plans: a goal on one metric, implemented, then measured"));
    group->require_subcommand(1);
    group->footer(tr("Lifecycle:") + " proposed -> in_progress -> implemented -> evaluated\n" +
                  tr("Example:") +
                  "\n  id=$(opsflow improve new 'Faster mail fixes' --finding "
                  "recurring:mail:email --target -20%)\n"
                  "  opsflow improve start $id; opsflow improve done $id; opsflow improve evaluate "
                  "$id   # " +
                  tr("30 days later"));
    register_new(group, state);
    register_start(group, state);
    register_done(group, state);
    register_evaluate(group, state);
    register_cancel(group, state);
    register_show_verb(group, state, RecordKind::improvement, tr("Show one improvement"),
                       "opsflow improve show 9a1b",
                       [](const Record& r, const Store&, bool) { return render_improvement(r); });
    register_status_list_verb(group, state, RecordKind::improvement, tr("List improvements"),
                              "opsflow improve list --status implemented", list_improvements,
                              {{tr("ID"), [](const Record& r) { return r.id(); }},
                               {tr("STATUS"), [](const Record& r) { return status_label(r); }},
                               {tr("METRIC"), [](const Record& r) { return r.field("metric"); }},
                               {tr("TARGET"), [](const Record& r) { return r.field("target"); }},
                               {tr("BASELINE"),
                                [](const Record& r) {
                                    const Node* b = r.doc().find("baseline");
                                    return b ? b->get("value").value_or("—") : std::string("—");
                                }},
                               {tr("TITLE"), [](const Record& r) { return r.field("title"); }}});
}

} // namespace opsflow::cli
