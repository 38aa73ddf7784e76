// opsflow maint VERB ...: scheduled maintenance, SPEC §1 steps 2.1-2.5.
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/work/maintenance.hpp"
#include "output.hpp"
#include "record_view.hpp"

#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <regex>

namespace opsflow::cli {

namespace {

// The end of a window: --end, or --start plus --duration.
Timestamp window_end(Cli& cli, const CLI::App* cmd, Timestamp start, const std::string& end,
                     const std::string& duration) {
    if (cmd->count("--end") && cmd->count("--duration"))
        throw UsageError(tr("give --end or --duration, not both"));
    if (cmd->count("--end")) return *cli.time_option(end, "--end");
    if (cmd->count("--duration")) return start + parse_duration(duration, "--duration").wall();
    throw UsageError(tr("the window needs --end TIME or --duration D"));
}

// `--occurrence DATE|TIME` of a series: a date names the occurrence on that day.
std::optional<OccurrenceRef> occurrence_option(Cli& cli, const std::string& text) {
    auto at = cli.time_option(text, "--occurrence");
    if (!at) return std::nullopt;
    static const std::regex day(R"([0-9]{4}-[0-9]{2}-[0-9]{2})");
    return OccurrenceRef{*at, std::regex_match(text, day)};
}

void add_occurrence_option(CLI::App& command, std::string& value) {
    command.add_option("--occurrence", value,
                       tr("For a series: the occurrence, by its date or a time in its window"));
}

// Prints how a notice went; a failed delivery is an error (exit 1) after the record change is kept.
void report_delivery(Cli& cli, const NotifyResult& r, const Store& store) {
    if (!r.delivery) return;
    const auto& d = *r.delivery;
    if (!d.delivery.ok)
        throw RuntimeError(tr("delivery of the notice for {0} by {1} failed: {2}; the notice is "
                              "archived and recorded, retry with: opsflow maint notify {0}",
                              r.id, transport_name(d.transport), d.delivery.error));
    if (d.transport == Transport::none || d.recipients == 0)
        cli.confirm(d.recipients == 0
                        ? tr("{}: notice archived (notify.transport is none, no recipients)", r.id)
                        : tr("{}: notice archived (notify.transport is none)", r.id));
    else if (r.retried)
        cli.confirm(tr("{}: retry delivered by {} to {} recipient(s)", r.id,
                       transport_name(store.settings().notify.transport), d.recipients));
    else
        cli.confirm(tr("{}: delivered by {} to {} recipient(s)", r.id,
                       transport_name(store.settings().notify.transport), d.recipients));
}

void register_plan(CLI::App* group, Cli& state) {
    struct O {
        std::string title, start, end, duration, owner, recurrence, description, impact;
        std::vector<std::string> services, tasks;
        bool strict = false;
        MutationOptions m;
    };
    auto opts = std::make_shared<O>();
    auto* command =
        verb<O>(group, state, "plan", tr("Plan a maintenance window (prints the new ID)"),
                "id=$(opsflow maint plan '邮件系统升级' --start '2026-12-05 22:00' "
                "--duration 4h --services mail \\\n"
                "         --impact '22:00-02:00 邮件无法收发' --task 'backup' --task "
                "'upgrade' --recurrence 'FREQ=MONTHLY;BYDAY=1SA')",
                opts, [](Cli& cli, CLI::App* cmd, O& o) {
                    MaintenancePlan plan;
                    plan.title = o.title;
                    plan.start = *cli.time_option(o.start, "--start");
                    plan.start_typed = typed_local_time(o.start);
                    plan.end = window_end(cli, cmd, plan.start, o.end, o.duration);
                    plan.services = o.services;
                    plan.owner = given(cmd, "--owner", o.owner);
                    plan.recurrence = given(cmd, "--recurrence", o.recurrence);
                    plan.description = given(cmd, "--description", o.description);
                    if (plan.description) plan.description = text_argument(*plan.description);
                    plan.impact = given(cmd, "--impact", o.impact);
                    plan.tasks = o.tasks;
                    plan.conflicts = o.strict ? ConflictPolicy::refuse : ConflictPolicy::warn;
                    plan.at = cli.time_option(o.m.at, "--at");
                    auto ctx = cli.context(o.m);
                    PlanResult r = plan_maintenance(ctx, plan);
                    for (const auto& c : r.conflicts)
                        std::cerr << "opsflow: " << tr("warning: overlaps {}", c) << '\n';
                    std::cout << r.change.record.id() << '\n';
                });
    command->add_option("TITLE", opts->title, tr("What is done, in one line"))->required();
    command->add_option("--start", opts->start, tr("When it starts"))->required();
    command->add_option("--end", opts->end, tr("When it ends"));
    command->add_option("--duration", opts->duration, tr("How long it lasts: 4h, 1h30m, 2d"));
    command
        ->add_option("--services", opts->services,
                     tr("Affected services (comma-separated ids from services.yaml)"))
        ->delimiter(',')
        ->required();
    command->add_option("--owner", opts->owner, tr("Who is responsible (a team.yaml id)"));
    command->add_option("--recurrence", opts->recurrence,
                        tr("An iCalendar RRULE: FREQ=MONTHLY;BYDAY=1SA"));
    command->add_option("--description", opts->description,
                        tr("What will be done; - reads standard input"));
    command->add_option("--impact", opts->impact, tr("What users will notice"));
    command->add_option("--task", opts->tasks, tr("A step of the work (repeatable)"));
    command->add_flag("--strict", opts->strict,
                      tr("Refuse a window that overlaps another on the same service"));
    add_mutation_options(*command, opts->m);
}

void register_notify(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::vector<std::string> to;
        bool late = false, dry_run = false;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "notify",
        tr("Announce a window to its services' subscribers, with a calendar invitation"),
        "opsflow maint notify 7c1d --to helpdesk@example.com --dry-run", opts,
        [](Cli& cli, CLI::App*, O& o) {
            NotifyRequest req{o.to, o.late ? NoticeTiming::allow_late : NoticeTiming::on_time_only,
                              o.dry_run ? RunMode::dry_run : RunMode::real,
                              cli.time_option(o.m.at, "--at")};
            auto ctx = cli.context(o.m);
            NotifyResult r = notify_maintenance(ctx, o.id, req);
            if (o.dry_run) {
                std::cout << r.message;
                return;
            }
            if (!r.retried) cli.confirm(tr("{}: notice recorded", r.id));
            report_delivery(cli, r, cli.store());
        },
        tr("Maintenance ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--to", o.to, tr("Also send to this address (repeatable)"));
            command.add_flag(
                "--late", o.late,
                tr("Send although it is later than maintenance.notice_lead before the start"));
            command.add_flag("--dry-run", o.dry_run,
                             tr("Print the message that would be sent; change nothing"));
        });
}

