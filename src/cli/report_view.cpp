#include "report_view.hpp"

#include "opsflow/base/i18n.hpp"
#include "output.hpp"
#include "report_change.hpp"
#include "report_charts.hpp"

#include <algorithm>
#include <date/date.h>
#include <fmt/format.h>
#include <functional>
#include <map>

namespace opsflow::cli {

using json = nlohmann::ordered_json;

namespace {

// A number as the JSON has it, so that every format agrees with it to the last digit (the
// core rounds each figure): as JSON writes it, without the `.0` of a whole one.
std::string number_text(double v) {
    std::string text = json(v).dump();
    if (text.ends_with(".0")) text.resize(text.size() - 2);
    return text;
}

// A value of the JSON report as text: a string as it is, a number as number_text.
std::string value_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_float()) return number_text(v.get<double>());
    return v.dump();
}

// A figure as people read it: `—` for no data.
std::string show(const std::optional<double>& v) {
    return v ? number_text(*v) : "—";
}

std::string show(std::size_t n) {
    return std::to_string(n);
}

std::string pct(const std::optional<double>& v) {
    return v ? number_text(*v) + "%" : "—";
}

// The values of the data a count can be keyed by that are words (a maintenance result;
// statuses are marked in workflows.cpp, channels in vocabulary.hpp): translated when
// shown. Services and categories are the store's own names and stay as they are.
[[maybe_unused]] constexpr std::string_view counted_words[] = {N_("pending"), N_("cancelled"),
                                                               N_("(none)")};

enum class Keys { names, words };

std::string counts(const Counts& by_key, Keys keys = Keys::names) {
    std::string out;
    for (const auto& [key, n] : by_key)
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ",
                           keys == Keys::words || key == "(none)" ? tr(key) : key, n);
    return out.empty() ? "—" : out;
}

// `mail 3.2 (n=4), vpn 0.8 (n=1)`: incidents per 30 days by service, and how many.
std::string failures(const std::map<std::string, ServiceFailures>& by_service) {
    std::string out;
    for (const auto& [service, f] : by_service)
        out += (out.empty() ? "" : ", ") + tr("{} {} (n={})",
                                              service == "(none)" ? tr(service) : service,
                                              show(f.per_30_days), f.incidents);
    return out.empty() ? "—" : out;
}

std::string stats(const SampleStats& s) {
    return tr("mean {}, median {}, p90 {} (n={})", show(s.mean), show(s.median), show(s.p90), s.n);
}

// The figures of a report as (section, label, value) rows, the one list every format uses.
struct Figure {
    std::string section, label, value;
};

// The standards the period was measured against (SPEC §12): their commit at its start,
// and each change inside it (`2026-11-02: sla.P3.resolve 3d → 2d`).
std::string standards_start(const Report& r) {
    if (!r.standards) return tr("(not in git)");
    if (r.standards->commit.empty()) return tr("(none before the period)");
    return fmt::format("{} ({})", r.standards->commit, r.standards->date.substr(0, 10));
}

std::string standards_changes(const Report& r) {
    if (!r.standards || r.standards->changes.empty()) return tr("none");
    std::vector<std::string> lines;
    for (auto c = r.standards->changes.rbegin(); c != r.standards->changes.rend(); ++c)
        for (const auto& change : c->changes)
            lines.push_back(fmt::format("{}: {}", c->date.substr(0, 10), change_text(change)));
    return fmt::format("{}", fmt::join(lines, "; "));
}

