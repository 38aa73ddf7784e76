// opsflow improve VERB ...: improvement plans, SPEC §1 steps 4.3-4.5.
#include "cli.hpp"
#include "opsflow/error.hpp"
#include "opsflow/improvement.hpp"
#include "output.hpp"
#include "record_view.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

namespace {

std::string render_improvement(const Record& r) {
    std::string out = fmt::format("{}  {}\n", r.id(), r.field("title"));
    auto line = [&](const std::string& label, const std::string& value) {
        if (!value.empty()) out += fmt::format("  {:<10} {}\n", label, value);
    };
    line("status", r.status());
    line("metric", r.field("metric"));
    line("target", r.field("target"));
    if (const Node* b = r.doc().find("baseline"))
        line("baseline", b->get("value").value_or("none"));
    if (const Node* s = r.doc().find("scope"))
        line("scope",
             fmt::format("{}{}", s->get("service") ? "service " + *s->get("service") + " " : "",
                         s->get("category") ? "category " + *s->get("category") : ""));
    line("owner", r.field("owner"));
    line("finding", r.field("finding"));
    line("started", r.field("started_at"));
    line("done", r.field("done_at"));
    if (const Node* e = r.doc().find("evaluation"))
        line("evaluated",
             fmt::format("before {}, after {}, change {} ({}%), target {}{}",
                         e->get("before").value_or("none"), e->get("after").value_or("none"),
                         e->get("change").value_or("none"), e->get("change_pct").value_or("none"),
                         e->get("target_met") ? (*e->get("target_met") == "true" ? "met" : "missed")
                                              : "not measurable",
                         e->get("partial") ? " (partial)" : ""));
    if (!r.field("problem").empty()) out += "\nProblem:\n  " + r.field("problem") + "\n";
    if (!r.field("plan").empty()) out += "Plan:\n  " + r.field("plan") + "\n";
    return out;
}

void register_new(CLI::App* group, Cli& state) {
    struct N {
        std::string title, metric, target, problem, plan, service, category, owner, finding;
        MutationOptions m;
    };
    auto n = std::make_shared<N>();
    auto* create = verb<N>(
        group, state, "new", "Propose an improvement; records the baseline (prints the new ID)",
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
                given(cmd, "--finding", o.finding),
                cli.time_option(o.m.at, "--at")};
            auto ctx = cli.context(o.m);
            std::cout << propose_improvement(ctx, req).record.id() << '\n';
        });
    create->add_option("TITLE", n->title, "The improvement, in one line")->required();
    create->add_option("--metric", n->metric, fmt::format("{}", fmt::join(metric_names(), ", ")));
    create
        ->add_option("--target", n->target,
                     "<=240 or >=95 in the metric's unit, or -20% / +10% against the baseline")
        ->required();
    create->add_option("--problem", n->problem, "The problem it addresses");
    create->add_option("--plan", n->plan, "The measures");
    create->add_option("--service", n->service, "Scope: one service");
    create->add_option("--category", n->category, "Scope: one category");
    create->add_option("--owner", n->owner, "Who is responsible");
    create->add_option("--finding", n->finding,
                       "Start from a finding of `opsflow report` (copies scope, evidence, metric)");
    add_mutation_options(*create, n->m);
}

void register_start(CLI::App* group, Cli& state) {
    auto s = std::make_shared<IdAndMutation>();
    auto* start = verb<IdAndMutation>(
        group, state, "start", "Start implementing it", "opsflow improve start 9a1b", s,
        [](Cli& cli, CLI::App*, IdAndMutation& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, start_improvement(ctx, o.id, cli.time_option(o.m.at, "--at")));
        });
    start->add_option("ID", s->id, "Improvement ID or prefix")->required();
    add_mutation_options(*start, s->m);
}

void register_done(CLI::App* group, Cli& state) {
    struct D : IdAndMutation {
        std::string notes;
    };
    auto d = std::make_shared<D>();
    auto* done = verb<D>(
        group, state, "done", "Record that it is implemented (the evaluation windows start here)",
        "opsflow improve done 9a1b --notes '新增邮件队列监控'", d,
        [](Cli& cli, CLI::App* cmd, D& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, finish_improvement(ctx, o.id, given(cmd, "--notes", o.notes),
                                                 cli.time_option(o.m.at, "--at")));
        });
    done->add_option("ID", d->id, "Improvement ID or prefix")->required();
    done->add_option("--notes", d->notes, "What was done");
    add_mutation_options(*done, d->m);
}

void register_evaluate(CLI::App* group, Cli& state) {
    struct E : IdAndMutation {
        std::string window = "30d";
        bool partial = false;
    };
    auto e = std::make_shared<E>();
    auto* evaluate = verb<E>(
        group, state, "evaluate", "Measure the metric before and after; was the target met?",
        "opsflow improve evaluate 9a1b --window 30d", e, [](Cli& cli, CLI::App*, E& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, evaluate_improvement(ctx, o.id, parse_duration(o.window, "--window"),
                                                   o.partial ? EvaluationTiming::allow_partial
                                                             : EvaluationTiming::complete_windows,
                                                   cli.time_option(o.m.at, "--at")));
        });
    evaluate->add_option("ID", e->id, "Improvement ID or prefix")->required();
    evaluate->add_option("--window", e->window,
                         "Length of the windows before and after done (default 30d)");
    evaluate->add_flag("--partial", e->partial,
                       "Evaluate before the after-window has ended (recorded as partial)");
    add_mutation_options(*evaluate, e->m);
}

void register_list(CLI::App* group, Cli& state) {
    struct L {
        std::vector<std::string> status;
        bool json = false;
    };
    auto l = std::make_shared<L>();
    auto* list =
        verb<L>(group, state, "list", "List improvements",
                "opsflow improve list --status implemented", l, [](Cli& cli, CLI::App*, L& o) {
                    std::vector<std::string> problems;
                    auto records = list_improvements(cli.store(), o.status, problems);
                    warn_skipped(problems);
                    if (o.json) {
                        std::cout << render_records_json(records);
                        return;
                    }
                    Table t({"ID", "STATUS", "METRIC", "TARGET", "BASELINE", "TITLE"});
                    for (const auto& r : records) {
                        const Node* b = r.doc().find("baseline");
                        t.add_row({r.id(), r.status(), r.field("metric"), r.field("target"),
                                   b ? b->get("value").value_or("—") : "—", r.field("title")});
                    }
                    std::cout << t.render(cli.color_enabled(), terminal_width());
                });
    add_status_filter(list, RecordKind::improvement, l->status);
    list->add_flag("--json", l->json, "Print JSON");
}

} // namespace

void register_improve_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand(
        "improve", "Improvement plans: a goal on one metric, implemented, then measured");
    group->require_subcommand(1);
    group->footer("Lifecycle: proposed -> in_progress -> implemented -> evaluated\n"
                  "Example:\n  id=$(opsflow improve new 'Faster mail fixes' --finding "
                  "recurring:mail:email --target -20%)\n"
                  "  opsflow improve start $id; opsflow improve done $id; opsflow improve evaluate "
                  "$id   # 30 days later");
    register_new(group, state);
    register_start(group, state);
    register_done(group, state);
    register_evaluate(group, state);
    register_show_verb(group, state, RecordKind::improvement, "Show one improvement",
                       "opsflow improve show 9a1b",
                       [](const Record& r, const Store&, bool) { return render_improvement(r); });
    register_list(group, state);
}

} // namespace opsflow::cli
