// opsflow __manpage: the man page, written in roff from the command definitions at
// build time, so that it never disagrees with --help.
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

std::string manpage(const CLI::App& app) {
    CommandInfo root = command_tree(app);
    std::ostringstream out;
    out << ".\\\" -*- coding: UTF-8 -*-\n.TH OPSFLOW 1 \"\" \"opsflow " << OPSFLOW_VERSION
        << "\" \"User Commands\"\n"
        << ".SH NAME\nopsflow \\- incident, maintenance, support and service records for IT "
           "operations, kept as YAML files in a git repository\n"
        << ".SH SYNOPSIS\n.B opsflow\n[\\fB\\-C\\fR \\fIDIR\\fR] [\\fB\\-\\-as\\fR "
           "\\fIPERSON\\fR] [\\fB\\-\\-color\\fR \\fIauto|always|never\\fR] [\\fB\\-q\\fR] "
           "\\fICOMMAND\\fR ...\n"
        << ".SH DESCRIPTION\n"
        << roff(root.description) << "\n"
        << ".PP\nA store is a directory whose root holds opsflow.yaml; opsflow finds it from "
           "\\fB\\-C\\fR, then \\fBOPSFLOW_DIR\\fR, then the current directory and its parents. "
           "Every change is one git commit with Opsflow\\-Action and Opsflow\\-Record trailers.\n"
        << ".SH GLOBAL OPTIONS\n";
    for (const auto& o : root.options) {
        if (o.names.front() == "-h" || o.names.front() == "--help") continue;
        out << ".TP\n\\fB" << roff(fmt::format("{}", fmt::join(o.names, ", "))) << "\\fR\n"
            << roff(o.description) << "\n";
    }
    out << ".SH COMMANDS\n";
    write_command(out, root);
    out << ".SH EXIT STATUS\n.TP\n0\nsuccess\n.TP\n1\nruntime failure (I/O, git, delivery)\n"
           ".TP\n2\nusage error\n.TP\n3\nnot found, ambiguous, or no store\n.TP\n4\nrefused by "
           "the workflow or a policy\n.TP\n5\ninvalid data (a record or settings file fails "
           "validation; check found errors)\n"
        << ".SH ENVIRONMENT\n.TP\nOPSFLOW_DIR\nthe store, when \\fB\\-C\\fR is not given\n"
           ".TP\nOPSFLOW_USER\nthe operator, when \\fB\\-\\-as\\fR is not given\n.TP\n"
           "NO_COLOR\nno colour, even on a terminal\n.TP\nVISUAL, EDITOR\nthe editor of "
           "\\fB\\-\\-edit\\fR\n"
        << ".SH SEE ALSO\n\\fBgit\\fR(1), \\fBgitattributes\\fR(5), \\fBgithooks\\fR(5)\n";
    return out.str();
}

} // namespace

void register_manpage_command(CLI::App& app, Cli& state) {
    auto* hidden = app.add_subcommand("__manpage", "")->group("");
    hidden->callback([&state, &app] { state.action = [&app] { std::cout << manpage(app); }; });
}

} // namespace opsflow::cli