std::vector<Figure> figures(const Report& r) {
    const auto& i = r.incidents;
    const auto& t = r.tickets;
    const auto& m = r.maintenance;
    const auto& s = r.satisfaction;
    const auto& k = r.knowledge;
    const std::string incidents = tr("Incidents"), tickets = tr("Tickets"),
                      maintenance = tr("Maintenance"), satisfaction = tr("Satisfaction"),
                      knowledge = tr("Problems and articles"), standards = tr("Standards");
    return {
        {incidents, tr("total"), show(i.total)},
        {incidents, tr("by status"), counts(i.by_status, Keys::words)},
        {incidents, tr("by priority"), counts(i.by_priority)},
        {incidents, tr("by service"), counts(i.by_service)},
        {incidents, tr("by category"), counts(i.by_category)},
        {incidents, tr("by channel"), counts(i.by_channel, Keys::words)},
        {incidents, tr("MTTA (minutes)"), stats(i.mtta_minutes)},
        {incidents, tr("MTTR (minutes)"), stats(i.mttr_minutes)},
        {incidents, tr("SLA response met"), pct(i.sla.response_met_pct)},
        {incidents, tr("SLA resolution met"), pct(i.sla.resolution_met_pct)},
        {incidents, tr("SLA breaches"), show(i.sla.breaches.size())},
        {incidents, tr("reopen rate"), pct(i.reopen_rate_pct)},
        {incidents, tr("failure rate (per 30 days)"), failures(i.failure_rate)},
        {tickets, tr("received"), show(t.total)},
        {tickets, tr("by channel"), counts(t.by_channel, Keys::words)},
        {tickets, tr("answered"), show(t.answered)},
        {tickets, tr("escalated"), show(t.escalated)},
        {tickets, tr("time to answer (minutes)"), stats(t.answer_minutes)},
        {maintenance, tr("windows"), show(m.total)},
        {maintenance, tr("by result"), counts(m.by_result, Keys::words)},
        {maintenance, tr("notices on time"), pct(m.notice_on_time_pct)},
        {maintenance, tr("overruns"), show(m.overrun_ids.size())},
        {maintenance, tr("evaluated before their window passed (partial)"),
         show(m.partial_evaluation_ids.size())},
        {satisfaction, tr("surveys sent"), show(s.sent)},
        {satisfaction, tr("answered"), show(s.answered)},
        {satisfaction, tr("response rate"), pct(s.response_rate_pct)},
        {satisfaction, tr("mean score"), show(s.mean_score)},
        {satisfaction, tr("CSAT (4-5)"), pct(s.csat_pct)},
        {knowledge, tr("problems opened"), show(k.problems_opened)},
        {knowledge, tr("open problems"), show(k.open_problems)},
        {knowledge, tr("known errors"), show(k.known_errors)},
        {knowledge, tr("incidents linked to them"), show(k.incidents_linked)},
        {knowledge, tr("time to known cause (minutes)"), stats(k.known_cause_minutes)},
        {knowledge, tr("answers by article"), counts(k.answers_by_article)},
        {standards, tr("in force at the start"), standards_start(r)},
        {standards, tr("changed in the period"), standards_changes(r)},
    };
}

std::string period_line(const Report& r) {
    const auto& p = r.period;
    std::string scope;
    if (p.scope.service) scope += tr(", service {}", *p.scope.service);
    if (p.scope.category) scope += tr(", category {}", *p.scope.category);
    return tr("{} to {} ({} days{})", format_rfc3339(p.from, p.zone).substr(0, 16),
              format_rfc3339(p.to, p.zone).substr(0, 16), number_text(p.days), scope);
}

std::string evidence(const Finding& f) {
    std::string out;
    for (std::size_t k = 0; k < f.evidence.size() && k < 8; ++k)
        out += (k ? " " : "") + f.evidence[k];
    if (f.evidence.size() > 8) out += fmt::format(" (+{})", f.evidence.size() - 8);
    return out;
}

// The finding's kind as people read it (JSON keeps the name).
std::string kind(const Finding& f) {
    return tr(finding_kind_name(f.kind));
}

// `Incidents › total  +3` for every figure that changed against the previous period.
std::vector<std::pair<std::string, std::string>> changes(const Report& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& change : r.change)
        if (change.delta != 0)
            out.emplace_back(
                change_label(change.path),
                fmt::format("{}{}", change.delta > 0 ? "+" : "", number_text(change.delta)));
    return out;
}

