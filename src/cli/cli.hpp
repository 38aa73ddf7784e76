#pragma once
// Shared state of the command line: global options and the action that the
// parsed subcommand will run. Each cmd_<group>.cpp registers its verbs here.
#include "opsflow/base/i18n.hpp"
#include "opsflow/notice/notify.hpp"
#include "opsflow/store/change.hpp"
#include "opsflow/work/recent_finding.hpp"

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace opsflow::cli {

struct GlobalOptions {
    std::string directory; // -C
    std::string as;        // --as
    std::string color = "auto";
    bool quiet = false;
    // --lang: the language of everything this run prints, sends and writes.
    std::optional<Language> lang;
};

// Options every mutating verb takes.
struct MutationOptions {
    std::string at;
    bool no_commit = false;
};

// The options of a verb that changes one record: its ID, --at and --no-commit.
struct IdAndMutation {
    std::string id;
    MutationOptions m;
};

class Cli {
  public:
    Cli() = default;
    Cli(const Cli&) = delete;
    Cli& operator=(const Cli&) = delete;
    // Says what recovering from a change that died did, if anything (also when the
    // command fails, before its error).
    ~Cli();

    GlobalOptions global;
    Environment environment;      // what main read from the process environment
    std::function<void()> action; // set by the chosen verb's callback

    // The store found from -C, $OPSFLOW_DIR or the working directory (loaded once).
    Store& store();
    // The root of the store found the same way, without loading its settings
    // (`check` reports bad settings instead of failing on them).
    std::filesystem::path store_root() const;
    // A context for a change: operator, time, commit mode from `m`.
    Context context(const MutationOptions& m);
    // Parses `--at`-style time input in the store's timezone.
    std::optional<Timestamp> time_option(const std::string& value, std::string_view option);
    Timestamp now() const { return now_; }

    bool color_enabled() const;
    // Prints a confirmation line unless -q.
    void confirm(const std::string& line) const;

  private:
    std::unique_ptr<Store> store_;
    Timestamp now_ = system_now();
};

// This program's own path, for hooks and git config that call it back.
std::filesystem::path self_program();

// Adds --at and --no-commit to a mutating verb.
void add_mutation_options(CLI::App& verb, MutationOptions& m);

// Text from an option value: `-` reads standard input.
std::string text_argument(const std::string& value);
// `value` if given, else the text the operator writes in $VISUAL/$EDITOR when `edit` is set.
std::optional<std::string> long_text(const std::optional<std::string>& value, bool edit,
                                     std::string_view what);

// The text the operator writes in $VISUAL/$EDITOR, starting from `initial`.
std::string edit_text(std::string_view what, const std::string& initial);

// An option's value if it was given on the command line.
std::optional<std::string> given(const CLI::App* cmd, const std::string& name,
                                 const std::string& value);

// `--finding ID [--from T] [--to T]` of a verb that starts from a report's finding:
// the period is that of the report it was read in (default: the last 30 days).
struct FindingOptions {
    std::string id, from, to;
};
void add_finding_options(CLI::App& verb, FindingOptions& f, const std::string& description);
std::optional<FindingRef> finding_ref(Cli& cli, const CLI::App* cmd, const FindingOptions& f);

// Adds `--status` (comma-separated) to a list verb, taking the statuses of `kind`'s workflow.
void add_status_filter(CLI::App* list, RecordKind kind, std::vector<std::string>& statuses);

// Registers a verb of `group` whose callback runs `body` with the parsed options.
template <class Options>
CLI::App* verb(CLI::App* group, Cli& cli, const char* name, const std::string& description,
               const char* example, std::shared_ptr<Options> opts,
               std::function<void(Cli&, CLI::App*, Options&)> body) {
    auto* cmd = group->add_subcommand(name, description);
    cmd->footer(tr("Example:") + "\n  " + example);
    cmd->callback([&cli, cmd, opts, body] {
        cli.action = [&cli, cmd, opts, body] { body(cli, cmd, *opts); };
    });
    return cmd;
}

// A verb that changes the one record its ID argument names, as `verb` registers it. Its
// arguments: `ID` (described by `id_help`), the options `add_options` adds, then --at and
// --no-commit.
template <class Options>
CLI::App* change_verb(CLI::App* group, Cli& cli, const char* name, const std::string& description,
                      const char* example, std::shared_ptr<Options> opts,
                      std::function<void(Cli&, CLI::App*, Options&)> body,
                      const std::string& id_help,
                      const std::function<void(CLI::App&, Options&)>& add_options = nullptr) {
    static_assert(std::is_base_of_v<IdAndMutation, Options>);
    auto* command = verb<Options>(group, cli, name, description, example, opts, std::move(body));
    command->add_option("ID", opts->id, id_help)->required();
    if (add_options) add_options(*command, *opts);
    add_mutation_options(*command, opts->m);
    return command;
}

// The `show ID [--json]` verb of a record kind; `render` draws the text view.
void register_show_verb(CLI::App* group, Cli& cli, RecordKind kind, const std::string& description,
                        const char* example,
                        std::function<std::string(const Record&, const Store&, bool color)> render);

// The `list [--status S,..] [--json]` verb of a kind whose records `list` chooses: a
// table of `columns` (a heading, a cell of each record), or the whole records as JSON.
struct ListColumn {
    std::string heading;
    std::function<std::string(const Record&)> cell;
};
using StatusLister = std::function<std::vector<Record>(
    const Store&, const std::vector<std::string>& statuses, std::vector<std::string>& problems)>;
void register_status_list_verb(CLI::App* group, Cli& cli, RecordKind kind,
                               const std::string& description, const char* example,
                               StatusLister list, std::vector<ListColumn> columns);

// The `note ID TEXT` verb of a record kind: a note in its history, the status kept.
void register_note_verb(CLI::App* group, Cli& cli, RecordKind kind, const char* example);

// `INC-3f9a1c2e: assigned to lisi`, unless -q.
void print_change(Cli& cli, const Change& change);

// One line per delivered notice; a failed delivery is an error (exit 1) raised after
// the record change, which is kept.
void report_notices(Cli& cli, const NoticeRun& run);

void register_init_command(CLI::App& app, Cli& cli);
void register_ticket_commands(CLI::App& app, Cli& cli);
void register_survey_commands(CLI::App& app, Cli& cli);
void register_sla_commands(CLI::App& app, Cli& cli);
void register_notices_commands(CLI::App& app, Cli& cli);
void register_report_command(CLI::App& app, Cli& cli);
void register_improve_commands(CLI::App& app, Cli& cli);
void register_maint_commands(CLI::App& app, Cli& cli);
void register_docs_command(CLI::App& app, Cli& cli);
void register_standards_command(CLI::App& app, Cli& cli);
void register_incident_commands(CLI::App& app, Cli& cli);
void register_check_command(CLI::App& app, Cli& cli);
void register_git_commands(CLI::App& app, Cli& cli);
void register_transfer_commands(CLI::App& app, Cli& cli);
void register_completion_commands(CLI::App& app, Cli& cli);
void register_manpage_command(CLI::App& app, Cli& cli);
void register_mail_commands(CLI::App& app, Cli& cli);
void register_search_command(CLI::App& app, Cli& cli);
void register_problem_commands(CLI::App& app, Cli& cli);
void register_article_commands(CLI::App& app, Cli& cli);

} // namespace opsflow::cli
