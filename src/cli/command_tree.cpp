#include "command_tree.hpp"

#include <algorithm>

namespace opsflow::cli {

namespace {

CommandInfo describe(const CLI::App& app, std::vector<std::string> path) {
    CommandInfo info;
    info.name = app.get_name();
    info.path = path;
    info.description = app.get_description();
    info.footer = app.get_footer();
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->get_positional()) {
            info.positionals.push_back(opt->get_name());
            continue;
        }
        OptionInfo o;
        for (const auto& s : opt->get_snames())
            o.names.push_back("-" + s);
        for (const auto& l : opt->get_lnames())
            o.names.push_back("--" + l);
        if (opt->get_type_size() > 0) {
            o.value_name = opt->get_option_text();
            if (o.value_name.empty() || o.value_name.front() == ' ') o.value_name = "VALUE";
        }
        o.description = opt->get_description();
        info.options.push_back(std::move(o));
    }
    for (const CLI::App* sub :
         app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) {
        auto sub_path = path;
        sub_path.push_back(sub->get_name());
        info.subcommands.push_back(describe(*sub, sub_path));
    }
    return info;
}

} // namespace

bool CommandInfo::takes_record_id() const {
    return std::find(positionals.begin(), positionals.end(), "ID") != positionals.end();
}

CommandInfo command_tree(const CLI::App& app) {
    return describe(app, {});
}

std::string id_kind(const CommandInfo& command) {
    const std::string group = command.path.empty() ? "" : command.path.front();
    if (group == "incident") return "incident";
    if (group == "maint") return "maintenance";
    if (group == "ticket") return "ticket";
    if (group == "improve") return "improvement";
    return "any";
}

} // namespace opsflow::cli