// The four charts of the HTML page, from the report's series and satisfaction figures.
std::string report_charts(const Report& r) {
    const auto& weeks = r.series.weeks;
    auto week_text = [](const WeekFigures& w) { return date::format("%F", w.week); };
    // A week by its Monday: month and day when the weeks are all in one year.
    bool one_year = !weeks.empty() &&
                    week_text(weeks.front()).substr(0, 4) == week_text(weeks.back()).substr(0, 4);
    std::string week_title =
        one_year ? tr("week (starting Monday), {}", week_text(weeks.front()).substr(0, 4))
                 : tr("week (starting Monday)");
    BarChart incidents;
    incidents.title = tr("Incidents per week by priority");
    incidents.x_title = week_title;
    incidents.y_title = tr("incidents");
    incidents.series = {series_priorities.begin(), series_priorities.end()};
    incidents.colors = {"#c0392b", "#e67e22", "#f1c40f", "#7f8c8d"};
    LineChart mttr;
    mttr.title = tr("MTTR trend: mean minutes to resolve, by week reported");
    mttr.x_title = week_title;
    mttr.y_title = tr("minutes");
    mttr.color = "#c0392b";
    mttr.note = tr("no point: none of the week's incidents resolved yet");
    for (const auto& w : weeks) {
        std::string week = week_text(w);
        incidents.labels.push_back(one_year ? week.substr(5) : week);
        incidents.values.emplace_back(w.by_priority.begin(), w.by_priority.end());
        mttr.values.push_back(w.mttr_mean);
    }
    mttr.labels = incidents.labels;
    BarChart sla;
    sla.title = tr("SLA resolution compliance per service (%)");
    sla.x_title = tr("service");
    sla.y_title = tr("% resolved within the SLA");
    sla.unit = "%";
    sla.colors = {"#27ae60"};
    sla.y_max = 100;
    sla.goal = r.series.sla_goal_pct;
    for (const auto& [service, compliance] : r.series.sla_resolution_by_service) {
        if (!compliance) continue;
        sla.labels.push_back(service == "(none)" ? tr(service) : service);
        sla.values.push_back({*compliance});
    }
    BarChart scores;
    scores.title = tr("Satisfaction: answers per score");
    scores.x_title = tr("score (1 = very dissatisfied, 5 = very satisfied)");
    scores.y_title = tr("answers");
    scores.colors = {"#2980b9"};
    for (std::size_t score = 1; score <= r.satisfaction.distribution.size(); ++score) {
        scores.labels.push_back(std::to_string(score));
        scores.values.push_back({static_cast<double>(r.satisfaction.distribution[score - 1])});
    }
    return svg_bar_chart(incidents) + svg_line_chart(mttr) + svg_bar_chart(sla) +
           svg_bar_chart(scores);
}

} // namespace

std::string report_text(const Report& r) {
    std::string out = tr("opsflow report: {}", period_line(r)) + "\n";
    std::string section;
    Table* table = nullptr;
    std::vector<std::unique_ptr<Table>> tables;
    for (const auto& f : figures(r)) {
        if (f.section != section) {
            if (table) out += "\n" + section + "\n" + table->render(false, 0);
            section = f.section;
            tables.push_back(
                std::make_unique<Table>(std::vector<std::string>{tr("FIGURE"), tr("VALUE")}));
            table = tables.back().get();
        }
        table->add_row({"  " + f.label, f.value});
    }
    if (table) out += "\n" + section + "\n" + table->render(false, 0);
    const auto& breaches = r.incidents.sla.breaches;
    if (!breaches.empty()) {
        Table t({tr("ID"), tr("STAGE"), tr("PRI"), tr("SERVICE"), tr("ASSIGNEE"), tr("TITLE")});
        for (const auto& b : breaches)
            t.add_row({b.id, tr(b.stage), b.priority, b.service, b.assignee, b.title});
        out += "\n" + tr("SLA breaches") + "\n" + t.render(false, 0);
    }
    if (r.previous) {
        Table t({tr("FIGURE"), tr("CHANGE")});
        for (const auto& [path, delta] : changes(r))
            t.add_row({"  " + path, delta});
        out += "\n" + tr("Change from the previous period") + "\n" + t.render(false, 0);
    }
    out += "\n" + tr("Findings") + "\n";
    if (r.findings.empty()) out += "  " + tr("none") + "\n";
    for (const auto& f : r.findings)
        out += fmt::format("  [{}] {}\n    {}\n    {}\n", kind(f), f.id, f.suggestion,
                           tr("evidence: {}", evidence(f)));
    return out;
}

