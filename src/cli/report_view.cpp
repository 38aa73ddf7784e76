#include "report_view.hpp"

#include "output.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <functional>

namespace opsflow::cli {

using json = nlohmann::ordered_json;

namespace {

// A value as the JSON has it, so that every format agrees with it to the last digit (the
// core rounds each figure): a number as JSON writes it, without the `.0` of a whole one.
std::string value_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    std::string text = v.dump();
    if (v.is_number_float() && text.ends_with(".0")) text.resize(text.size() - 2);
    return text;
}

// A figure as people read it: `—` for no data.
std::string show(const json& v) {
    return v.is_null() ? "—" : value_text(v);
}

std::string pct(const json& v) {
    return v.is_null() ? "—" : show(v) + "%";
}

std::string counts(const json& obj) {
    std::string out;
    for (auto it = obj.begin(); it != obj.end(); ++it)
        out += (out.empty() ? "" : ", ") + it.key() + " " + show(it.value());
    return out.empty() ? "—" : out;
}

std::string stats(const json& s) {
    return fmt::format("mean {}, median {}, p90 {} (n={})", show(s["mean"]), show(s["median"]),
                       show(s["p90"]), show(s["n"]));
}

// The figures of a report as (section, label, value) rows, the one list every format uses.
struct Figure {
    std::string section, label, value, key;
};

std::vector<Figure> figures(const json& r) {
    const auto& i = r["incidents"];
    const auto& t = r["tickets"];
    const auto& m = r["maintenance"];
    const auto& s = r["satisfaction"];
    return {
        {"Incidents", "total", show(i["total"]), "incidents.total"},
        {"Incidents", "by status", counts(i["by_status"]), ""},
        {"Incidents", "by priority", counts(i["by_priority"]), ""},
        {"Incidents", "by service", counts(i["by_service"]), ""},
        {"Incidents", "by category", counts(i["by_category"]), ""},
        {"Incidents", "by channel", counts(i["by_channel"]), ""},
        {"Incidents", "MTTA (minutes)", stats(i["mtta_minutes"]), ""},
        {"Incidents", "MTTR (minutes)", stats(i["mttr_minutes"]), ""},
        {"Incidents", "SLA response met", pct(i["sla"]["response_met_pct"]), ""},
        {"Incidents", "SLA resolution met", pct(i["sla"]["resolution_met_pct"]), ""},
        {"Incidents", "SLA breaches", std::to_string(i["sla"]["breaches"].size()), ""},
        {"Incidents", "reopen rate", pct(i["reopen_rate_pct"]), ""},
        {"Tickets", "received", show(t["total"]), ""},
        {"Tickets", "answered", show(t["answered"]), ""},
        {"Tickets", "escalated", show(t["escalated"]), ""},
        {"Tickets", "time to answer (minutes)", stats(t["answer_minutes"]), ""},
        {"Maintenance", "windows", show(m["total"]), ""},
        {"Maintenance", "by result", counts(m["by_result"]), ""},
        {"Maintenance", "notices on time", pct(m["notice_on_time_pct"]), ""},
        {"Maintenance", "overruns", show(m["overruns"]), ""},
        {"Satisfaction", "surveys sent", show(s["sent"]), ""},
        {"Satisfaction", "answered", show(s["answered"]), ""},
        {"Satisfaction", "response rate", pct(s["response_rate_pct"]), ""},
        {"Satisfaction", "mean score", show(s["mean_score"]), ""},
        {"Satisfaction", "CSAT (4-5)", pct(s["csat_pct"]), ""},
    };
}

std::string period_line(const json& r) {
    std::string scope;
    for (auto it = r["period"]["scope"].begin(); it != r["period"]["scope"].end(); ++it)
        scope += fmt::format(", {} {}", it.key(), show(it.value()));
    return fmt::format("{} to {} ({} days{})", show(r["period"]["from"]).substr(0, 16),
                       show(r["period"]["to"]).substr(0, 16), show(r["period"]["days"]), scope);
}

std::string evidence(const json& f) {
    std::string out;
    for (std::size_t k = 0; k < f["evidence"].size() && k < 8; ++k)
        out += (k ? " " : "") + show(f["evidence"][k]);
    if (f["evidence"].size() > 8) out += fmt::format(" (+{})", f["evidence"].size() - 8);
    return out;
}

// `incidents.total  +3` for every figure that changed against the previous period.
std::vector<std::pair<std::string, std::string>> changes(const json& r) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!r.contains("change")) return out;
    std::function<void(const json&, const std::string&)> walk = [&](const json& v,
                                                                    const std::string& path) {
        if (v.is_object()) {
            for (auto it = v.begin(); it != v.end(); ++it)
                walk(it.value(), path.empty() ? it.key() : path + "." + it.key());
        } else if (v.is_number() && v.get<double>() != 0) {
            out.emplace_back(path, (v.get<double>() > 0 ? "+" : "") + show(v));
        }
    };
    walk(r["change"], "");
    return out;
}

