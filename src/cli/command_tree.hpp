#pragma once
// The command line as data, read from the CLI11 definition, for what is generated
// from it: shell completion scripts and the man page.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace opsflow::cli {

struct OptionInfo {
    std::vector<std::string> names; // --to, -o
    std::string value_name;         // empty for a flag
    std::string description;
};

struct CommandInfo {
    std::string name;              // assign
    std::vector<std::string> path; // {incident, assign}
    std::string description;
    std::string footer;
    std::vector<OptionInfo> options;
    std::vector<std::string> positionals; // ID, TITLE, ...
    std::vector<CommandInfo> subcommands;

    bool takes_record_id() const;
};

// The tree below `app`, hidden commands (empty group) left out.
CommandInfo command_tree(const CLI::App& app);

// The record kind whose IDs a command's ID argument takes: `incident`, ... or
// `any` (log, survey), from the first word of its path.
std::string id_kind(const CommandInfo& command);

} // namespace opsflow::cli
