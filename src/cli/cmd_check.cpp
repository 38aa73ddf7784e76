// opsflow check [--staged | --range OLD..NEW | --pre-receive] [--format text|json] [PATH...]
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/check/check.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace opsflow::cli {

namespace fs = std::filesystem;

namespace {

// In the JSON document: a value scripts read.
std::string severity_name(Severity s) {
    return s == Severity::error ? "error" : "warning";
}

// `file:line:column: error: message`, the form editors jump to; the words in the
// operator's language.
// In a commit (check --range): `<commit>:file:...`, as git names a file of a commit.
std::string finding_line(const CheckFinding& f) {
    // Line 0: the whole file (it could not be read as text at all).
    // A file name or message with control characters (ESC, BEL, a line feed) is
    // escaped: it must neither drive the terminal nor start a forged line in a CI log.
    const std::string message = printable_text(f.where.message);
    return fmt::format(
        "{}{}:{}:{}: {}\n", f.commit.empty() ? "" : f.commit.substr(0, 12) + ":",
        printable_path(f.where.file), std::max(f.where.line, 1), std::max(f.where.column, 1),
        f.severity == Severity::error ? tr("error: {}", message) : tr("warning: {}", message));
}

} // namespace

void register_check_command(CLI::App& app, Cli& state) {
    struct O {
        bool staged = false;
        std::string range;
        bool pre_receive = false;
        std::string format = "text";
        std::vector<std::string> paths;
    };
    auto opts = std::make_shared<O>();
    auto* cmd = app.add_subcommand(
        "check", tr("Check records and settings: schema, IDs, references, history, completeness, "
                    "secrets"));
    cmd->footer(tr("Exit 5 if any error is found. Examples:") +
                "\n"
                "  opsflow check\n"
                "  opsflow check incidents/2026/11/INC-3f9a1c2e.yaml\n"
                "  opsflow check --staged        " +
                tr("(what the pre-commit hook runs)") +
                "\n"
                "  opsflow check --pre-receive   " +
                tr("(what a central repository's pre-receive hook runs)"));
    cmd->add_flag("--staged", opts->staged, tr("Check the versions staged in git's index"));
    cmd->add_option("--range", opts->range,
                    tr("Check each commit of OLD..NEW from git's objects (no work tree needed)"));
    cmd->add_flag("--pre-receive", opts->pre_receive,
                  tr("Check each commit a push brings, from the '<old> <new> <ref>' lines a "
                     "pre-receive hook reads on standard input"));
    cmd->add_option("--format", opts->format, tr("Output format (default text)"))
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("PATH", opts->paths,
                    tr("Files or directories to check (default: the whole store)"));
    cmd->callback([&state, opts] {
        state.action = [&cli = state, opts] {
            // The JSON document is for scripts: its messages, and the summary beside it,
            // are the same whatever the operator's language (the worker threads that
            // check the records follow the default language, not a LanguageScope).
            if (opts->format == "json") set_default_language(Language::en);
            bool commits = !opts->range.empty() || opts->pre_receive;
            if (commits && (opts->staged || !opts->paths.empty() ||
                            (!opts->range.empty() && opts->pre_receive)))
                throw UsageError(tr("--range and --pre-receive check commits: give one of them, "
                                    "without --staged or PATH"));
            // A central repository is usually bare: no store root, git's objects only.
            fs::path repository =
                cli.global.directory.empty() ? fs::current_path() : fs::path(cli.global.directory);
            CheckResult result;
            if (opts->pre_receive) {
                std::string input{std::istreambuf_iterator<char>(std::cin), {}};
                result = check_pushed_commits(repository, parse_ref_updates(input));
            } else if (!opts->range.empty()) {
                result = check_commit_range(repository, opts->range);
            } else {
                result = check_request(cli.store_root(),
                                       {opts->staged, opts->paths, fs::current_path()});
            }
            if (opts->format == "json") {
                auto array = nlohmann::ordered_json::array();
                for (const auto& f : result.findings) {
                    array.push_back({{"file", f.where.file},
                                     {"line", f.where.line},
                                     {"column", f.where.column},
                                     {"severity", severity_name(f.severity)},
                                     {"pointer", f.where.path},
                                     {"message", f.where.message}});
                    if (!f.commit.empty()) array.back()["commit"] = f.commit;
                }
                std::cout << array.dump(2) << '\n';
            } else {
                for (const auto& f : result.findings)
                    std::cout << finding_line(f);
            }
            auto errors = result.count(Severity::error);
            auto warnings = result.count(Severity::warning);
            std::string summary =
                ntr("checked {} file: {}, {}", "checked {} files: {}, {}", result.files_checked,
                    result.files_checked, ntr("{} error", "{} errors", errors, errors),
                    ntr("{} warning", "{} warnings", warnings, warnings));
            if (commits)
                summary += " " + ntr("(in {} commit)", "(in {} commits)", result.commits_checked,
                                     result.commits_checked);
            if (errors > 0 && opts->pre_receive)
                std::cerr << "opsflow: "
                          << tr("push refused: make each commit named above pass opsflow check "
                                "(git rebase -i), then push again")
                          << '\n';
            if (errors > 0) throw InvalidDataError(summary);
            if (!cli.global.quiet) std::cerr << "opsflow: " << summary << '\n';
        };
    });
}

} // namespace opsflow::cli
