// opsflow report: service measurement and findings, SPEC §8.
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/report/redact.hpp"
#include "opsflow/report/report.hpp"
#include "output.hpp"
#include "report_view.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

void register_report_command(CLI::App& app, Cli& state) {
    struct O {
        std::string from, to, now, service, category, format = "text", output;
        bool redact = false, compare = false;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(
        &app, state, "report", tr("Service figures of a period and the problems they point at"),
        "opsflow report --from 2026-11-01 --to 2026-12-01 --format html -o report-2026-11.html",
        opts, [](Cli& cli, CLI::App* cmd, O& o) {
            Store& store = cli.store();
            // What scripts read (json, csv) is English; what people read is in the
            // operator's language, or the store's when written to a file (--lang: both).
            LanguageScope language(o.format == "json" || o.format == "csv" ? Language::en
                                   : o.output.empty()                      ? current_language()
                                                      : store.settings().language);
            ReportRequest request;
            request.now = *cli.time_option(o.now.empty() ? "now" : o.now, "--now");
            if (!o.to.empty()) request.to = cli.time_option(o.to, "--to");
            if (!o.from.empty()) request.from = cli.time_option(o.from, "--from");
            request.scope = {given(cmd, "--service", o.service),
                             given(cmd, "--category", o.category)};
            request.compare = o.compare;
            request.every_record = o.redact;
            auto [report, facts] = run_report(store, request);
            warn_skipped(facts.problems);
            std::string text;
            if (o.format == "json")
                text = to_json(report).dump(2) + "\n";
            else if (o.format == "markdown")
                text = report_markdown(report);
            else if (o.format == "csv")
                text = report_csv(report);
            else if (o.format == "html")
                text = report_html(report);
            else
                text = report_text(report);
            if (o.redact) text = Redactor(store, facts).apply(text);
            write_output(o.output, text);
        });
    command->add_option("--from", opts->from,
                        tr("Start of the period (default: 30 days before --to)"));
    command->add_option("--to", opts->to, tr("End of the period, exclusive (default: now)"));
    command->add_option("--now", opts->now, tr("The time taken as now"));
    command->add_option("--service", opts->service, tr("Only this service"));
    command->add_option("--category", opts->category, tr("Only this category"));
    command->add_option("--format", opts->format, tr("text, markdown, json, csv or html"))
        ->check(CLI::IsMember({"text", "markdown", "json", "csv", "html"}));
    command->add_option("-o,--output", opts->output, tr("Write to FILE"));
    command->add_flag("--redact", opts->redact,
                      tr("Replace names, e-mail addresses and phone numbers with pseudonyms"));
    command->add_flag("--compare", opts->compare,
                      tr("Add the previous period of equal length and the change"));
}

} // namespace opsflow::cli
