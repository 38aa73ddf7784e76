// opsflow init [DIR]
#include "cli.hpp"
#include "opsflow/init.hpp"

#include <iostream>

namespace opsflow::cli {

void register_init_command(CLI::App& app, Cli& cli) {
    struct Options {
        std::string dir = ".";
        std::string timezone = "UTC";
    };
    auto opts = std::make_shared<Options>();
    auto* cmd =
        app.add_subcommand("init", "Create a store: settings files, git repository, first commit");
    cmd->add_option("DIR", opts->dir, "Directory of the new store (default: the current one)");
    cmd->add_option("--timezone", opts->timezone,
                    "Store timezone, a tz database name (default UTC)");
    cmd->footer("Example:\n  opsflow init ops-records --timezone Asia/Shanghai\n"
                "  cd ops-records && opsflow incident new 'VPN down' --impact high --urgency high");
    cmd->callback([&cli, opts] {
        cli.action = [&cli, opts] {
            InitResult r = init_store(opts->dir, opts->timezone);
            cli.confirm("Initialised opsflow store in " + r.root.string() +
                        (r.created_repository ? " (new git repository)" : ""));
        };
    });
}

} // namespace opsflow::cli
