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

// PATH arguments, relative to the working directory, as paths relative to the store root.
std::vector<std::string> store_relative(const fs::path& root, const std::vector<std::string>& args,
                                        const Snapshot& snapshot) {
    std::vector<std::string> out;
    auto records = snapshot.record_paths();
    for (const auto& arg : args) {
        auto relative =
            fs::weakly_canonical(fs::absolute(arg)).lexically_relative(fs::weakly_canonical(root));
        std::string r = relative.generic_string();
        if (r.empty() || r == ".")
            r = "";
        else if (r.starts_with(".."))
            throw UsageError(fmt::format("{} is outside the store at {}", arg, root.string()));
        bool matched = false;
        for (const auto& p : records)
            if (r.empty() || p == r || p.starts_with(r + "/")) {
                out.push_back(p);
                matched = true;
            }
        if (!matched) out.push_back(r); // a settings file, or a missing file to report
    }
    return out;
}

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
            fs::path root = cli.store_root();
            std::unique_ptr<Snapshot> snapshot;
            std::optional<std::vector<std::string>> only;
            if (opts->staged) {
                if (!Git::find_work_tree(root))
                    throw UsageError("--staged needs a git work tree, and the store is not in one");
                auto staged = std::make_unique<StagedSnapshot>(root);
                only = staged->changed();
                snapshot = std::move(staged);
            } else {
                snapshot = std::make_unique<WorkTreeSnapshot>(root);
            }
            if (!opts->paths.empty()) {
                auto named = store_relative(root, opts->paths, *snapshot);
                if (only)
                    std::erase_if(named, [&](const std::string& p) {
                        return std::find(only->begin(), only->end(), p) == only->end();
                    });
                only = named;
            }
            CheckResult result = check_store(*snapshot, only);
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
