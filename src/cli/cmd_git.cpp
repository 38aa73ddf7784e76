// opsflow log ID, opsflow merge-driver %O %A %B %L %P: the record history and
// concurrent edits, through git.
#include "cli.hpp"
#include "opsflow/error.hpp"
#include "opsflow/files.hpp"
#include "opsflow/history.hpp"
#include "opsflow/merge.hpp"
#include "opsflow/process.hpp"
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

// Text merge by git itself, for files the record merge cannot take (not a record,
// hand-written comments): what git would have done without the driver.
int text_merge(const std::string& base, const std::string& ours, const std::string& theirs,
               int marker_size) {
    auto r = run_process({"git", "merge-file", fmt::format("--marker-size={}", marker_size), "-L",
                          "ours", "-L", "base", "-L", "theirs", "--", ours, base, theirs});
    if (r.exit_code < 0) throw RuntimeError("git merge-file could not run: " + r.err);
    return r.exit_code == 0 ? 0 : 1;
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
            std::string stem = fs::path(opts->path.empty() ? opts->ours : opts->path).stem();
            auto kind = kind_from_prefix(stem.substr(0, stem.find('-')));
            std::string base, ours, theirs;
            try {
                base = read_text_file(opts->base, 1 << 20, "%O");
                ours = read_text_file(opts->ours, 1 << 20, "%A");
                theirs = read_text_file(opts->theirs, 1 << 20, "%B");
            } catch (const Error&) {
                kind.reset(); // too large or unreadable as text: leave it to git
            }
            if (!kind) {
                if (text_merge(opts->base, opts->ours, opts->theirs, opts->marker_size) != 0)
                    throw RefusedError(opts->path + ": merged as text, with conflicts");
                return;
            }
            MergeOutcome outcome;
            try {
                outcome = merge_record(*kind, base, ours, theirs, opts->path, opts->marker_size);
            } catch (const Error& e) {
                std::cerr << "opsflow: " << e.what() << "\nopsflow: " << opts->path
                          << ": cannot merge as a record; merging as text\n";
                if (text_merge(opts->base, opts->ours, opts->theirs, opts->marker_size) != 0)
                    throw RefusedError(opts->path + ": merged as text, with conflicts");
                return;
            }
            write_file_atomic(opts->ours, outcome.text);
            if (!outcome.clean()) {
                for (const auto& c : outcome.conflicts)
                    std::cerr << "opsflow: " << opts->path << ": conflict: " << c << '\n';
                throw RefusedError(fmt::format(
                    "{}: {} conflicting field{}; edit the file, then git add it", opts->path,
                    outcome.conflicts.size(), outcome.conflicts.size() == 1 ? "" : "s"));
            }
        };
    });
}

} // namespace

void register_git_commands(CLI::App& app, Cli& cli) {
    register_log(app, cli);
    register_merge_driver(app, cli);
}

} // namespace opsflow::cli
