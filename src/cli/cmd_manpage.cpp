// opsflow __manpage: the man page, written in roff from the command definitions at
// build time, so that it never disagrees with --help; in the operator's language
// (`--lang zh-CN __manpage` writes share/man/zh_CN/man1/opsflow.1).
#include "cli.hpp"
#include "command_tree.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <iostream>
#include <sstream>

namespace opsflow::cli {

namespace {

// Text as roff reads it literally: backslashes escaped, no line taken for a request.
std::string roff(const std::string& text) {
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
        line_start = c == '\n';
    }
    return out;
}

void write_command(std::ostream& out, const CommandInfo& c) {
    if (!c.path.empty()) {
        std::string usage = fmt::format("opsflow {}", fmt::join(c.path, " "));
        for (const auto& p : c.positionals)
            usage += " " + p;
        if (!c.subcommands.empty()) usage += " VERB";
        out << ".SS \"" << roff(usage) << "\"\n" << roff(c.description) << "\n";
        for (const auto& o : c.options) {
            if (o.names.front() == "-h" || o.names.front() == "--help") continue;
            std::vector<std::string> names;
            for (const auto& n : o.names)
                names.push_back("\\fB" + roff(n) + "\\fR");
            out << ".TP\n"
                << fmt::format("{}", fmt::join(names, ", "))
                << (o.value_name.empty() ? "" : " \\fI" + roff(o.value_name) + "\\fR") << "\n"
                << roff(o.description) << "\n";
        }
        if (!c.footer.empty()) out << ".PP\n.nf\n" << roff(c.footer) << "\n.fi\n";
    }
    for (const auto& s : c.subcommands)
        write_command(out, s);
}

std::string bold(const std::string& text) {
    return "\\fB" + roff(text) + "\\fR";
}

// A translated sentence in roff, with `{}` replaced by `marked` (already roff: bold names).
template <class... Marked> std::string sentence(const std::string& text, const Marked&... marked) {
    return fmt::format(fmt::runtime(roff(text)), marked...);
}

// `.TP` items: a term, then what it means (roff).
void items(std::ostream& out, std::initializer_list<std::pair<std::string, std::string>> list) {
    for (const auto& [term, meaning] : list)
        out << ".TP\n" << term << "\n" << meaning << "\n";
}

std::string manpage(const CLI::App& app) {
    CommandInfo root = command_tree(app);
    std::ostringstream out;
    out << ".\\\" -*- coding: UTF-8 -*-\n.TH OPSFLOW 1 \"\" \"opsflow " << OPSFLOW_VERSION
        << "\" \"" << tr("User Commands") << "\"\n"
        << ".SH " << tr("NAME") << "\nopsflow \\- "
        << roff(tr("incident, maintenance, support and service records for IT operations, kept "
                   "as YAML files in a git repository"))
        << "\n"
        << ".SH " << tr("SYNOPSIS")
        << "\n.B opsflow\n[\\fB\\-C\\fR \\fIDIR\\fR] [\\fB\\-\\-as\\fR "
           "\\fIPERSON\\fR] [\\fB\\-\\-color\\fR \\fIauto|always|never\\fR] [\\fB\\-q\\fR] "
           "\\fICOMMAND\\fR ...\n"
        << ".SH " << tr("DESCRIPTION") << "\n"
        << roff(root.description) << "\n"
        << ".PP\n"
        << sentence(tr("A store is a directory whose root holds opsflow.yaml; opsflow finds it "
                       "from {}, then {}, then the current directory and its parents. Every "
                       "change is one git commit with Opsflow-Action and Opsflow-Record "
                       "trailers."),
                    bold("-C"), bold("OPSFLOW_DIR"))
        << "\n"
        << ".SH " << tr("GLOBAL OPTIONS") << "\n";
    for (const auto& o : root.options) {
        if (o.names.front() == "-h" || o.names.front() == "--help") continue;
        out << ".TP\n\\fB" << roff(fmt::format("{}", fmt::join(o.names, ", "))) << "\\fR\n"
            << roff(o.description) << "\n";
    }
    out << ".SH " << tr("COMMANDS") << "\n";
    write_command(out, root);
    out << ".SH " << tr("EXIT STATUS") << "\n";
    items(out, {{"0", sentence(tr("success"))},
                {"1", sentence(tr("runtime failure (I/O, git, delivery)"))},
                {"2", sentence(tr("usage error"))},
                {"3", sentence(tr("not found, ambiguous, or no store"))},
                {"4", sentence(tr("refused by the workflow or a policy"))},
                {"5", sentence(tr("invalid data (a record or settings file fails validation; "
                                  "check found errors)"))}});
    out << ".SH " << tr("ENVIRONMENT") << "\n";
    items(out, {{"OPSFLOW_DIR", sentence(tr("the store, when {} is not given"), bold("-C"))},
                {"OPSFLOW_USER", sentence(tr("the operator, when {} is not given"), bold("--as"))},
                {"NO_COLOR", sentence(tr("no colour, even on a terminal"))},
                {"VISUAL, EDITOR", sentence(tr("the editor of {}"), bold("--edit"))}});
    out << ".SH " << tr("SEE ALSO")
        << "\n\\fBgit\\fR(1), \\fBgitattributes\\fR(5), \\fBgithooks\\fR(5)\n";
    return out.str();
}

} // namespace

void register_manpage_command(CLI::App& app, Cli& state) {
    auto* hidden = app.add_subcommand("__manpage", "")->group("");
    hidden->callback([&state, &app] { state.action = [&app] { std::cout << manpage(app); }; });
}

} // namespace opsflow::cli
