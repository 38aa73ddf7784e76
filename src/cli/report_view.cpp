#include "report_view.hpp"

#include "opsflow/i18n.hpp"
#include "output.hpp"
#include "report_charts.hpp"

#include <algorithm>
#include <date/date.h>
#include <fmt/format.h>
#include <functional>

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

std::string counts(const Counts& by_key) {
    std::string out;
    for (const auto& [key, n] : by_key)
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ", key, n);
    return out.empty() ? "—" : out;
}

std::string stats(const SampleStats& s) {
    return fmt::format("mean {}, median {}, p90 {} (n={})", show(s.mean), show(s.median),
                       show(s.p90), s.n);
}

// The figures of a report as (section, label, value) rows, the one list every format uses.
struct Figure {
    std::string section, label, value;
};

std::vector<Figure> figures(const Report& r) {
    const auto& i = r.incidents;
    const auto& t = r.tickets;
    const auto& m = r.maintenance;
    const auto& s = r.satisfaction;
    return {
        {"Incidents", "total", show(i.total)},
        {"Incidents", "by status", counts(i.by_status)},
        {"Incidents", "by priority", counts(i.by_priority)},
        {"Incidents", "by service", counts(i.by_service)},
        {"Incidents", "by category", counts(i.by_category)},
        {"Incidents", "by channel", counts(i.by_channel)},
        {"Incidents", "MTTA (minutes)", stats(i.mtta_minutes)},
        {"Incidents", "MTTR (minutes)", stats(i.mttr_minutes)},
        {"Incidents", "SLA response met", pct(i.sla.response_met_pct)},
        {"Incidents", "SLA resolution met", pct(i.sla.resolution_met_pct)},
        {"Incidents", "SLA breaches", show(i.sla.breaches.size())},
        {"Incidents", "reopen rate", pct(i.reopen_rate_pct)},
        {"Tickets", "received", show(t.total)},
        {"Tickets", "by channel", counts(t.by_channel)},
        {"Tickets", "answered", show(t.answered)},
        {"Tickets", "escalated", show(t.escalated)},
        {"Tickets", "time to answer (minutes)", stats(t.answer_minutes)},
        {"Maintenance", "windows", show(m.total)},
        {"Maintenance", "by result", counts(m.by_result)},
        {"Maintenance", "notices on time", pct(m.notice_on_time_pct)},
        {"Maintenance", "overruns", show(m.overrun_ids.size())},
        {"Satisfaction", "surveys sent", show(s.sent)},
        {"Satisfaction", "answered", show(s.answered)},
        {"Satisfaction", "response rate", pct(s.response_rate_pct)},
        {"Satisfaction", "mean score", show(s.mean_score)},
        {"Satisfaction", "CSAT (4-5)", pct(s.csat_pct)},
    };
}

std::string period_line(const Report& r) {
    const auto& p = r.period;
    std::string scope;
    if (p.scope.service) scope += fmt::format(", service {}", *p.scope.service);
    if (p.scope.category) scope += fmt::format(", category {}", *p.scope.category);
    return fmt::format("{} to {} ({} days{})", format_rfc3339(p.from, p.zone).substr(0, 16),
                       format_rfc3339(p.to, p.zone).substr(0, 16), number_text(p.days), scope);
}

std::string evidence(const Finding& f) {
    std::string out;
    for (std::size_t k = 0; k < f.evidence.size() && k < 8; ++k)
        out += (k ? " " : "") + f.evidence[k];
    if (f.evidence.size() > 8) out += fmt::format(" (+{})", f.evidence.size() - 8);
    return out;
}

std::string kind(const Finding& f) {
    return std::string(finding_kind_name(f.kind));
}

