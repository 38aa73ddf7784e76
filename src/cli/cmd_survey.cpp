// opsflow survey VERB ...: satisfaction surveys, SPEC §1 steps 3.4-3.5.
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/work/survey.hpp"
#include "output.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

namespace {

void register_send(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        bool dry_run = false;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "send", tr("Ask the reporter or requester how satisfied they are"),
        "opsflow survey send INC-3f9a --dry-run", opts,
        [](Cli& cli, CLI::App*, O& o) {
            auto ctx = cli.context(o.m);
            if (o.dry_run) {
                std::cout << preview_survey(ctx, o.id);
                return;
            }
            NoticeRun run = send_survey(ctx, o.id, cli.time_option(o.m.at, "--at"));
            print_change(cli, run.change);
            report_notices(cli, run);
        },
        tr("Incident or ticket ID (or prefix)"),
        [&](CLI::App& command, O& o) {
            command.add_flag("--dry-run", o.dry_run, tr("Print the request; change nothing"));
        });
}

void register_record(CLI::App* group, Cli& state) {
    struct O : IdAndMutation {
        std::string score, comment;
        bool replace = false;
    };
    auto opts = std::make_shared<O>();
    change_verb<O>(
        group, state, "record",
        tr("Record an answer (once; --replace keeps the first in the history)"),
        "opsflow survey record INC-3f9a --score 5 --comment '很快就解决了'", opts,
        [](Cli& cli, CLI::App* cmd, O& o) {
            int score = 0;
            try {
                score = parse_score(o.score);
            } catch (const UsageError& e) {
                throw UsageError(fmt::format("--score: {}", e.what()));
            }
            auto ctx = cli.context(o.m);
            print_change(cli,
                         record_survey(ctx, o.id, score, given(cmd, "--comment", o.comment),
                                       o.replace ? AnswerPolicy::replace : AnswerPolicy::first_only,
                                       cli.time_option(o.m.at, "--at")));
        },
        tr("Incident or ticket ID (or prefix)"),
        [&](CLI::App& command, O& o) {
            command
                .add_option("--score", o.score, tr("1 (very dissatisfied) to 5 (very satisfied)"))
                ->required();
            command.add_option("--comment", o.comment, tr("What they said"));
            command.add_flag("--replace", o.replace, tr("Replace an answer recorded before"));
        });
}

void register_import(CLI::App* group, Cli& state) {
    struct O {
        std::string file;
        MutationOptions m;
    };
    auto opts = std::make_shared<O>();
    auto* command =
        verb<O>(group, state, "import",
                tr("Import answers from CSV: id,score,comment,answered_at (all or nothing)"),
                "opsflow survey import answers-2026-11.csv", opts, [](Cli& cli, CLI::App*, O& o) {
                    auto ctx = cli.context(o.m);
                    std::size_t n = import_surveys(ctx, o.file);
                    cli.confirm(tr("{} survey answer(s) imported", n));
                });
    command
        ->add_option("FILE", opts->file,
                     tr("A CSV file with the header id,score,comment,answered_at"))
        ->required();
    command->add_flag("--no-commit", opts->m.no_commit,
                      tr("Write the records but do not commit them"));
}

void register_list(CLI::App* group, Cli& state) {
    struct O {
        bool json = false;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(
        group, state, "list", tr("List survey requests and answers"), "opsflow survey list --json",
        opts, [](Cli& cli, CLI::App*, O& o) {
            std::vector<std::string> problems;
            auto records = list_surveys(cli.store(), problems);
            warn_skipped(problems);
            if (o.json) {
                auto array = nlohmann::ordered_json::array();
                for (const auto& r : records) {
                    const Node& s = *r.doc().find("survey");
                    nlohmann::ordered_json row = {{"id", r.id()}, {"requester", requester_of(r)}};
                    row["sent_at"] = s.get("sent_at") ? nlohmann::json(*s.get("sent_at")) : nullptr;
                    row["score"] =
                        s.get("score") ? nlohmann::json(std::stoi(*s.get("score"))) : nullptr;
                    row["comment"] = s.get("comment") ? nlohmann::json(*s.get("comment")) : nullptr;
                    row["answered_at"] =
                        s.get("answered_at") ? nlohmann::json(*s.get("answered_at")) : nullptr;
                    array.push_back(row);
                }
                std::cout << array.dump(2) << '\n';
                return;
            }
            Table table({tr("ID"), tr("SENT"), tr("SCORE"), tr("ANSWERED"), tr("REQUESTER"),
                         tr("COMMENT")});
            for (const auto& r : records) {
                const Node& s = *r.doc().find("survey");
                auto when = [&](const char* key) {
                    std::string t = s.get(key).value_or("").substr(0, 16);
                    if (t.size() > 10) t[10] = ' ';
                    return t;
                };
                table.add_row({r.id(), when("sent_at"), s.get("score").value_or("—"),
                               when("answered_at"), requester_of(r),
                               s.get("comment").value_or("")});
            }
            std::cout << table.render(cli.color_enabled(), terminal_width());
        });
    command->add_flag("--json", opts->json, tr("Print JSON"));
}

} // namespace

void register_survey_commands(CLI::App& app, Cli& state) {
    auto* group = app.add_subcommand(
        "survey", tr("Satisfaction surveys: send requests, record and import answers"));
    group->require_subcommand(1);
    group->footer(tr("Requests go out by themselves when an incident is closed or a ticket "
                     "answered (survey.auto_send).") +
                  "\n" + tr("Example:") +
                  "\n  opsflow survey record TKT-5b2e --score 4 --comment 'clear answer'\n"
                  "  opsflow survey import answers.csv");
    register_send(group, state);
    register_record(group, state);
    register_import(group, state);
    register_list(group, state);
}

} // namespace opsflow::cli