void register_start(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string occurrence;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "start",
        tr("Record that the work has started; for a series, the occurrence due now or next"),
        "opsflow maint start 7c1d --occurrence 2026-12-13", opts,
        [](Cli& cli, CLI::App*, O& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, start_maintenance(ctx, o.id, occurrence_option(cli, o.occurrence),
                                                cli.time_option(o.m.at, "--at")));
        },
        tr("Maintenance ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) { add_occurrence_option(command, o.occurrence); });
}

void register_skip(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string occurrence, reason;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "skip",
        tr("Skip one occurrence of a series; once announced, its recipients get the update"),
        "opsflow maint skip 7c1d --occurrence 2026-12-27 --reason '节假日停机窗口取消'", opts,
        [](Cli& cli, CLI::App*, O& o) {
            auto ctx = cli.context(o.m);
            NotifyResult r = skip_occurrence(ctx, o.id, *occurrence_option(cli, o.occurrence),
                                             o.reason, cli.time_option(o.m.at, "--at"));
            cli.confirm(tr("{}: skipped", r.id));
            report_delivery(cli, r, cli.store());
        },
        tr("Maintenance series ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command
                .add_option("--occurrence", o.occurrence,
                            tr("The occurrence, by its date or a time in its window"))
                ->required();
            command.add_option("--reason", o.reason, tr("Why"))->required();
        });
}

void register_task(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::size_t step = 0;
        bool done = false;
        std::string note, occurrence;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "task", tr("Tick a numbered task step as done"),
        "opsflow maint task 7c1d 2 --done --note '备份校验通过'", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            auto ctx = cli.context(o.m);
            print_change(cli,
                         tick_task(ctx, o.id, occurrence_option(cli, o.occurrence), o.step,
                                   given(cmd, "--note", o.note), cli.time_option(o.m.at, "--at")));
        },
        tr("Maintenance ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("STEP", o.step, tr("The step's number: 1 for the first"))
                ->required();
            command.add_flag("--done", o.done, tr("Mark it done"))->required();
            command.add_option("--note", o.note, tr("What was found or done"));
            add_occurrence_option(command, o.occurrence);
        });
}