// `incidents.total  +3` for every figure that changed against the previous period.
std::vector<std::pair<std::string, std::string>> changes(const Report& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& change : r.change)
        if (change.delta != 0)
            out.emplace_back(
                fmt::format("{}", fmt::join(change.path, ".")),
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
        one_year ? "week (starting Monday), " + week_text(weeks.front()).substr(0, 4)
                 : "week (starting Monday)";
    BarChart incidents;
    incidents.title = "Incidents per week by priority";
    incidents.x_title = week_title;
    incidents.y_title = "incidents";
    incidents.series = {series_priorities.begin(), series_priorities.end()};
    incidents.colors = {"#c0392b", "#e67e22", "#f1c40f", "#7f8c8d"};
    LineChart mttr;
    mttr.title = "MTTR trend: mean minutes to resolve, by week reported";
    mttr.x_title = week_title;
    mttr.y_title = "minutes";
    mttr.color = "#c0392b";
    mttr.note = "no point: none of the week's incidents resolved yet";
    for (const auto& w : weeks) {
        std::string week = week_text(w);
        incidents.labels.push_back(one_year ? week.substr(5) : week);
        incidents.values.emplace_back(w.by_priority.begin(), w.by_priority.end());
        mttr.values.push_back(w.mttr_mean);
    }
    mttr.labels = incidents.labels;
    BarChart sla;
    sla.title = "SLA resolution compliance per service (%)";
    sla.x_title = "service";
    sla.y_title = "% resolved within the SLA";
    sla.unit = "%";
    sla.colors = {"#27ae60"};
    sla.y_max = 100;
    sla.goal = r.series.sla_goal_pct;
    for (const auto& [service, compliance] : r.series.sla_resolution_by_service) {
        if (!compliance) continue;
        sla.labels.push_back(service);
        sla.values.push_back({*compliance});
    }
    BarChart scores;
    scores.title = "Satisfaction: answers per score";
    scores.x_title = "score (1 = very dissatisfied, 5 = very satisfied)";
    scores.y_title = "answers";
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
    std::string out = fmt::format("opsflow report: {}\n", period_line(r));
    std::string section;
    Table* table = nullptr;
    std::vector<std::unique_ptr<Table>> tables;
    for (const auto& f : figures(r)) {
        if (f.section != section) {
            if (table) out += "\n" + section + "\n" + table->render(false, 0);
            section = f.section;
            tables.push_back(std::make_unique<Table>(std::vector<std::string>{"FIGURE", "VALUE"}));
            table = tables.back().get();
        }
        table->add_row({"  " + f.label, f.value});
    }
    if (table) out += "\n" + section + "\n" + table->render(false, 0);
    const auto& breaches = r.incidents.sla.breaches;
    if (!breaches.empty()) {
        Table t({"ID", "STAGE", "PRI", "SERVICE", "ASSIGNEE", "TITLE"});
        for (const auto& b : breaches)
            t.add_row({b.id, b.stage, b.priority, b.service, b.assignee, b.title});
        out += "\nSLA breaches\n" + t.render(false, 0);
    }
    if (r.previous) {
        Table t({"FIGURE", "CHANGE"});
        for (const auto& [path, delta] : changes(r))
            t.add_row({"  " + path, delta});
        out += "\nChange from the previous period\n" + t.render(false, 0);
    }
    out += "\nFindings\n";
    if (r.findings.empty()) out += "  none\n";
    for (const auto& f : r.findings)
        out += fmt::format("  [{}] {}\n    {}\n    evidence: {}\n", kind(f), f.id, f.suggestion,
                           evidence(f));
    return out;
}

std::string report_markdown(const Report& r) {
    std::string out = fmt::format("# Service report\n\n{}\n", period_line(r));
    std::string section;
    for (const auto& f : figures(r)) {
        if (f.section != section) {
            section = f.section;
            out += fmt::format("\n## {}\n\n| figure | value |\n|---|---|\n", section);
        }
        std::string v = f.value;
        std::replace(v.begin(), v.end(), '|', '/');
        out += fmt::format("| {} | {} |\n", f.label, v);
    }
    const auto& breaches = r.incidents.sla.breaches;
    if (!breaches.empty()) {
        out += "\n## SLA breaches\n\n| incident | stage | priority | service | assignee | title "
               "|\n|---|---|---|---|---|---|\n";
        for (const auto& b : breaches) {
            std::string title = b.title;
            std::replace(title.begin(), title.end(), '|', '/');
            out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", b.id, b.stage, b.priority,
                               b.service, b.assignee, title);
        }
    }
    if (r.previous) {
        out += "\n## Change from the previous period\n\n| figure | change |\n|---|---|\n";
        for (const auto& [path, delta] : changes(r))
            out += fmt::format("| {} | {} |\n", path, delta);
    }
    out += "\n## Findings\n\n";
    if (r.findings.empty()) out += "None.\n";
    for (const auto& f : r.findings)
        out += fmt::format("- **{}** (`{}`): {}  \n  evidence: {}\n", kind(f), f.id, f.suggestion,
                           evidence(f));
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
    std::string out = fmt::format(R"(<!DOCTYPE html>
<html lang="{}"><head><meta charset="utf-8"><title>opsflow service report</title>
)",
                                  language_tag(current_language()));
    out += R"(<style>
body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei","Source Han Sans SC",sans-serif;margin:2em auto;max-width:60em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.25em .8em;text-align:left}
figure{margin:1em 0}figcaption{font-weight:600}svg{width:100%;max-width:720px;height:auto;background:#fafafa}
.finding{border-left:4px solid #c0392b;padding:.3em .8em;margin:.6em 0;background:#fdf3f2}
</style></head><body>
)";
    out += fmt::format("<h1>Service report</h1><p>{}</p>\n", escape_html(period_line(r)));
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
    out += "</table>\n<h2>Charts</h2>\n" + report_charts(r);
    const auto& breaches = r.incidents.sla.breaches;
    if (!breaches.empty()) {
        out += "<h2>SLA "
               "breaches</h2><table><tr><th>incident</th><th>stage</th><th>priority</"
               "th><th>service</th>"
               "<th>assignee</th><th>title</th></tr>\n";
        for (const auto& b : breaches)
            out += fmt::format(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape_html(b.id), escape_html(b.stage), escape_html(b.priority),
                escape_html(b.service), escape_html(b.assignee), escape_html(b.title));
        out += "</table>\n";
    }
    out += "<h2>Findings</h2>\n";
    if (r.findings.empty()) out += "<p>None.</p>\n";
    for (const auto& f : r.findings)
        out += fmt::format("<div class=\"finding\"><b>{}</b> "
                           "<code>{}</code><br>{}<br><small>evidence: {}</small></div>\n",
                           escape_html(kind(f)), escape_html(f.id), escape_html(f.suggestion),
                           escape_html(evidence(f)));
    return out + "</body></html>\n";
}

} // namespace opsflow::cli
