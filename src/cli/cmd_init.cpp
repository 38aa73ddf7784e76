// opsflow init [DIR]
#include "cli.hpp"
#include "language.hpp"
#include "opsflow/git/git_setup.hpp"
#include "opsflow/store/init.hpp"

#include <fmt/format.h>
#include <iostream>

namespace opsflow::cli {

void register_init_command(CLI::App& app, Cli& cli) {
    struct Options {
        std::string dir = ".";
        std::string timezone = "UTC";
        bool hooks = false;
    };
    auto opts = std::make_shared<Options>();
    auto* cmd = app.add_subcommand(
        "init", tr("Create a store: settings files, git repository, first commit"));
    cmd->add_option("DIR", opts->dir, tr("Directory of the new store (default: the current one)"));
    cmd->add_option("--timezone", opts->timezone,
                    tr("Store timezone, a tz database name (default UTC)"));
    cmd->add_flag("--hooks", opts->hooks,
                  tr("In an existing store (a fresh clone): install the pre-commit hook and "
                     "register the merge driver, nothing else"));
    cmd->footer(tr("Example:") +
                "\n  opsflow init ops-records --timezone Asia/Shanghai\n"
                "  cd ops-records && opsflow incident new 'VPN down' --impact high --urgency high\n"
                "  git clone host:ops-records && cd ops-records && opsflow init --hooks");
    cmd->callback([&cli, opts] {
        cli.action = [&cli, opts] {
            if (opts->hooks) {
                std::optional<std::filesystem::path> dir;
                if (opts->dir != ".")
                    dir = opts->dir;
                else if (!cli.global.directory.empty())
                    dir = cli.global.directory;
                auto root = Store::find_root(dir, cli.environment.store_dir,
                                             std::filesystem::current_path());
                GitSetup setup = install_git_integration(root, self_program());
                // (The previous hook is only ever kept when the new one is installed.)
                cli.confirm(
                    setup.chained_hook
                        ? tr("Registered the merge driver and installed the pre-commit hook (the "
                             "previous hook now runs after it, as pre-commit.local) in {}",
                             root.string())
                    : setup.hook_installed
                        ? tr("Registered the merge driver and installed the pre-commit hook in {}",
                             root.string())
                        : tr("Registered the merge driver in {}", root.string()));
                if (setup.attributes_updated)
                    cli.confirm(
                        tr(".gitattributes now sends records to the merge driver: commit it"));
                return;
            }
            InitResult r = init_store(opts->dir, opts->timezone,
                                      cli.global.lang.value_or(locale_language()), self_program());
            cli.confirm(
                r.created_repository
                    ? tr("Initialised opsflow store in {} (new git repository)", r.root.string())
                    : tr("Initialised opsflow store in {}", r.root.string()));
        };
    });
}

} // namespace opsflow::cli
