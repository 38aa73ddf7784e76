// opsflow check [--staged] [--format text|json] [PATH...]
#include "cli.hpp"
#include "opsflow/check.hpp"
#include "opsflow/error.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <iostream>
#include <nlohmann/json.hpp>

namespace opsflow::cli {

namespace fs = std::filesystem;

namespace {

std::string severity_name(Severity s) {
    return s == Severity::error ? "error" : "warning";
}

} // namespace

void register_check_command(CLI::App& app, Cli& state) {
    struct O {
        bool staged = false;
        std::string format = "text";
        std::vector<std::string> paths;
    };
    auto opts = std::make_shared<O>();
    auto* cmd = app.add_subcommand(
        "check",
        "Check records and settings: schema, IDs, references, history, completeness, secrets");
    cmd->footer("Exit 5 if any error is found. Examples:\n"
                "  opsflow check\n"
                "  opsflow check incidents/2026/11/INC-3f9a1c2e.yaml\n"
                "  opsflow check --staged        (what the pre-commit hook runs)");
    cmd->add_flag("--staged", opts->staged, "Check the versions staged in git's index");
    cmd->add_option("--format", opts->format, "Output format (default text)")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("PATH", opts->paths,
                    "Files or directories to check (default: the whole store)");
    cmd->callback([&state, opts] {
        state.action = [&cli = state, opts] {
            CheckResult result =
                check_request(cli.store_root(), {opts->staged, opts->paths, fs::current_path()});
            if (opts->format == "json") {
                auto array = nlohmann::ordered_json::array();
                for (const auto& f : result.findings)
                    array.push_back({{"file", f.where.file},
                                     {"line", f.where.line},
                                     {"column", f.where.column},
                                     {"severity", severity_name(f.severity)},
                                     {"pointer", f.where.path},
                                     {"message", f.where.message}});
                std::cout << array.dump(2) << '\n';
            } else {
                // Line 0: the whole file (it could not be read as text at all).
                for (const auto& f : result.findings)
                    std::cout << fmt::format("{}:{}:{}: {}: {}\n", f.where.file,
                                             std::max(f.where.line, 1), std::max(f.where.column, 1),
                                             severity_name(f.severity), f.where.message);
            }
            auto errors = result.count(Severity::error);
            auto warnings = result.count(Severity::warning);
            std::string summary =
                fmt::format("checked {} file{}: {} error{}, {} warning{}", result.files_checked,
                            result.files_checked == 1 ? "" : "s", errors, errors == 1 ? "" : "s",
                            warnings, warnings == 1 ? "" : "s");
            if (errors > 0) throw InvalidDataError(summary);
            if (!cli.global.quiet) std::cerr << "opsflow: " << summary << '\n';
        };
    });
}

} // namespace opsflow::cli
