// opsflow ticket VERB ...: user support, SPEC §1 steps 3.1-3.3.
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/work/ticket.hpp"
#include "output.hpp"
#include "record_view.hpp"
#include "similar_view.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

namespace {

void register_new(CLI::App* group, Cli& state) {
    struct O {
        std::string subject, requester, channel = "other", service, category, question;
        bool edit = false, json = false;
        MutationOptions m;
    };
    auto opts = std::make_shared<O>();
    auto* command =
        verb<O>(group, state, "new", tr("Record a user's question (prints the new ID)"),
                "id=$(opsflow ticket new '如何配置 VPN 客户端？' --requester '张三 "
                "<zhangsan@example.com>' \\\n"
                "         --channel email --service vpn --category network --question -)",
                opts, [](Cli& cli, CLI::App* cmd, O& o) {
                    NewTicket t{o.subject,
                                o.requester,
                                o.channel,
                                given(cmd, "--service", o.service),
                                given(cmd, "--category", o.category),
                                long_text(given(cmd, "--question", o.question), o.edit, "question"),
                                cli.time_option(o.m.at, "--at")};
                    auto ctx = cli.context(o.m);
                    print_created(cli, receive_ticket(ctx, t).record, o.json);
                });
    command->add_option("SUBJECT", opts->subject, tr("The question, in one line"))->required();
    command
        ->add_option("--requester", opts->requester,
                     tr("Who asks: 'Name <email>' or a phone number"))
        ->required();
    command->add_option("--channel", opts->channel,
                        tr("ticket, phone, email, monitoring, walk-in, other"));
    command->add_option("--service", opts->service, tr("The service it is about"));
    command->add_option("--category", opts->category, tr("Its category"));
    command->add_option("--question", opts->question,
                        tr("The full question; - reads standard input"));
    command->add_flag("--edit", opts->edit, tr("Write the question in $VISUAL/$EDITOR"));
    add_created_json_flag(*command, opts->json);
    add_mutation_options(*command, opts->m);
}

void register_analyze(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string notes, assign;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "analyze", tr("Record the analysis; optionally assign it"),
        "opsflow ticket analyze 5b2e --notes '客户端版本过旧' --assign lisi", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, analyze_ticket(ctx, o.id, text_argument(o.notes),
                                             given(cmd, "--assign", o.assign),
                                             cli.time_option(o.m.at, "--at")));
        },
        tr("Ticket ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--notes", o.notes, tr("What was found; - reads standard input"))
                ->required();
            command.add_option("--assign", o.assign, tr("Who works on it (a team.yaml id)"));
        });
}

void register_answer(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string answer, article;
        bool no_notify = false, edit = false;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "answer", tr("Answer the requester (sent as a notice) with guidance"),
        "opsflow ticket answer 5b2e --answer '请从内网下载 4.2 版客户端并重新导入配置。'", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            auto answer = long_text(given(cmd, "--answer", o.answer), o.edit, "answer");
            auto article = given(cmd, "--article", o.article);
            if (!answer && !article)
                throw UsageError(tr("{} is required (or --edit, or --article)", "--answer"));
            auto ctx = cli.context(o.m);
            NoticeRun run = answer_ticket(ctx, o.id, answer.value_or(""),
                                          o.no_notify ? NoticeMode::suppress : NoticeMode::send,
                                          cli.time_option(o.m.at, "--at"), article);
            print_change(cli, run.change);
            report_notices(cli, run);
        },
        tr("Ticket ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--answer", o.answer, tr("The answer; - reads standard input"));
            command.add_flag("--edit", o.edit, tr("Write the answer in $VISUAL/$EDITOR"));
            command.add_option("--article", o.article,
                               tr("Answer with a published users' article (KB-): its text is "
                                  "sent, its ID recorded"));
            command.add_flag("--no-notify", o.no_notify,
                             tr("Record the answer without sending it"));
        });
}

