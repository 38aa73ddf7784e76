#include "app.hpp"

#include "cli.hpp"
#include "language.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/git/git.hpp"
#include "opsflow/git/git_setup.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/search/search.hpp"
#include "opsflow/store/init.hpp"
#include "opsflow/work/workflow_step.hpp"
#include "output.hpp"
#include "parse_error.hpp"
#include "record_view.hpp"
#include "similar_view.hpp"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <iostream>
#include <unistd.h>

namespace opsflow::cli {

namespace fs = std::filesystem;

Cli::~Cli() {
    if (!store_) return;
    for (const auto& note : store_->take_recovery_notes())
        std::cerr << "opsflow: " << note << '\n';
}

Store& Cli::store() {
    if (!store_) {
        fs::path root = store_root();
        // Asked below and by the query index: read while the settings are.
        if (Git::find_work_tree(root)) Git(root).prefetch_config();
        store_ = std::make_unique<Store>(root);
        keep_search_index_current(*store_);
        if (global.lang) store_->set_language(*global.lang);
        // A change that died is finished or undone before anything reads the store.
        store_->recover();
        // Said once a run: otherwise a store's notices silently go out in English.
        if (auto missing = missing_catalogue(store_->settings().language))
            std::cerr << "opsflow: " << tr("warning: {}", *missing) << '\n';
        if (!global.quiet && merge_driver_missing(store_->root()))
            std::cerr << "opsflow: "
                      << tr("note: this clone merges records as plain text because the opsflow "
                            "merge driver is not registered (run: opsflow init --hooks)")
                      << '\n';
    }
    return *store_;
}

fs::path self_program() {
    std::error_code ec;
    auto exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("opsflow") : exe;
}

fs::path Cli::store_root() const {
    std::optional<fs::path> dir;
    if (!global.directory.empty()) dir = global.directory;
    return Store::find_root(dir, environment.store_dir, fs::current_path());
}

Context Cli::context(const MutationOptions& m) {
    Store& s = store();
    return Context{
        s,
        resolve_actor(s, global.as.empty() ? std::nullopt : std::optional(global.as), environment),
        system_now,
        m.no_commit ? CommitMode::no_commit : CommitMode::commit,
        system_random(),
        std::nullopt,
        environment};
}

std::optional<Timestamp> Cli::time_option(const std::string& value, std::string_view option) {
    if (value.empty()) return std::nullopt;
    return parse_time_input(value, store().settings().zone, now_, option);
}

bool Cli::color_enabled() const {
    if (global.color == "always") return true;
    if (global.color == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    return ::isatty(STDOUT_FILENO) != 0;
}

void Cli::confirm(const std::string& line) const {
    if (!global.quiet) std::cout << line << '\n';
}

std::optional<std::string> given(const CLI::App* cmd, const std::string& name,
                                 const std::string& value) {
    if (cmd->count(name) == 0) return std::nullopt;
    return value;
}

void add_finding_options(CLI::App& verb, FindingOptions& f, const std::string& description) {
    auto* finding = verb.add_option("--finding", f.id, description);
    verb.add_option("--from", f.from, tr("With --finding: the start of the report's period"))
        ->needs(finding);
    verb.add_option("--to", f.to,
                    tr("With --finding: the end of the report's period (default: now)"))
        ->needs(finding);
}

std::optional<FindingRef> finding_ref(Cli& cli, const CLI::App* cmd, const FindingOptions& f) {
    if (!cmd->count("--finding")) return std::nullopt;
    return FindingRef{f.id, cli.time_option(f.from, "--from"), cli.time_option(f.to, "--to")};
}

void add_status_filter(CLI::App* list, RecordKind kind, std::vector<std::string>& statuses) {
    list->add_option("--status", statuses, tr("Only these statuses (comma-separated)"))
        ->delimiter(',')
        ->check(CLI::IsMember(as_strings(workflow_of(kind).statuses)));
}

void register_show_verb(
    CLI::App* group, Cli& cli, RecordKind kind, const std::string& description, const char* example,
    std::function<std::string(const Record&, const Store&, bool color)> render) {
    struct O {
        std::string id;
        bool json = false, similar = false;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(
        group, cli, "show", description, example, opts, [kind, render](Cli& c, CLI::App*, O& o) {
            Store& store = c.store();
            Record r = store.load(kind, store.locate(kind, o.id));
            if (o.similar) {
                // The record's own view first, then what fixed the records most like it.
                constexpr std::size_t shown = 10, known_errors_shown = 3;
                Suggestions s = similar_records(store, r, shown, known_errors_shown,
                                                IndexFreshness::checked, index_progress(c));
                std::cout << (o.json ? created_json(r.id(), s).dump(2) + "\n"
                                     : render(r, store, c.color_enabled()) + "\n" +
                                           (s.empty() ? tr("No similar records.") + "\n"
                                                      : suggestions_text(s, c.color_enabled())));
                return;
            }
            std::cout << (o.json ? record_json(r).dump(2) + "\n"
                                 : render(r, store, c.color_enabled()));
        });
    command->add_option("ID", opts->id, tr("{} ID or unambiguous prefix", kind_noun(kind)))
        ->required();
    command->add_flag("--json", opts->json, tr("Print the record as JSON"));
    // Where records of the kind are settled (closed, answered), the ones like it help.
    if (workflow_of(kind).groups.count(StatusGroup::settled))
        command->add_flag("--similar", opts->similar,
                          tr("Also the 10 most similar settled records, with what fixed them, "
                             "and matching known errors (--json: those alone)"));
}

void register_status_list_verb(CLI::App* group, Cli& cli, RecordKind kind,
                               const std::string& description, const char* example,
                               StatusLister list, std::vector<ListColumn> columns) {
    struct O {
        std::vector<std::string> status;
        bool json = false;
    };
    auto opts = std::make_shared<O>();
    auto* command = verb<O>(group, cli, "list", description, example, opts,
                            [list, columns](Cli& c, CLI::App*, O& o) {
                                std::vector<std::string> problems;
                                auto records = list(c.store(), o.status, problems);
                                warn_skipped(problems);
                                if (o.json) {
                                    std::cout << render_records_json(records);
                                    return;
                                }
                                std::vector<std::string> headings;
                                for (const auto& column : columns)
                                    headings.push_back(column.heading);
                                Table table(headings);
                                for (const auto& r : records) {
                                    std::vector<std::string> row;
                                    for (const auto& column : columns)
                                        row.push_back(column.cell(r));
                                    table.add_row(row);
                                }
                                std::cout << table.render(c.color_enabled(), terminal_width());
                            });
    add_status_filter(command, kind, opts->status);
    command->add_flag("--json", opts->json, tr("Print JSON"));
}

void register_note_verb(CLI::App* group, Cli& cli, RecordKind kind, const char* example) {
    struct O : IdAndMutation {
        std::string text;
    };
    change_verb<O>(
        group, cli, "note", tr("Add a note to the history"), example, std::make_shared<O>(),
        [kind](Cli& c, CLI::App*, O& o) {
            auto ctx = c.context(o.m);
            print_change(c, note_record(ctx, kind, o.id, text_argument(o.text),
                                        c.time_option(o.m.at, "--at")));
        },
        tr("{} ID or unambiguous prefix", kind_noun(kind)),
        [](CLI::App& command, O& o) {
            command.add_option("TEXT", o.text, tr("The note; - reads standard input"))->required();
        });
}

void print_change(Cli& cli, const Change& change) {
    cli.confirm(tr("{}: {}", change.record.id(), change.summary.description.local));
}

void report_notices(Cli& cli, const NoticeRun& run) {
    std::vector<std::string> failures;
    for (const auto& d : run.deliveries) {
        if (!d.delivery.ok) {
            failures.push_back(
                tr("{} by {}: {}", d.message_id, transport_name(d.transport), d.delivery.error));
            continue;
        }
        if (d.transport != Transport::none)
            cli.confirm(tr("{}: notice delivered by {} to {} recipient(s)", run.change.record.id(),
                           transport_name(d.transport), d.recipients));
    }
    if (!failures.empty())
        throw RuntimeError(tr("{0}: delivery failed ({1}); the change and the notice are "
                              "recorded; retry with: opsflow notices retry {0}",
                              run.change.record.id(),
                              fmt::format("{}", fmt::join(failures, "; "))));
}

void add_mutation_options(CLI::App& verb, MutationOptions& m) {
    verb.add_option(
        "--at", m.at,
        tr("When it happened (default now): now, RFC 3339, 'YYYY-MM-DD HH:MM' or YYYY-MM-DD"));
    verb.add_flag("--no-commit", m.no_commit, tr("Write the record but do not commit it"));
}

namespace {

// Each file of subcommands registers its own, in the order `opsflow --help` lists them.
using Registrar = void (*)(CLI::App&, Cli&);
constexpr Registrar registrars[] = {
    register_init_command,        register_incident_commands, register_maint_commands,
    register_docs_command,        register_standards_command, register_ticket_commands,
    register_survey_commands,     register_sla_commands,      register_notices_commands,
    register_mail_commands,       register_search_command,    register_problem_commands,
    register_article_commands,    register_report_command,    register_improve_commands,
    register_check_command,       register_git_commands,      register_transfer_commands,
    register_completion_commands, register_manpage_command,
};

std::string usage_hint(const CLI::App* app) {
    std::string path;
    for (auto* a = app; a && a->get_parent(); a = a->get_parent())
        path = a->get_name() + (path.empty() ? "" : " ") + path;
    return tr("run: opsflow {}--help", path.empty() ? "" : path + " ");
}

// CLI11's own words in --help, in the operator's language; subcommands and options made
// after this inherit the formatter, the help flag and the group names.
void localize_help(CLI::App& app) {
    auto formatter = app.get_formatter();
    const std::pair<const char*, std::string> labels[] = {
        {"Usage", tr("Usage")},           {"OPTIONS", tr("OPTIONS")},
        {"SUBCOMMAND", tr("SUBCOMMAND")}, {"SUBCOMMANDS", tr("SUBCOMMANDS")},
        {"REQUIRED", tr("REQUIRED")},     {"Positionals", tr("Positionals")},
        {"Needs", tr("Needs")},           {"Excludes", tr("Excludes")}};
    for (const auto& [label, text] : labels)
        formatter->label(label, text);
    app.option_defaults()->group(tr("Options"));
    app.set_help_flag("-h,--help", tr("Print this help message and exit"));
    app.group(tr("Subcommands"));
}

// A subcommand's help flag is made before it inherits the option group: put it in the
// group of the other options.
void group_help_flags(CLI::App& app) {
    for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (CLI::Option* help = sub->get_help_ptr()) help->group(app.get_help_ptr()->get_group());
        group_help_flags(*sub);
    }
}

// Text given on the command line is never blank (an empty `--at` is not "now", an
// empty title is not a title, nor one of U+3000 or U+200B) and holds no character a
// terminal acts on (other than tab and line feed), nor a bidi override or line
// separator that reorders a view: it would reach records, mail headers and other
// people's terminals. Refused before anything runs.
void check_command_line_text(const CLI::App& app) {
    for (const CLI::App* command = &app; command;
         command = command->get_subcommands().empty() ? nullptr
                                                      : command->get_subcommands().front()) {
        for (const CLI::Option* option : command->get_options())
            for (const auto& value : option->results()) {
                auto refuse = [&](const std::string& what) {
                    throw UsageError(tr("{}: {} ({})", option->get_name(false, true), what,
                                        usage_hint(command)));
                };
                if (is_blank_text(value)) refuse(tr("must not be blank"));
                auto control = find_control_character(value);
                if (!control) control = find_bidi_control(value);
                if (control)
                    refuse(tr("control character U+{:04X} is not allowed",
                              static_cast<std::uint32_t>(control->code)));
            }
    }
}

} // namespace

int run(int argc, char** argv, const Environment& environment) {
    find_catalogues();
    set_default_language(locale_language());
    Cli cli;
    cli.environment = environment;
    cli.global.lang = lang_argument(argc, argv);
    if (cli.global.lang) set_default_language(*cli.global.lang);
    CLI::App app{tr("opsflow: incident, maintenance, support and service records for IT "
                    "operations,\nkept as YAML files in a git repository."),
                 "opsflow"};
    localize_help(app);
    app.set_version_flag("--version", std::string("opsflow ") + OPSFLOW_VERSION,
                         tr("Display program version information and exit"));
    app.add_option("-C", cli.global.directory, tr("Run in the store at DIR"))->option_text("DIR");
    app.add_option("--as", cli.global.as, tr("Act as PERSON (a team.yaml id), recorded in events"))
        ->option_text("PERSON");
    app.add_option("--color", cli.global.color, tr("Colour output"))
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_flag("-q,--quiet", cli.global.quiet, tr("Print nothing on success but created IDs"));
    std::string lang; // read before parsing, by lang_argument()
    app.add_option("--lang", lang,
                   tr("Language of messages, notices and reports: zh-CN or en "
                      "(default: messages follow the locale, notices the store)"))
        ->option_text("LANG");
    app.require_subcommand(1);
    app.fallthrough();
    app.footer(tr(
        "Run 'opsflow COMMAND --help' for a command's options and examples.\n"
        "Exit codes: 0 ok, 1 runtime failure, 2 usage, 3 not found or no store, 4 refused by the\n"
        "workflow, 5 invalid data."));
    for (auto registrar : registrars)
        registrar(app, cli);

    // `opsflow help incident new`: the words after `help` name a command, so they are
    // looked up here rather than parsed as that command.
    app.add_subcommand("help", tr("Show help for a command: opsflow help incident new"))
        ->allow_extras();
    group_help_flags(app);
    if (argc >= 2 && std::string_view(argv[1]) == "help") {
        const CLI::App* topic = &app;
        for (int i = 2; i < argc; ++i) {
            if (argv[i][0] == '-') continue; // `help --help`, `help incident -h`: still help
            try {
                topic = topic->get_subcommand(argv[i]);
            } catch (const CLI::Error&) {
                throw UsageError(tr("no command '{}' (run: opsflow --help)", argv[i]));
            }
        }
        std::cout << topic->help();
        return 0;
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        const CLI::App* where = &app;
        for (auto* sub = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front();
             sub; sub = sub->get_subcommands().empty() ? nullptr : sub->get_subcommands().front())
            where = sub;
        throw UsageError(tr("{} ({})", parse_error_text(e), usage_hint(where)));
    }
    check_command_line_text(app);
    if (cli.action) cli.action();
    return 0;
}

} // namespace opsflow::cli