std::string report_markdown(const Report& r) {
    std::string out = fmt::format("# {}\n\n{}\n", tr("Service report"), period_line(r));
    std::string section;
    for (const auto& f : figures(r)) {
        if (f.section != section) {
            section = f.section;
            out += fmt::format("\n## {}\n\n| {} | {} |\n|---|---|\n", section, tr("figure"),
                               tr("value"));
        }
        std::string v = f.value;
        std::replace(v.begin(), v.end(), '|', '/');
        out += fmt::format("| {} | {} |\n", f.label, v);
    }
    const auto& breaches = r.incidents.sla.breaches;
    if (!breaches.empty()) {
        out +=
            fmt::format("\n## {}\n\n| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|\n",
                        tr("SLA breaches"), tr("incident"), tr("stage"), tr("priority"),
                        tr("service"), tr("assignee"), tr("title"));
        for (const auto& b : breaches) {
            std::string title = b.title;
            std::replace(title.begin(), title.end(), '|', '/');
            out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", b.id, tr(b.stage), b.priority,
                               b.service, b.assignee, title);
        }
    }
    if (r.previous) {
        out += fmt::format("\n## {}\n\n| {} | {} |\n|---|---|\n",
                           tr("Change from the previous period"), tr("figure"), tr("change"));
        for (const auto& [path, delta] : changes(r))
            out += fmt::format("| {} | {} |\n", path, delta);
    }
    out += fmt::format("\n## {}\n\n", tr("Findings"));
    if (r.findings.empty()) out += tr("None.") + "\n";
    for (const auto& f : r.findings)
        out += fmt::format("- **{}** (`{}`): {}  \n  {}\n", kind(f), f.id, f.suggestion,
                           tr("evidence: {}", evidence(f)));
    return out;
}

std::string report_csv(const Report& report) {
    // One row per value of the JSON report, under its JSON path: the figures, findings,
    // series, and with --compare `previous` and `change`.
    std::string out = csv_row({"figure", "value"});
    std::function<void(const json&, const std::string&)> walk = [&](const json& v,
                                                                    const std::string& path) {
        if (v.is_object()) {
            for (auto it = v.begin(); it != v.end(); ++it)
                walk(it.value(), path.empty() ? it.key() : path + "." + it.key());
        } else if (v.is_array()) {
            for (std::size_t k = 0; k < v.size(); ++k)
                walk(v[k], fmt::format("{}.{}", path, k));
        } else {
            out += csv_row({path, v.is_null() ? "" : value_text(v)});
        }
    };
    walk(to_json(report), "");
    return out;
}

std::string report_html(const Report& r) {
    // The language the report is written in (SPEC §10); the fonts a Debian desktop has
    // for Chinese (fonts-noto-cjk, fonts-wqy-microhei) before the generic family.
    std::string out =
        fmt::format(R"(<!DOCTYPE html>
<html lang="{}"><head><meta charset="utf-8"><title>{}</title>
)",
                    language_tag(current_language()), escape_html(tr("opsflow service report")));
    out += R"(<style>
body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei","Source Han Sans SC",sans-serif;margin:2em auto;max-width:60em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.25em .8em;text-align:left}
figure{margin:1em 0}figcaption{font-weight:600}svg{width:100%;max-width:720px;height:auto;background:#fafafa}
.finding{border-left:4px solid #c0392b;padding:.3em .8em;margin:.6em 0;background:#fdf3f2}
</style></head><body>
)";
    out += fmt::format("<h1>{}</h1><p>{}</p>\n", escape_html(tr("Service report")),
                       escape_html(period_line(r)));
    std::string section;
    for (const auto& f : figures(r)) {
        if (f.section != section) {
            if (!section.empty()) out += "</table>\n";
            section = f.section;
            out += fmt::format("<h2>{}</h2><table>\n", escape_html(section));
        }
        out += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", escape_html(f.label),
                           escape_html(f.value));
    }
    out += "</table>\n<h2>" + escape_html(tr("Charts")) + "</h2>\n" + report_charts(r);
    const auto& breaches = r.incidents.sla.breaches;
    if (!breaches.empty()) {
        out += "<h2>" + escape_html(tr("SLA breaches")) + "</h2><table><tr>";
        for (std::string_view heading : {N_("incident"), N_("stage"), N_("priority"), N_("service"),
                                         N_("assignee"), N_("title")})
            out += "<th>" + escape_html(tr(heading)) + "</th>";
        out += "</tr>\n";
        for (const auto& b : breaches)
            out += fmt::format(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape_html(b.id), escape_html(tr(b.stage)), escape_html(b.priority),
                escape_html(b.service), escape_html(b.assignee), escape_html(b.title));
        out += "</table>\n";
    }
    out += "<h2>" + escape_html(tr("Findings")) + "</h2>\n";
    if (r.findings.empty()) out += "<p>" + escape_html(tr("None.")) + "</p>\n";
    for (const auto& f : r.findings)
        out += fmt::format("<div class=\"finding\"><b>{}</b> "
                           "<code>{}</code><br>{}<br><small>{}</small></div>\n",
                           escape_html(kind(f)), escape_html(f.id), escape_html(f.suggestion),
                           escape_html(tr("evidence: {}", evidence(f))));
    return out + "</body></html>\n";
}

} // namespace opsflow::cli
