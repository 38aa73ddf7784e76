// opsflow problem VERB ...: problem management, the cause behind incidents (SPEC §11).
#include "cli.hpp"
#include "opsflow/work/problem.hpp"
#include "output.hpp"
#include "record_view.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

namespace {

const std::string& problem_id_help() {
    static const std::string help = tr("Problem ID or unambiguous prefix");
    return help;
}

void register_new(CLI::App* group, Cli& state) {
    struct N {
        FindingOptions finding;
        std::string title, service, category, owner, description;
        std::vector<std::string> incidents;
        bool edit = false;
        MutationOptions m;
    };
    auto n = std::make_shared<N>();
    auto* create = verb<N>(
        group, state, "new", tr("Open a problem: the cause behind incidents (prints the new ID)"),
        "opsflow problem new '邮箱反复满' --incidents INC-3f9a1c2e,INC-8b7c6d5e --service mail", n,
        [](Cli& cli, CLI::App* cmd, N& o) {
            NewProblem req{
                o.title,
                o.incidents,
                finding_ref(cli, cmd, o.finding),
                given(cmd, "--service", o.service),
                given(cmd, "--category", o.category),
                given(cmd, "--owner", o.owner),
                long_text(given(cmd, "--description", o.description), o.edit, "description"),
                cli.time_option(o.m.at, "--at")};
            auto ctx = cli.context(o.m);
            std::cout << open_problem(ctx, req).record.id() << '\n';
        });
    create->add_option("TITLE", n->title, tr("The problem, in one line"))->required();
    create->add_option("--incidents", n->incidents, tr("Incidents it explains (comma-separated)"))
        ->delimiter(',');
    add_finding_options(*create, n->finding,
                        tr("Start from a finding of `opsflow report` (links its incidents)"));
    create->add_option("--service", n->service, tr("The service it affects"));
    create->add_option("--category", n->category, tr("Its category"));
    create->add_option("--owner", n->owner, tr("Who is responsible"));
    create->add_option("--description", n->description, tr("Details; - reads standard input"));
    create->add_flag("--edit", n->edit, tr("Write the description in $VISUAL/$EDITOR"));
    add_mutation_options(*create, n->m);
}

void register_link(CLI::App* group, Cli& state) {
    struct L : IdAndMutation {
        std::string incident;
    };
    auto l = std::make_shared<L>();
    change_verb<L>(
        group, state, "link", tr("Link an incident to the problem (kept on both records)"),
        "opsflow problem link 7c1d INC-3f9a1c2e", l,
        [](Cli& cli, CLI::App*, L& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, link_problem(ctx, o.id, o.incident, cli.time_option(o.m.at, "--at")));
        },
        problem_id_help(),
        [&](CLI::App& command, L& o) {
            command.add_option("INCIDENT", o.incident, tr("Incident ID or unambiguous prefix"))
                ->required();
        });
}

void register_steps(CLI::App* group, Cli& state) {
    auto investigate = std::make_shared<IdAndMutation>();
    change_verb<IdAndMutation>(
        group, state, "investigate", tr("Start looking for its cause"),
        "opsflow problem investigate 7c1d", investigate,
        [](Cli& cli, CLI::App*, IdAndMutation& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, investigate_problem(ctx, o.id, cli.time_option(o.m.at, "--at")));
        },
        problem_id_help());

    struct K : IdAndMutation {
        std::string cause, workaround;
    };
    auto known = std::make_shared<K>();
    change_verb<K>(
        group, state, "known-error",
        tr("Record its cause and workaround: new incidents like it are shown the workaround"),
        "opsflow problem known-error 7c1d --cause '归档策略未启用' --workaround '手工归档旧邮件'",
        known,
        [](Cli& cli, CLI::App*, K& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, record_known_error(ctx, o.id, text_argument(o.cause),
                                                 text_argument(o.workaround),
                                                 cli.time_option(o.m.at, "--at")));
        },
        problem_id_help(),
        [&](CLI::App& command, K& o) {
            command.add_option("--cause", o.cause, tr("The cause; - reads standard input"))
                ->required();
            command.add_option("--workaround", o.workaround, tr("What to do until it is fixed"))
                ->required();
        });

    struct R : IdAndMutation {
        std::string fix, via;
    };
    auto resolve = std::make_shared<R>();
    change_verb<R>(
        group, state, "resolve", tr("Record the fix that removes the cause"),
        "opsflow problem resolve 7c1d --fix '启用自动归档' --via MNT-5e6f7a8b", resolve,
        [](Cli& cli, CLI::App* cmd, R& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, resolve_problem(ctx, o.id, text_argument(o.fix),
                                              given(cmd, "--via", o.via),
                                              cli.time_option(o.m.at, "--at")));
        },
        problem_id_help(),
        [&](CLI::App& command, R& o) {
            command.add_option("--fix", o.fix, tr("The fix; - reads standard input"))->required();
            command.add_option("--via", o.via,
                               tr("The maintenance window (MNT-) or improvement (IMP-) that "
                                  "carried it"));
        });

    auto close = std::make_shared<IdAndMutation>();
    change_verb<IdAndMutation>(
        group, state, "close", tr("Close a resolved problem"), "opsflow problem close 7c1d", close,
        [](Cli& cli, CLI::App*, IdAndMutation& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, close_problem(ctx, o.id, cli.time_option(o.m.at, "--at")));
        },
        problem_id_help());

    struct T : IdAndMutation {
        std::string text;
    };
    auto cancel = std::make_shared<T>();
    change_verb<T>(
        group, state, "cancel", tr("Call the problem off (final)"),
        "opsflow problem cancel 7c1d --reason '与 PRB-1a2b3c4d 重复'", cancel,
        [](Cli& cli, CLI::App*, T& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, cancel_problem(ctx, o.id, text_argument(o.text),
                                             cli.time_option(o.m.at, "--at")));
        },
        problem_id_help(),
        [&](CLI::App& command, T& o) {
            command.add_option("--reason", o.text, tr("Why"))->required();
        });
}

} // namespace

void register_problem_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand(
        "problem", tr("Problems: the cause behind incidents, its workaround and its fix"));
    group->require_subcommand(1);
    group->footer(
        tr("Lifecycle:") + " open -> investigating -> known_error -> resolved -> closed\n" +
        tr("Example:") +
        "\n  id=$(opsflow problem new 'Mailboxes fill up' --finding recurring:mail:email)\n"
        "  opsflow problem known-error $id --cause '...' --workaround '...'\n"
        "  opsflow problem resolve $id --fix '...'; opsflow problem close $id");
    register_new(group, state);
    register_link(group, state);
    register_steps(group, state);
    register_note_verb(group, state, RecordKind::problem, "opsflow problem note 7c1d '厂商已确认'");
    register_show_verb(group, state, RecordKind::problem, tr("Show one problem"),
                       "opsflow problem show 7c1d", render_problem);
    register_status_list_verb(group, state, RecordKind::problem, tr("List problems"),
                              "opsflow problem list --status known_error", list_problems,
                              {{tr("ID"), [](const Record& r) { return r.id(); }},
                               {tr("STATUS"), [](const Record& r) { return tr(r.status()); }},
                               {tr("INCIDENTS"),
                                [](const Record& r) {
                                    const Node* incidents = r.doc().find("incidents");
                                    return std::to_string(incidents ? incidents->items().size()
                                                                    : 0);
                                }},
                               {tr("OWNER"), [](const Record& r) { return r.field("owner"); }},
                               {tr("TITLE"), [](const Record& r) { return r.field("title"); }}});
}

} // namespace opsflow::cli