void register_close_reopen_note(CLI::App* group, Cli& state) {
    auto close = std::make_shared<IdAndMutation>();
    change_verb<IdAndMutation>(
        group, state, "close", tr("Close an answered ticket"), "opsflow ticket close 5b2e", close,
        [](Cli& cli, CLI::App*, IdAndMutation& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, close_ticket(ctx, o.id, cli.time_option(o.m.at, "--at")));
        },
        tr("Ticket ID or unambiguous prefix"));

    struct R : IdAndMutation {
        std::string text;
    };
    auto reopen = std::make_shared<R>();
    change_verb<R>(
        group, state, "reopen", tr("Reopen an answered or closed ticket"),
        "opsflow ticket reopen 5b2e --reason 'still fails'", reopen,
        [](Cli& cli, CLI::App*, R& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, reopen_ticket(ctx, o.id, o.text, cli.time_option(o.m.at, "--at")));
        },
        tr("Ticket ID or unambiguous prefix"),
        [&](CLI::App& command, R& o) {
            command.add_option("--reason", o.text, tr("Why"))->required();
        });

    auto note = std::make_shared<R>();
    change_verb<R>(
        group, state, "note", tr("Add a note to the history"),
        "opsflow ticket note 5b2e '已电话联系'", note,
        [](Cli& cli, CLI::App*, R& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, note_ticket(ctx, o.id, text_argument(o.text),
                                          cli.time_option(o.m.at, "--at")));
        },
        tr("Ticket ID or unambiguous prefix"),
        [&](CLI::App& command, R& o) {
            command.add_option("TEXT", o.text, tr("The note; - reads standard input"))->required();
        });
}

void register_escalate(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string impact, urgency;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "escalate", tr("Turn the ticket into an incident (prints the incident's ID)"),
        "inc=$(opsflow ticket escalate 5b2e --impact high --urgency high)", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            auto ctx = cli.context(o.m);
            Change c = escalate_ticket(ctx, o.id,
                                       {given(cmd, "--impact", o.impact),
                                        given(cmd, "--urgency", o.urgency),
                                        cli.time_option(o.m.at, "--at")});
            std::cout << c.record.id() << '\n';
        },
        tr("Ticket ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--impact", o.impact,
                               tr("Impact of the incident: high, medium, low"));
            command.add_option("--urgency", o.urgency,
                               tr("Urgency of the incident: high, medium, low"));
        });
}

void register_show_list(CLI::App* group, Cli& state) {
    register_show_verb(group, state, RecordKind::ticket, tr("Show one ticket with its history"),
                       "opsflow ticket show 5b2e", render_ticket);

    struct L {
        std::vector<std::string> status;
        std::string service, category, assignee, since, until, format = "table";
        bool open = false, json = false;
    };
    auto list = std::make_shared<L>();
    auto* l = verb<L>(group, state, "list", tr("List tickets, oldest first"),
                      "opsflow ticket list --open", list, [](Cli& cli, CLI::App* cmd, L& o) {
                          Store& store = cli.store();
                          TicketFilter f{o.status,
                                         given(cmd, "--service", o.service),
                                         given(cmd, "--category", o.category),
                                         given(cmd, "--assignee", o.assignee),
                                         cli.time_option(o.since, "--since"),
                                         cli.time_option(o.until, "--until"),
                                         o.open};
                          std::vector<std::string> problems;
                          auto records = list_tickets(store, f, problems);
                          warn_skipped(problems);
                          std::cout << render_ticket_list(
                              records, store, o.json ? "json" : o.format, cli.color_enabled());
                      });
    add_status_filter(l, RecordKind::ticket, list->status);
    l->add_option("--service", list->service, tr("Only this service"));
    l->add_option("--category", list->category, tr("Only this category"));
    l->add_option("--assignee", list->assignee, tr("Only tickets assigned to PERSON"));
    l->add_option("--since", list->since, tr("Received at or after this time"));
    l->add_option("--until", list->until, tr("Received before this time"));
    l->add_flag("--open", list->open, tr("Only tickets not closed or escalated"));
    l->add_flag("--json", list->json, tr("Print a JSON array of records"));
    l->add_option("--format", list->format, tr("table, csv or json"))
        ->check(CLI::IsMember({"table", "csv", "json"}));
}

} // namespace

void register_ticket_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand(
        "ticket", tr("Receive, analyse and answer users' questions; escalate to incidents"));
    group->require_subcommand(1);
    group->footer(tr("Lifecycle:") + " new -> analyzing -> answered -> closed " +
                  tr("(or escalated to an incident)") + "\n" + tr("Example:") +
                  "\n  id=$(opsflow ticket new 'How do I reset my password?' --requester 'Bob "
                  "<bob@example.com>')\n"
                  "  opsflow ticket answer $id --answer 'Use https://id.example.com/reset' && "
                  "opsflow ticket close $id");
    register_new(group, state);
    register_analyze(group, state);
    register_answer(group, state);
    register_close_reopen_note(group, state);
    register_escalate(group, state);
    register_show_list(group, state);
}

} // namespace opsflow::cli