std::string escape_html(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// A bar chart as inline SVG: one bar (or stack of bars) per label.
std::string svg_bars(const std::string& title, const std::vector<std::string>& labels,
                     const std::vector<std::vector<double>>& stacks,
                     const std::vector<std::string>& colors, double max_value) {
    const int width = 640, height = 220, left = 40, bottom = 40;
    double peak = max_value;
    for (const auto& s : stacks) {
        double sum = 0;
        for (double v : s)
            sum += v;
        peak = std::max(peak, sum);
    }
    if (peak <= 0) peak = 1;
    std::string out =
        fmt::format("<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {} {}\" role=\"img\">",
                    escape_html(title), width, height);
    double slot =
        labels.empty() ? 0 : static_cast<double>(width - left) / static_cast<double>(labels.size());
    for (std::size_t k = 0; k < labels.size(); ++k) {
        double y = height - bottom;
        for (std::size_t c = 0; c < stacks[k].size(); ++c) {
            double h = (height - bottom - 10) * stacks[k][c] / peak;
            y -= h;
            out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                               "fill=\"{}\"><title>{}: {}</title></rect>",
                               left + k * slot + slot * 0.15, y, slot * 0.7, h,
                               colors[c % colors.size()], escape_html(labels[k]), stacks[k][c]);
        }
        out += fmt::format(
            "<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            left + k * slot + slot / 2, height - bottom + 14, escape_html(labels[k]));
    }
    out += fmt::format("<text x=\"4\" y=\"14\" font-size=\"10\">{}</text>",
                       fmt::format("{:.0f}", peak));
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/>", left,
                       height - bottom, width, height - bottom);
    return out + "</svg></figure>\n";
}

std::string svg_line(const std::string& title, const std::vector<std::string>& labels,
                     const std::vector<std::optional<double>>& values) {
    const int width = 640, height = 220, left = 40, bottom = 40;
    double peak = 1;
    for (const auto& v : values)
        if (v) peak = std::max(peak, *v);
    std::string points;
    double slot =
        labels.empty() ? 0 : static_cast<double>(width - left) / static_cast<double>(labels.size());
    std::string out =
        fmt::format("<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {} {}\" role=\"img\">",
                    escape_html(title), width, height);
    for (std::size_t k = 0; k < labels.size(); ++k) {
        double x = left + k * slot + slot / 2;
        if (values[k]) {
            double y = height - bottom - (height - bottom - 10) * *values[k] / peak;
            points += fmt::format("{:.1f},{:.1f} ", x, y);
            out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" "
                               "fill=\"#c0392b\"><title>{}: {:.0f} min</title></circle>",
                               x, y, escape_html(labels[k]), *values[k]);
        }
        out += fmt::format(
            "<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>", x,
            height - bottom + 14, escape_html(labels[k]));
    }
    out += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\"/>", points);
    out += fmt::format("<text x=\"4\" y=\"14\" font-size=\"10\">{:.0f} min</text>", peak);
    return out + "</svg></figure>\n";
}

} // namespace

std::string report_text(const json& r) {
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
    const auto& breaches = r["incidents"]["sla"]["breaches"];
    if (!breaches.empty()) {
        Table t({"ID", "STAGE", "PRI", "SERVICE", "ASSIGNEE", "TITLE"});
        for (const auto& b : breaches)
            t.add_row({show(b["id"]), show(b["stage"]), show(b["priority"]), show(b["service"]),
                       show(b["assignee"]), show(b["title"])});
        out += "\nSLA breaches\n" + t.render(false, 0);
    }
    if (r.contains("change")) {
        Table t({"FIGURE", "CHANGE"});
        for (const auto& [path, delta] : changes(r))
            t.add_row({"  " + path, delta});
        out += "\nChange from the previous period\n" + t.render(false, 0);
    }
    out += "\nFindings\n";
    if (r["findings"].empty()) out += "  none\n";
    for (const auto& f : r["findings"])
        out += fmt::format("  [{}] {}\n    {}\n    evidence: {}\n", show(f["kind"]), show(f["id"]),
                           show(f["suggestion"]), evidence(f));
    return out;
}

