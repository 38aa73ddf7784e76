// opsflow incident VERB ...: the incident process of SPEC §1 steps 1.1-1.7.
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/vocabulary.hpp"
#include "opsflow/work/incident.hpp"
#include "output.hpp"
#include "record_view.hpp"
#include "similar_view.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

namespace {

struct ClassifyOptions {
    std::string service, category, impact, urgency, priority, reason;
};

void add_classify_options(CLI::App* cmd, ClassifyOptions& o) {
    cmd->add_option("--service", o.service, tr("Affected service (an id from services.yaml)"));
    cmd->add_option("--category", o.category,
                    tr("Fault category (from categories in opsflow.yaml)"));
    cmd->add_option("--impact", o.impact, tr("Impact: high, medium or low"));
    cmd->add_option("--urgency", o.urgency, tr("Urgency: high, medium or low"));
    cmd->add_option("--priority", o.priority,
                    tr("Override the priority matrix: P1..P4 (needs --reason)"));
    cmd->add_option("--reason", o.reason, tr("Why the priority is overridden"));
}

Classification classification(const CLI::App* cmd, const ClassifyOptions& o) {
    return Classification{
        given(cmd, "--service", o.service),   given(cmd, "--category", o.category),
        given(cmd, "--impact", o.impact),     given(cmd, "--urgency", o.urgency),
        given(cmd, "--priority", o.priority), given(cmd, "--reason", o.reason)};
}

void register_new(CLI::App* group, Cli& state) {
    struct O : ClassifyOptions {
        std::string title, reporter, channel = "other", description, assign;
        bool auto_assign = false, edit = false, json = false;
        MutationOptions m;
    };
    auto opts = std::make_shared<O>();
    auto* command =
        verb<O>(group, state, "new", tr("Record a reported fault (prints the new ID)"),
                "id=$(opsflow incident new 'VPN 无法连接' --service vpn --category network \\\n"
                "         --impact high --urgency medium --reporter '张三 <zhangsan@example.com>' "
                "--channel phone)",
                opts, [](Cli& cli, CLI::App* cmd, O& o) {
                    NewIncident req;
                    req.title = o.title;
                    req.classification = classification(cmd, o);
                    req.reporter = given(cmd, "--reporter", o.reporter);
                    req.channel = o.channel;
                    req.description = long_text(given(cmd, "--description", o.description), o.edit,
                                                "description");
                    if (o.auto_assign)
                        req.assign_mode = AssignMode::automatic;
                    else if (cmd->count("--assign"))
                        req.assign_mode = AssignMode::person, req.assignee = o.assign;
                    req.at = cli.time_option(o.m.at, "--at");
                    auto ctx = cli.context(o.m);
                    Change c = report_incident(ctx, req);
                    print_created(cli, c.record, o.json);
                });
    command->add_option("TITLE", opts->title, tr("What is wrong, in one line"))->required();
    add_classify_options(command, *opts);
    command->add_option("--reporter", opts->reporter,
                        tr("Who reported it: 'Name <email>', a phone number... (default: you)"));
    command->add_option("--channel", opts->channel,
                        tr("How it came in: ticket, phone, email, monitoring, walk-in, other"));
    command->add_option("--description", opts->description, tr("Details; - reads standard input"));
    command->add_flag("--edit", opts->edit, tr("Write the description in $VISUAL/$EDITOR"));
    auto* assign = command->add_option("--assign", opts->assign, tr("Assign to PERSON at once"));
    command
        ->add_flag("--auto-assign", opts->auto_assign,
                   tr("Assign by the routing rules of opsflow.yaml"))
        ->excludes(assign);
    add_created_json_flag(*command, opts->json);
    add_mutation_options(*command, opts->m);
}

void register_classify(CLI::App* group, Cli& state) {
    struct O : ClassifyOptions, IdAndMutation {};
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "classify",
        tr("Set service, category, impact, urgency; recompute priority and SLA"),
        "opsflow incident classify 3f9a --impact high --urgency high\n"
        "  opsflow incident classify 3f9a --priority P1 --reason 'CEO cannot mail'",
        opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, classify_incident(ctx, o.id, classification(cmd, o),
                                                cli.time_option(o.m.at, "--at")));
        },
        tr("Incident ID or unambiguous prefix"),
        [](CLI::App& command, O& o) { add_classify_options(&command, o); });
}

