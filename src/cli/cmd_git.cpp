// opsflow log ID, opsflow merge-driver %O %A %B %L %P: the record history and
// concurrent edits, through git.
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/check/merge.hpp"
#include "opsflow/store/history.hpp"
#include "output.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

namespace fs = std::filesystem;

namespace {

void register_log(CLI::App& app, Cli& state) {
    struct O {
        std::string id;
        bool json = false;
    };
    auto opts = std::make_shared<O>();
    auto* cmd = app.add_subcommand(
        "log", tr("A record's history from git: date, author, action, commit (follows moves)"));
    cmd->footer(tr("Example:") + "\n  opsflow log INC-3f9a1c2e\n  opsflow log 3f9a --json");
    cmd->add_option("ID", opts->id, tr("Record ID or unambiguous prefix (any kind)"))->required();
    cmd->add_flag("--json", opts->json, tr("Print JSON"));
    cmd->callback([&state, opts] {
        state.action = [&cli = state, opts] {
            Store& store = cli.store();
            auto history = record_history(store, opts->id);
            const auto* zone = store.settings().zone;
            if (opts->json) {
                auto array = nlohmann::ordered_json::array();
                for (const auto& h : history)
                    array.push_back({{"commit", h.commit},
                                     {"date", format_rfc3339(h.when, zone)},
                                     {"author", h.author},
                                     {"action", h.action},
                                     {"subject", h.subject},
                                     {"path", h.path}});
                std::cout << array.dump(2) << '\n';
                return;
            }
            // The subjects are the commit messages, in English like every commit's.
            Table table({tr("DATE"), tr("COMMIT"), tr("AUTHOR"), tr("ACTION"), tr("WHAT")});
            std::string previous_path;
            for (const auto& h : history) {
                std::string what = h.subject;
                if (!previous_path.empty() && h.path != previous_path)
                    what += tr(" (moved from {})", previous_path);
                previous_path = h.path;
                std::string date = format_rfc3339(h.when, zone).substr(0, 16);
                date[10] = ' ';
                table.add_row({date, h.commit.substr(0, 8), h.author,
                               h.action.empty() ? tr("(by hand)") : h.action, what},
                              {Color::none, Color::yellow});
            }
            std::cout << table.render(cli.color_enabled(), terminal_width());
        };
    });
}

void register_merge_driver(CLI::App& app, Cli& state) {
    struct O {
        std::string base, ours, theirs, path;
        int marker_size = 7;
    };
    auto opts = std::make_shared<O>();
    auto* cmd = app.add_subcommand(
        "merge-driver",
        tr("Three-way merge of one record, run by git (registered by opsflow init --hooks)"));
    cmd->footer(tr("git runs it as:") + " opsflow merge-driver %O %A %B %L %P\n" +
                tr("The result is written to %A; exit 0 when clean, 1 with conflict markers."));
    cmd->add_option("BASE", opts->base, tr("%O: the common ancestor's version"))->required();
    cmd->add_option("OURS", opts->ours, tr("%A: our version, replaced by the result"))->required();
    cmd->add_option("THEIRS", opts->theirs, tr("%B: their version"))->required();
    cmd->add_option("MARKER_SIZE", opts->marker_size, tr("%L: conflict marker size"));
    cmd->add_option("PATH", opts->path, tr("%P: the record's path in the repository"));
    cmd->callback([&state, opts] {
        state.action = [opts] {
            auto settings = settings_for_merge(opts->path);
            if (!settings)
                std::cerr << "opsflow: "
                          << tr("{}: opsflow.yaml cannot be read; priority and deadlines are "
                                "merged as they are, not set afresh",
                                opts->path)
                          << '\n';
            FileMerge result = merge_files(opts->base, opts->ours, opts->theirs, opts->path,
                                           opts->marker_size, settings ? &*settings : nullptr);
            if (result.as_text)
                std::cerr << "opsflow: "
                          << tr("{}: merged as text ({})", opts->path, result.why_text) << '\n';
            if (result.clean()) return;
            for (const auto& c : result.conflicts)
                std::cerr << "opsflow: " << tr("{}: conflict: {}", opts->path, c) << '\n';
            throw RefusedError(ntr("{}: {} conflict; edit the file, then git add it",
                                   "{}: {} conflicts; edit the file, then git add it",
                                   result.conflicts.size(), opts->path, result.conflicts.size()));
        };
    });
}

} // namespace

void register_git_commands(CLI::App& app, Cli& cli) {
    register_log(app, cli);
    register_merge_driver(app, cli);
}

} // namespace opsflow::cli