std::string report_markdown(const json& r) {
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
    const auto& breaches = r["incidents"]["sla"]["breaches"];
    if (!breaches.empty()) {
        out += "\n## SLA breaches\n\n| incident | stage | priority | service | assignee | title "
               "|\n|---|---|---|---|---|---|\n";
        for (const auto& b : breaches) {
            std::string title = show(b["title"]);
            std::replace(title.begin(), title.end(), '|', '/');
            out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", show(b["id"]), show(b["stage"]),
                               show(b["priority"]), show(b["service"]), show(b["assignee"]), title);
        }
    }
    if (r.contains("change")) {
        out += "\n## Change from the previous period\n\n| figure | change |\n|---|---|\n";
        for (const auto& [path, delta] : changes(r))
            out += fmt::format("| {} | {} |\n", path, delta);
    }
    out += "\n## Findings\n\n";
    if (r["findings"].empty()) out += "None.\n";
    for (const auto& f : r["findings"])
        out += fmt::format("- **{}** (`{}`): {}  \n  evidence: {}\n", show(f["kind"]),
                           show(f["id"]), show(f["suggestion"]), evidence(f));
    return out;
}

std::string report_csv(const json& r) {
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
    walk(r, "");
    return out;
}

std::string report_html(const json& r) {
    std::string out = R"(<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>opsflow service report</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:60em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.25em .8em;text-align:left}
figure{margin:1em 0}figcaption{font-weight:600}svg{width:100%;max-width:640px;height:auto;background:#fafafa}
.finding{border-left:4px solid #c0392b;padding:.3em .8em;margin:.6em 0;background:#fdf3f2}.legend span{margin-right:1em}
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
    out += "</table>\n<h2>Charts</h2>\n";
    std::vector<std::string> weeks;
    std::vector<std::vector<double>> stacks;
    std::vector<std::optional<double>> mttr;
    for (const auto& w : r["series"]["weeks"]) {
        weeks.push_back(show(w["week"]).substr(5));
        stacks.push_back({w["P1"].get<double>(), w["P2"].get<double>(), w["P3"].get<double>(),
                          w["P4"].get<double>()});
        mttr.push_back(w["mttr_mean"].is_number()
                           ? std::optional<double>(w["mttr_mean"].get<double>())
                           : std::nullopt);
    }
    const std::vector<std::string> priority_colors = {"#c0392b", "#e67e22", "#f1c40f", "#7f8c8d"};
    out +=
        "<p class=\"legend\"><span style=\"color:#c0392b\">■ P1</span><span "
        "style=\"color:#e67e22\">■ P2</span>"
        "<span style=\"color:#f1c40f\">■ P3</span><span style=\"color:#7f8c8d\">■ P4</span></p>\n";
    out += svg_bars("Incidents per week by priority", weeks, stacks, priority_colors, 0);
    out += svg_line("MTTR trend (mean minutes per week)", weeks, mttr);
    std::vector<std::string> services;
    std::vector<std::vector<double>> sla;
    for (auto it = r["series"]["sla_resolution_by_service"].begin();
         it != r["series"]["sla_resolution_by_service"].end(); ++it) {
        services.push_back(it.key());
        sla.push_back({it.value().is_number() ? it.value().get<double>() : 0.0});
    }
    out += svg_bars("SLA resolution compliance per service (%)", services, sla, {"#27ae60"}, 100);
    std::vector<std::string> scores;
    std::vector<std::vector<double>> answers;
    for (auto it = r["satisfaction"]["distribution"].begin();
         it != r["satisfaction"]["distribution"].end(); ++it) {
        scores.push_back(it.key());
        answers.push_back({it.value().get<double>()});
    }
    out += svg_bars("Satisfaction: answers per score", scores, answers, {"#2980b9"}, 0);
    const auto& breaches = r["incidents"]["sla"]["breaches"];
    if (!breaches.empty()) {
        out += "<h2>SLA "
               "breaches</h2><table><tr><th>incident</th><th>stage</th><th>priority</"
               "th><th>service</th>"
               "<th>assignee</th><th>title</th></tr>\n";
        for (const auto& b : breaches)
            out += fmt::format(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape_html(show(b["id"])), escape_html(show(b["stage"])),
                escape_html(show(b["priority"])), escape_html(show(b["service"])),
                escape_html(show(b["assignee"])), escape_html(show(b["title"])));
        out += "</table>\n";
    }
    out += "<h2>Findings</h2>\n";
    if (r["findings"].empty()) out += "<p>None.</p>\n";
    for (const auto& f : r["findings"])
        out += fmt::format("<div class=\"finding\"><b>{}</b> "
                           "<code>{}</code><br>{}<br><small>evidence: {}</small></div>\n",
                           escape_html(show(f["kind"])), escape_html(show(f["id"])),
                           escape_html(show(f["suggestion"])), escape_html(evidence(f)));
    return out + "</body></html>\n";
}

} // namespace opsflow::cli