void register_done(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string result, notes, skip_tasks, docs, occurrence;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "done", tr("Record how the work ended and what was done"),
        "opsflow maint done 7c1d --result completed --notes '升级到 2.4' --docs '更新了回退步骤'",
        opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            MaintenanceFinish req;
            req.result = o.result;
            req.notes = given(cmd, "--notes", o.notes);
            if (req.notes) req.notes = text_argument(*req.notes);
            req.skip_tasks = given(cmd, "--skip-tasks", o.skip_tasks);
            req.docs = given(cmd, "--docs", o.docs);
            req.occurrence = occurrence_option(cli, o.occurrence);
            auto ctx = cli.context(o.m);
            print_change(cli, finish_maintenance(ctx, o.id, req, cli.time_option(o.m.at, "--at")));
        },
        tr("Maintenance ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--result", o.result, tr("completed, partial or failed"))
                ->required()
                ->check(CLI::IsMember(
                    as_strings(workflow_of(RecordKind::maintenance).targets("done"))));
            command.add_option("--notes", o.notes,
                               tr("What was done (required); - reads standard input"));
            command.add_option("--docs", o.docs,
                               tr("What else changed in the services' documents"));
            command.add_option("--skip-tasks", o.skip_tasks,
                               tr("Why task steps were left unticked (recorded)"));
            add_occurrence_option(command, o.occurrence);
        });
}

void register_evaluate(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        int rating = 0;
        std::string notes, window = "30d";
        std::vector<std::string> measures;
        std::string occurrence;
        bool partial = false;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "evaluate",
        tr("Rate the effect; incidents on its services per 30 days before and after"),
        "opsflow maint evaluate 7c1d --rating 4 --window 14d --measure p95_ms=850->420", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            MaintenanceEvaluation req;
            req.rating = o.rating;
            req.notes = given(cmd, "--notes", o.notes);
            req.window = parse_duration(o.window, "--window");
            req.timing =
                o.partial ? EvaluationTiming::allow_partial : EvaluationTiming::complete_windows;
            for (const auto& m : o.measures)
                req.measures.push_back(parse_measure(m));
            req.occurrence = occurrence_option(cli, o.occurrence);
            auto ctx = cli.context(o.m);
            print_change(cli,
                         evaluate_maintenance(ctx, o.id, req, cli.time_option(o.m.at, "--at")));
        },
        tr("Maintenance ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--rating", o.rating, tr("1 (poor) to 5 (excellent)"))->required();
            command.add_option("--notes", o.notes, tr("The assessment"));
            command.add_option("--window", o.window,
                               tr("Length of the spans compared (default 30d); the evaluation "
                                  "waits until this long after the end"));
            command.add_flag("--partial", o.partial,
                             tr("Evaluate before the window has passed (recorded as partial)"));
            command.add_option("--measure", o.measures,
                               tr("A measured figure, NAME=BEFORE->AFTER[UNIT]: p95_ms=850->420 "
                                  "(repeatable)"));
            add_occurrence_option(command, o.occurrence);
        });
}

void register_reschedule(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string start, end, duration;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "reschedule", tr("Move a window; an announced one must be announced again"),
        "opsflow maint reschedule 7c1d --start '2026-12-12 22:00' --duration 4h", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            Timestamp start = *cli.time_option(o.start, "--start");
            Timestamp end = window_end(cli, cmd, start, o.end, o.duration);
            auto ctx = cli.context(o.m);
            print_change(cli, reschedule_maintenance(ctx, o.id, start, end,
                                                     cli.time_option(o.m.at, "--at"),
                                                     typed_local_time(o.start)));
        },
        tr("Maintenance ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--start", o.start, tr("The new start"))->required();
            command.add_option("--end", o.end, tr("The new end"));
            command.add_option("--duration", o.duration, tr("The new length"));
        });
}

void register_cancel(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string reason;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "cancel", tr("Cancel a window; if it was announced, a cancellation is sent"),
        "opsflow maint cancel 7c1d --reason 'vendor patch withdrawn'", opts,
        [](Cli& cli, CLI::App*, O& o) {
            auto ctx = cli.context(o.m);
            NotifyResult r =
                cancel_maintenance(ctx, o.id, o.reason, cli.time_option(o.m.at, "--at"));
            cli.confirm(tr("{}: cancelled", r.id));
            report_delivery(cli, r, cli.store());
        },
        tr("Maintenance ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--reason", o.reason, tr("Why"))->required();
        });
}

void register_note(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string text;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "note", tr("Add a note to the history (e.g. documentation updated)"),
        "opsflow maint note 7c1d '已更新系统文档 wiki/mail'", opts,
        [](Cli& cli, CLI::App*, O& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, note_maintenance(ctx, o.id, text_argument(o.text),
                                               cli.time_option(o.m.at, "--at")));
        },
        tr("Maintenance ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("TEXT", o.text, tr("The note; - reads standard input"))->required();
        });
}

