// opsflow import --kind KIND FILE, opsflow export --kind KIND: records in and out
// of other systems as CSV or JSON Lines.
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/transfer/transfer.hpp"
#include "output.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <iostream>

namespace opsflow::cli {

namespace {

const std::vector<std::string>& kind_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& kind : all_kinds())
            out.emplace_back(kind.name);
        return out;
    }();
    return names;
}

void register_import(CLI::App& app, Cli& state) {
    struct O {
        std::string kind, file;
        bool dry_run = false;
        MutationOptions m;
    };
    auto opts = std::make_shared<O>();
    auto* cmd = app.add_subcommand(
        "import", tr("Import records from another system (CSV with a header row, or JSON Lines)"));
    cmd->footer(tr("Every row is checked first; one bad row and nothing is written. The new IDs "
                   "are\nprinted, one per line. Examples:") +
                "\n"
                "  opsflow import --kind incident old-helpdesk.csv\n"
                "  opsflow import --kind ticket tickets.jsonl --dry-run");
    cmd->add_option("--kind", opts->kind, fmt::format("{}", fmt::join(kind_names(), ", ")))
        ->required()
        ->check(CLI::IsMember(kind_names()));
    cmd->add_option("FILE", opts->file, tr("A .csv or .jsonl file; - reads JSON Lines from stdin"))
        ->required();
    cmd->add_flag("--dry-run", opts->dry_run, tr("Check every row, write nothing"));
    cmd->add_flag("--no-commit", opts->m.no_commit, tr("Write the records but do not commit them"));
    cmd->callback([&state, opts] {
        state.action = [&cli = state, opts] {
            auto format = opts->file == "-" ? TransferFormat::jsonl : format_of_file(opts->file);
            std::string text =
                opts->file == "-" ? text_argument("-") : read_text_file(opts->file, 256u << 20);
            auto ctx = cli.context(opts->m);
            auto result = import_records(ctx, *kind_from_name(opts->kind), text, format,
                                         opts->file == "-" ? "stdin" : opts->file, opts->dry_run);
            for (const auto& id : result.ids)
                std::cout << id << '\n';
            // stdout holds the IDs alone, for scripts; what was done goes to stderr.
            if (cli.global.quiet) return;
            if (opts->dry_run)
                std::cerr << "opsflow: "
                          << ntr("dry run: {} row is good; nothing was written",
                                 "dry run: {} rows are good; nothing was written",
                                 result.ids.size(), result.ids.size())
                          << '\n';
            else if (!result.summary.local.empty())
                std::cerr << "opsflow: " << result.summary.local << '\n';
        };
    });
}

void register_export(CLI::App& app, Cli& state) {
    struct O {
        std::string kind, format = "jsonl", output;
        bool redact = false;
    };
    auto opts = std::make_shared<O>();
    auto* cmd = app.add_subcommand(
        "export",
        tr("Export every record of a kind as JSON Lines or CSV (imports back unchanged)"));
    cmd->footer(tr("Examples:") +
                "\n  opsflow export --kind incident > incidents.jsonl\n"
                "  opsflow export --kind ticket --format csv --redact -o tickets-for-vendor.csv");
    cmd->add_option("--kind", opts->kind, fmt::format("{}", fmt::join(kind_names(), ", ")))
        ->required()
        ->check(CLI::IsMember(kind_names()));
    cmd->add_option("--format", opts->format, tr("jsonl (default) or csv"))
        ->check(CLI::IsMember({"jsonl", "csv"}));
    cmd->add_flag("--redact", opts->redact,
                  tr("Replace names, e-mail addresses and phone numbers with stable pseudonyms"));
    cmd->add_option("-o,--output", opts->output, tr("Write to FILE"));
    cmd->callback([&state, opts] {
        state.action = [&cli = state, opts] {
            ExportOptions options{
                *kind_from_name(opts->kind),
                opts->format == "csv" ? TransferFormat::csv : TransferFormat::jsonl, opts->redact};
            std::vector<std::string> problems;
            OutputStream out(opts->output);
            export_records(cli.store(), options, out.writer(), problems);
            out.finish();
            warn_skipped(problems);
        };
    });
}

} // namespace

void register_transfer_commands(CLI::App& app, Cli& cli) {
    register_import(app, cli);
    register_export(app, cli);
}

} // namespace opsflow::cli
