// opsflow log ID, opsflow merge-driver %O %A %B %L %P: the record history and
// concurrent edits, through git.
#include "cli.hpp"
#include "opsflow/error.hpp"
#include "opsflow/history.hpp"
#include "opsflow/merge.hpp"
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
        "log", "A record's history from git: date, author, action, commit (follows moves)");
    cmd->footer("Example:\n  opsflow log INC-3f9a1c2e\n  opsflow log 3f9a --json");
    cmd->add_option("ID", opts->id, "Record ID or unambiguous prefix (any kind)")->required();
    cmd->add_flag("--json", opts->json, "Print JSON");
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
            Table table({"DATE", "COMMIT", "AUTHOR", "ACTION", "WHAT"});
            std::string previous_path;
            for (const auto& h : history) {
                std::string what = h.subject;
                if (!previous_path.empty() && h.path != previous_path)
                    what += fmt::format(" (moved from {})", previous_path);
                previous_path = h.path;
                std::string date = format_rfc3339(h.when, zone).substr(0, 16);
                date[10] = ' ';
                table.add_row({date, h.commit.substr(0, 8), h.author,
                               h.action.empty() ? "(by hand)" : h.action, what},
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
        "Three-way merge of one record, run by git (registered by opsflow init --hooks)");
    cmd->footer("git runs it as: opsflow merge-driver %O %A %B %L %P\n"
                "The result is written to %A; exit 0 when clean, 1 with conflict markers.");
    cmd->add_option("BASE", opts->base, "%O: the common ancestor's version")->required();
    cmd->add_option("OURS", opts->ours, "%A: our version, replaced by the result")->required();
    cmd->add_option("THEIRS", opts->theirs, "%B: their version")->required();
    cmd->add_option("MARKER_SIZE", opts->marker_size, "%L: conflict marker size");
    cmd->add_option("PATH", opts->path, "%P: the record's path in the repository");
    cmd->callback([&state, opts] {
        state.action = [opts] {
            auto settings = settings_for_merge(opts->path);
            if (!settings)
                std::cerr << "opsflow: " << opts->path
                          << ": opsflow.yaml cannot be read; priority and deadlines are merged "
                             "as they are, not set afresh\n";
            FileMerge result = merge_files(opts->base, opts->ours, opts->theirs, opts->path,
                                           opts->marker_size, settings ? &*settings : nullptr);
            if (result.as_text)
                std::cerr << "opsflow: " << opts->path << ": merged as text (" << result.why_text
                          << ")\n";
            if (result.clean()) return;
            for (const auto& c : result.conflicts)
                std::cerr << "opsflow: " << opts->path << ": conflict: " << c << '\n';
            throw RefusedError(fmt::format("{}: {} conflict{}; edit the file, then git add it",
                                           opts->path, result.conflicts.size(),
                                           result.conflicts.size() == 1 ? "" : "s"));
        };
    });
}

} // namespace

void register_git_commands(CLI::App& app, Cli& cli) {
    register_log(app, cli);
    register_merge_driver(app, cli);
}

} // namespace opsflow::cli
