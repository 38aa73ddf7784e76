// opsflow standards: the service standards in force and their history (SPEC §12).
#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/store/standards.hpp"
#include "output.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace opsflow::cli {

namespace {

using json = nlohmann::ordered_json;

json change_json(const StandardsChange& c) {
    json j;
    j["key"] = c.key;
    j["before"] = c.before ? json(*c.before) : json(nullptr);
    j["after"] = c.after ? json(*c.after) : json(nullptr);
    return j;
}

void print_history(const std::vector<StandardsCommit>& history, bool as_json) {
    if (as_json) {
        json out = json::array();
        for (const auto& c : history) {
            json j;
            j["commit"] = c.commit;
            j["date"] = c.date;
            j["author"] = c.author;
            j["subject"] = c.subject;
            j["changes"] = json::array();
            for (const auto& change : c.changes)
                j["changes"].push_back(change_json(change));
            out.push_back(std::move(j));
        }
        std::cout << out.dump(2) << '\n';
        return;
    }
    for (const auto& c : history) {
        std::cout << c.date << "  " << c.commit << "  " << c.author << "  " << c.subject << '\n';
        for (const auto& change : c.changes)
            std::cout << "    " << change_text(change) << '\n';
    }
}

void print_version(const StandardsVersion& v, bool as_json, bool color) {
    if (as_json) {
        json out;
        out["commit"] = v.commit.empty() ? json(nullptr) : json(v.commit);
        out["date"] = v.date.empty() ? json(nullptr) : json(v.date);
        out["standards"] = json::object();
        for (const auto& [key, value] : v.values)
            out["standards"][key] = value;
        std::cout << out.dump(2) << '\n';
        return;
    }
    std::cout << (v.commit.empty()
                      ? tr("Standards in force now (opsflow.yaml, services.yaml)")
                      : tr("Standards in force at commit {} ({})", v.commit.substr(0, 12), v.date))
              << '\n';
    Table table({tr("STANDARD"), tr("VALUE")});
    for (const auto& [key, value] : v.values)
        table.add_row({key, value});
    std::cout << table.render(color, terminal_width());
}

} // namespace

void register_standards_command(CLI::App& app, Cli& state) {
    struct O {
        std::string at, range;
        bool history = false, json = false;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(
        &app, state, "standards",
        tr("The service standards in force (SLA, calendar, priority matrix, routing, services) "
           "and their history from git"),
        "opsflow standards --history", opts, [](Cli& cli, CLI::App* cmd, O& o) {
            const Store& store = cli.store();
            if (o.history || cmd->count("--range")) {
                print_history(standards_history(store, given(cmd, "--range", o.range)), o.json);
                return;
            }
            if (o.at.empty()) {
                print_version(standards_now(store), o.json, cli.color_enabled());
                return;
            }
            // A time as every time option takes it, else a commit.
            std::optional<Timestamp> at;
            try {
                at = cli.time_option(o.at, "--at");
            } catch (const UsageError&) {
            }
            print_version(at ? standards_at_time(store, *at) : standards_at_commit(store, o.at),
                          o.json, cli.color_enabled());
        });
    command->add_option("--at", opts->at,
                        tr("In force at this time, or at this commit (a git revision)"));
    command->add_flag("--history", opts->history,
                      tr("Each change of a standard, newest first, in words"));
    command->add_option("--range", opts->range, tr("With --history: only the commits in REV..REV"));
    command->add_flag("--json", opts->json, tr("Print JSON"));
}

} // namespace opsflow::cli