void register_assign(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string to, note;
        bool automatic = false;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "assign", tr("Assign to a technician, by hand or by the routing rules"),
        "opsflow incident assign 3f9a --to lisi\n  opsflow incident assign 3f9a --auto", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            if (!o.automatic && !cmd->count("--to"))
                throw UsageError(tr("incident assign needs --to PERSON or --auto"));
            auto ctx = cli.context(o.m);
            print_change(cli,
                         assign_incident(
                             ctx, o.id, o.automatic ? AssignMode::automatic : AssignMode::person,
                             o.to, given(cmd, "--note", o.note), cli.time_option(o.m.at, "--at")));
        },
        tr("Incident ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            auto* to = command.add_option("--to", o.to, tr("The technician (a team.yaml id)"));
            command.add_flag("--auto", o.automatic, tr("Pick by the routing rules"))->excludes(to);
            command.add_option("--note", o.note, tr("Why this person"));
        });
}

// Verbs that take an ID and one required or optional text.
struct TextVerb {
    const char* name;
    std::string description;
    const char* example;
    const char* option; // "--cause"; nullptr: positional TEXT
    std::string option_help;
    bool required;
    std::function<Change(Context&, const std::string& id, const std::optional<std::string>& text,
                         std::optional<Timestamp>)>
        run;
};

void register_text_verb(CLI::App* group, Cli& state, const TextVerb& v) {
    struct O : IdAndMutation {
        std::string text;
        bool edit = false;
    };
    auto opts = std::make_shared<O>();
    std::string option = v.option ? v.option : "TEXT";
    auto run = v.run;
    bool required = v.required;
    change_verb<O>(
        group, state, v.name, v.description, v.example, opts,
        [option, run, required](Cli& cli, CLI::App* cmd, O& o) {
            auto text = long_text(given(cmd, option, o.text), o.edit,
                                  option.substr(option.find_first_not_of('-')));
            if (required && !text) throw UsageError(tr("{} is required (or --edit)", option));
            auto ctx = cli.context(o.m);
            print_change(cli, run(ctx, o.id, text, cli.time_option(o.m.at, "--at")));
        },
        tr("Incident ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option(option, o.text, tr("{}; - reads standard input", v.option_help));
            command.add_flag("--edit", o.edit, tr("Write the text in $VISUAL/$EDITOR"));
        });
}

void register_fix(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string resolution, cause;
        bool edit = false;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "fix", tr("Record the fix: the incident becomes resolved"),
        "opsflow incident fix 3f9a --resolution '重启 VPN 网关并更新证书' --cause 'certificate "
        "expired'",
        opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            auto resolution =
                long_text(given(cmd, "--resolution", o.resolution), o.edit, "resolution");
            if (!resolution) throw UsageError(tr("{} is required (or --edit)", "--resolution"));
            auto ctx = cli.context(o.m);
            print_change(cli, fix_incident(ctx, o.id, *resolution, given(cmd, "--cause", o.cause),
                                           cli.time_option(o.m.at, "--at")));
        },
        tr("Incident ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--resolution", o.resolution,
                               tr("What was done; - reads standard input"));
            command.add_option("--cause", o.cause, tr("The cause, if not diagnosed before"));
            command.add_flag("--edit", o.edit, tr("Write the resolution in $VISUAL/$EDITOR"));
        });
}