void register_list(CLI::App* group, Cli& state) {
    struct O {
        std::vector<std::string> status;
        std::string service, since, until, upcoming, now;
        bool json = false;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(
        group, state, "list",
        tr("List windows by start; --upcoming lists the next occurrences, recurrences expanded"),
        "opsflow maint list --upcoming 60d --service mail", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            Store& store = cli.store();
            MaintenanceFilter f{o.status, given(cmd, "--service", o.service),
                                cli.time_option(o.since, "--since"),
                                cli.time_option(o.until, "--until")};
            std::vector<std::string> problems;
            if (cmd->count("--upcoming")) f.since.reset(), f.until.reset();
            auto windows = list_maintenance(store, f, problems);
            warn_skipped(problems);
            if (!cmd->count("--upcoming")) {
                std::cout << render_maintenance_list(windows, store, o.json ? "json" : "table",
                                                     cli.color_enabled());
                return;
            }
            Timestamp now = cli.time_option(o.now.empty() ? "now" : o.now, "--now").value();
            auto span =
                parse_duration(o.upcoming.empty() ? "30d" : o.upcoming, "--upcoming").wall();
            auto upcoming = upcoming_occurrences(windows, store, now, now + span);
            std::cout << render_occurrences(upcoming.occurrences, store, o.json);
            for (const auto& [window, last] : upcoming.cut_short)
                std::cerr << "opsflow: "
                          << tr("warning: {} has more than {} occurrences in the period; listed "
                                "them up to {} (run: opsflow maint list --upcoming {} --now '{}' "
                                "for the next ones)",
                                window->id(), max_listed_occurrences,
                                format_rfc3339(last, store.settings().zone),
                                o.upcoming.empty() ? "30d" : o.upcoming,
                                format_rfc3339(last + std::chrono::seconds(1),
                                               store.settings().zone))
                          << '\n';
        });
    add_status_filter(command, RecordKind::maintenance, opts->status);
    command->add_option("--service", opts->service, tr("Only windows on this service"));
    command->add_option("--since", opts->since, tr("Windows starting at or after this time"));
    command->add_option("--until", opts->until, tr("Windows starting before this time"));
    command
        ->add_option("--upcoming", opts->upcoming,
                     tr("Occurrences within D from now (default 30d)"))
        ->expected(0, 1);
    command->add_option("--now", opts->now, tr("The time taken as now (for --upcoming)"));
    command->add_flag("--json", opts->json, tr("Print JSON"));
}

void register_calendar(CLI::App* group, Cli& state) {
    struct O {
        std::string output;
    };
    auto opts = std::make_shared<O>();
    auto* command =
        verb<O>(group, state, "calendar", tr("All windows as one iCalendar file to subscribe to"),
                "opsflow maint calendar -o /var/www/ops/maintenance.ics", opts,
                [](Cli& cli, CLI::App*, O& o) {
                    std::string ics = maintenance_calendar(cli.store(), cli.now());
                    write_output(o.output, ics);
                });
    command->add_option("-o,--output", opts->output,
                        tr("Write to FILE instead of standard output"));
}

} // namespace

void register_maint_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand(
        "maint", tr("Plan, announce, carry out, record and evaluate maintenance windows"));
    group->require_subcommand(1);
    group->footer(tr("Lifecycle:") +
                  " planned -> notified -> in_progress -> completed | partial | failed "
                  "-> evaluated\n" +
                  tr("Example:") +
                  "\n  id=$(opsflow maint plan 'DB patch' --start '2026-12-05 22:00' "
                  "--duration 2h --services erp)\n"
                  "  opsflow maint notify $id && opsflow maint start $id && opsflow maint done $id "
                  "--result completed");
    register_plan(group, state);
    register_notify(group, state);
    register_start(group, state);
    register_task(group, state);
    register_done(group, state);
    register_evaluate(group, state);
    register_reschedule(group, state);
    register_skip(group, state);
    register_cancel(group, state);
    register_note(group, state);
    register_show_verb(group, state, RecordKind::maintenance,
                       tr("Show one window, its notices and history"), "opsflow maint show 7c1d",
                       render_maintenance);
    register_list(group, state);
    register_calendar(group, state);
}

void register_docs_command(CLI::App& app, Cli& state) {
    struct O {
        std::string service;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(
        &app, state, "docs",
        tr("A service's maintenance document (services.yaml docs:) and its history from git"),
        "opsflow docs mail", opts, [](Cli& cli, CLI::App*, O& o) {
            ServiceDocs docs = service_docs(cli.store(), o.service);
            std::cout << docs.path << (docs.exists ? "" : "  " + tr("(not written yet)")) << '\n';
            if (docs.history.empty()) return;
            Table table({tr("DATE"), tr("COMMIT"), tr("AUTHOR"), tr("CHANGE")});
            for (const auto& c : docs.history)
                table.add_row({c.date, c.commit, c.author, c.subject});
            std::cout << table.render(cli.color_enabled(), terminal_width());
        });
    command->add_option("SERVICE", opts->service, tr("A service id from services.yaml"))
        ->required();
}

} // namespace opsflow::cli