void register_verify(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        bool passed = false, failed = false;
        std::string note;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "verify",
        tr("Verify the fix: --passed, or --failed to send it back to diagnosing"),
        "opsflow incident verify 3f9a --passed --note 'user confirmed by phone'", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            if (o.passed == o.failed)
                throw UsageError(tr("incident verify needs exactly one of --passed or --failed"));
            auto ctx = cli.context(o.m);
            print_change(cli, verify_incident(
                                  ctx, o.id, o.passed ? VerifyResult::passed : VerifyResult::failed,
                                  given(cmd, "--note", o.note), cli.time_option(o.m.at, "--at")));
        },
        tr("Incident ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_flag("--passed", o.passed, tr("The fix works"));
            command.add_flag("--failed", o.failed,
                             tr("The fix does not work: back to diagnosing (counts as a reopen)"));
            command.add_option("--note", o.note, tr("How it was verified"));
        });
}

void register_close(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string feedback;
        bool no_notify = false, edit = false;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "close", tr("Close a verified incident, recording what the user was told"),
        "opsflow incident close 3f9a --feedback '已恢复，请重新连接 VPN'", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            auto ctx = cli.context(o.m);
            NoticeRun run = close_incident(
                ctx, o.id, long_text(given(cmd, "--feedback", o.feedback), o.edit, "feedback"),
                o.no_notify ? NoticeMode::suppress : NoticeMode::send,
                cli.time_option(o.m.at, "--at"));
            print_change(cli, run.change);
            report_notices(cli, run);
        },
        tr("Incident ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--feedback", o.feedback,
                               tr("What the reporter is told (required); - reads standard input"));
            command.add_flag("--edit", o.edit, tr("Write the feedback in $VISUAL/$EDITOR"));
            command.add_flag("--no-notify", o.no_notify,
                             tr("Do not send the feedback to the reporter"));
        });
}

void register_cancel(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string reason, duplicate_of;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "cancel",
        tr("End an incident that is not resolved (a duplicate, a false alarm)"),
        "opsflow incident cancel 3f9a --reason 'same as INC-7c1d' --duplicate-of 7c1d", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            auto ctx = cli.context(o.m);
            print_change(cli, cancel_incident(ctx, o.id, o.reason,
                                              given(cmd, "--duplicate-of", o.duplicate_of),
                                              cli.time_option(o.m.at, "--at")));
        },
        tr("Incident ID or unambiguous prefix"),
        [&](CLI::App& command, O& o) {
            command.add_option("--reason", o.reason, tr("Why"))->required();
            command.add_option("--duplicate-of", o.duplicate_of,
                               tr("The incident this one duplicates (linked)"));
        });
}

void register_log(CLI::App* group, Cli& state) {
    struct O {
        std::string id;
    };
    auto opts = std::make_shared<O>();
    auto* command =
        verb<O>(group, state, "log", tr("Show the recorded events of one incident, oldest first"),
                "opsflow incident log 3f9a", opts, [](Cli& cli, CLI::App*, O& o) {
                    Store& store = cli.store();
                    Record r =
                        store.load(RecordKind::incident, store.locate(RecordKind::incident, o.id));
                    std::cout << render_events(r, store, cli.color_enabled());
                });
    command->add_option("ID", opts->id, tr("Incident ID or unambiguous prefix"))->required();
}

void register_list(CLI::App* group, Cli& state) {
    struct O {
        std::vector<std::string> status, priority;
        std::string service, category, assignee, since, until, format = "table";
        bool open = false, json = false;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(
        group, state, "list", tr("List incidents, oldest first, with filters"),
        "opsflow incident list --open --priority P1,P2\n"
        "  opsflow incident list --since 2026-11-01 --format csv > november.csv",
        opts, [](Cli& cli, CLI::App* cmd, O& o) {
            Store& store = cli.store();
            IncidentFilter f;
            f.statuses = o.status;
            f.priorities = o.priority;
            f.service = given(cmd, "--service", o.service);
            f.category = given(cmd, "--category", o.category);
            f.assignee = given(cmd, "--assignee", o.assignee);
            f.since = cli.time_option(o.since, "--since");
            f.until = cli.time_option(o.until, "--until");
            f.open_only = o.open;
            std::string format = o.json ? "json" : o.format;
            if (format == "json") {
                std::vector<std::string> problems;
                JsonArrayWriter array(std::cout);
                list_incidents(
                    store, f,
                    [](const Record& r) { return canonical_json(r.doc(), r.kind(), 2, 1); },
                    [&](std::string&& element) { array.add(element); }, problems);
                array.finish();
                warn_skipped(problems);
                return;
            }
            StoreFacts chosen = select_incidents(store, f);
            warn_skipped(chosen.problems);
            std::cout << render_incident_list(chosen.incidents, store, format, cli.color_enabled());
        });
    add_status_filter(command, RecordKind::incident, opts->status);
    command->add_option("--priority", opts->priority, tr("Only these priorities (comma-separated)"))
        ->delimiter(',')
        ->check(CLI::IsMember(vocabulary::as_list(vocabulary::priorities)));
    command->add_option("--service", opts->service, tr("Only this service"));
    command->add_option("--category", opts->category, tr("Only this category"));
    command->add_option("--assignee", opts->assignee, tr("Only incidents assigned to PERSON"));
    command->add_option("--since", opts->since, tr("Reported at or after this time"));
    command->add_option("--until", opts->until, tr("Reported before this time"));
    command->add_flag("--open", opts->open, tr("Only incidents not closed or cancelled"));
    command->add_flag("--json", opts->json, tr("Print a JSON array of records"));
    command->add_option("--format", opts->format, tr("table, csv or json"))
        ->check(CLI::IsMember({"table", "csv", "json"}));
}

} // namespace

void register_incident_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand(
        "incident", tr("Report, classify, assign, diagnose, fix, verify and close incidents"));
    group->require_subcommand(1);
    group->footer(tr("Lifecycle:") +
                  " new -> assigned -> diagnosing -> resolved -> verified -> closed\n" +
                  tr("Example:") +
                  "\n  id=$(opsflow incident new 'Mail delayed' --service mail --impact "
                  "medium --urgency high)\n"
                  "  opsflow incident assign $id --auto && opsflow incident fix $id --resolution "
                  "'queue flushed'");
    register_new(group, state);
    register_classify(group, state);
    register_assign(group, state);
    const TextVerb text_verbs[] = {
        {"diagnose", tr("Record the diagnosed cause"),
         "opsflow incident diagnose 3f9a --cause 'VPN 网关证书过期'", "--cause", tr("The cause"),
         true,
         [](Context& c, const std::string& id, const auto& t, auto at) {
             return diagnose_incident(c, id, *t, at);
         }},
        {"hold", tr("Pause an open incident (its SLA clock stops)"),
         "opsflow incident hold 3f9a --reason 'waiting for vendor'", "--reason", tr("Why it waits"),
         true,
         [](Context& c, const std::string& id, const auto& t, auto at) {
             return hold_incident(c, id, *t, at);
         }},
        {"resume", tr("Resume an incident on hold"),
         "opsflow incident resume 3f9a --note 'vendor sent the part'", "--note", tr("What changed"),
         false,
         [](Context& c, const std::string& id, const auto& t, auto at) {
             return resume_incident(c, id, t, at);
         }},
        {"reopen", tr("Reopen a resolved, verified or closed incident"),
         "opsflow incident reopen 3f9a --reason 'fault is back'", "--reason", tr("Why"), true,
         [](Context& c, const std::string& id, const auto& t, auto at) {
             return reopen_incident(c, id, *t, at);
         }},
        {"note", tr("Add a note to the history"),
         "opsflow incident note 3f9a '已联系用户，等待回复'", nullptr, tr("The note"), true,
         [](Context& c, const std::string& id, const auto& t, auto at) {
             return note_incident(c, id, *t, at);
         }},
    };
    for (const auto& v : text_verbs)
        register_text_verb(group, state, v);
    register_fix(group, state);
    register_verify(group, state);
    register_close(group, state);
    register_cancel(group, state);
    register_show_verb(group, state, RecordKind::incident, tr("Show one incident with its history"),
                       "opsflow incident show 3f9a --json", render_incident);
    register_list(group, state);
    register_log(group, state);
}

} // namespace opsflow::cli
