#include "report_charts.hpp"

#include "opsflow/base/i18n.hpp"
#include "output.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace opsflow::cli {

namespace {

// The drawing area of every chart, in SVG units; the plot sits inside the margins.
constexpr double width = 720, height = 300, left = 64, top = 40, bottom = 60;
constexpr double baseline = height - bottom, plot_height = baseline - top;
constexpr double char_width = 6.5; // of a Latin letter or digit at font-size 11; CJK takes two

double text_width(const std::string& text) {
    return static_cast<double>(display_width(text)) * char_width;
}

// A value as a label: a whole number without decimals, others with at most two.
std::string number(double v) {
    if (std::abs(v - std::round(v)) < 1e-9) return fmt::format("{:.0f}", v);
    std::string text = fmt::format("{:.2f}", v);
    while (text.back() == '0')
        text.pop_back();
    return text;
}

// The value axis: its top and the step between gridlines, a round number (1, 2 or 5 times a
// power of ten) giving at most five intervals; whole steps for counts.
struct Axis {
    double top, step;
};
Axis value_axis(double peak, std::optional<double> fixed, bool whole) {
    if (fixed) return {*fixed, *fixed / 5};
    if (peak <= 0) return {1, 1};
    double raw = peak / 5, magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * magnitude;
    for (double m : {1.0, 2.0, 5.0})
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    if (whole) step = std::max(step, 1.0);
    return {std::ceil(peak / step - 1e-9) * step, step};
}

double y_of(double v, const Axis& axis) {
    return baseline - plot_height * std::clamp(v / axis.top, 0.0, 1.0);
}

// Dark text on a light fill, white on a dark one.
std::string text_color_on(const std::string& fill) {
    if (fill.size() != 7 || fill[0] != '#') return "#222";
    auto channel = [&](std::size_t at) { return std::stoi(fill.substr(at, 2), nullptr, 16); };
    double luminance = 0.299 * channel(1) + 0.587 * channel(3) + 0.114 * channel(5);
    return luminance > 150 ? "#222" : "#fff";
}

std::string open_chart(const std::string& title) {
    return fmt::format("<figure><figcaption>{0}</figcaption><svg viewBox=\"0 0 {1} {2}\" "
                       "role=\"img\" aria-label=\"{0}\" font-family=\"'Noto Sans CJK SC',"
                       "'WenQuanYi Micro Hei','Source Han Sans SC',sans-serif\" font-size=\"11\">",
                       escape_html(title), width, height);
}

// Gridlines with their values, the axis titles, and the labels under the x axis (every
// n-th one when they would overlap).
std::string frame(const Axis& axis, double right, const std::string& unit,
                  const std::string& x_title, const std::string& y_title,
                  const std::vector<std::string>& labels) {
    std::string out;
    const double plot_right = width - right;
    for (double v = 0; v <= axis.top + axis.step / 1000; v += axis.step) {
        double y = y_of(v, axis);
        out += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" "
                           "stroke=\"{}\"/>",
                           left, y, plot_right, y, v == 0 ? "#888" : "#e2e2e2");
        out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" "
                           "fill=\"#555\">{}</text>",
                           left - 6, y + 4, escape_html(number(v) + unit));
    }
    out += fmt::format("<text class=\"axis-title\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" "
                       "fill=\"#333\">{}</text>",
                       left + (plot_right - left) / 2, height - 8, escape_html(x_title));
    out += fmt::format("<text class=\"axis-title\" x=\"16\" y=\"{0:.1f}\" text-anchor=\"middle\" "
                       "fill=\"#333\" transform=\"rotate(-90 16 {0:.1f})\">{1}</text>",
                       top + plot_height / 2, escape_html(y_title));
    if (labels.empty())
        return out + fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                                 "fill=\"#888\">{}</text>",
                                 left + (plot_right - left) / 2, top + plot_height / 2,
                                 escape_html(tr("no data")));
    double slot = (plot_right - left) / static_cast<double>(labels.size()), widest = 0;
    for (const auto& label : labels)
        widest = std::max(widest, text_width(label));
    auto every = static_cast<std::size_t>(std::max(1.0, std::ceil((widest + 8) / slot)));
    for (std::size_t k = 0; k < labels.size(); k += every)
        out += fmt::format("<text class=\"label\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" "
                           "fill=\"#333\">{}</text>",
                           left + (static_cast<double>(k) + 0.5) * slot, baseline + 16,
                           escape_html(labels[k]));
    return out;
}

std::string value_label(double x, double y, const std::string& text, const std::string& fill) {
    return fmt::format("<text class=\"value\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                       "fill=\"{}\">{}</text>",
                       x, y, fill, escape_html(text));
}

// `note`: what to do when there are too many bars or points to label each.
std::string too_many_to_label(double plot_right, const std::string& note) {
    return fmt::format("<text class=\"note\" x=\"{}\" y=\"18\" text-anchor=\"end\" "
                       "fill=\"#555\">{}</text>",
                       plot_right, escape_html(note));
}

} // namespace

std::string escape_html(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
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
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string svg_bar_chart(const BarChart& chart) {
    const double right = chart.goal ? 76 : 16, plot_right = width - right;
    double peak = chart.goal.value_or(0);
    bool whole = true;
    for (const auto& stack : chart.values) {
        double sum = 0;
        for (double v : stack) {
            sum += v;
            whole = whole && v == std::round(v);
        }
        peak = std::max(peak, sum);
    }
    Axis axis = value_axis(peak, chart.y_max, whole);
    std::string out = open_chart(chart.title);
    if (chart.series.size() > 1) {
        double x = left;
        for (std::size_t s = 0; s < chart.series.size(); ++s) {
            out += fmt::format("<g class=\"legend\"><rect x=\"{:.1f}\" y=\"8\" width=\"11\" "
                               "height=\"11\" fill=\"{}\"/><text x=\"{:.1f}\" y=\"18\">{}</text>"
                               "</g>",
                               x, chart.colors[s % chart.colors.size()], x + 15,
                               escape_html(chart.series[s]));
            x += 15 + text_width(chart.series[s]) + 16;
        }
    }
    out += frame(axis, right, chart.unit, chart.x_title, chart.y_title, chart.labels);
    const double slot =
        chart.labels.empty() ? 0 : (plot_right - left) / static_cast<double>(chart.labels.size());
    const double bar = std::max(slot * 0.7, 1.0);
    bool unlabelled = false;
    for (std::size_t k = 0; k < chart.labels.size(); ++k) {
        const double x = left + static_cast<double>(k) * slot + (slot - bar) / 2;
        double y = baseline, total = 0;
        for (std::size_t s = 0; s < chart.values[k].size(); ++s) {
            double v = chart.values[k][s];
            total += v;
            double h = baseline - y_of(v, axis);
            y -= h;
            const std::string& fill = chart.colors[s % chart.colors.size()];
            std::string name = chart.series.size() > 1 ? chart.series[s] + " " : "";
            out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
                               "height=\"{:.1f}\" fill=\"{}\"><title>{}: {}{}</title></rect>",
                               x, y, bar, h, fill, escape_html(chart.labels[k]), escape_html(name),
                               escape_html(number(v) + chart.unit));
            // Each part of a stack its own value, inside it, where it fits.
            std::string text = number(v);
            if (chart.values[k].size() > 1 && v > 0 && h >= 14 && text_width(text) + 2 <= bar)
                out += value_label(x + bar / 2, y + h / 2 + 4, text, text_color_on(fill));
        }
        std::string text = number(total) + chart.unit;
        if (text_width(text) + 3 <= slot)
            out += value_label(x + bar / 2, y - 4, text, "#222");
        else
            unlabelled = true;
    }
    if (unlabelled)
        out += too_many_to_label(plot_right,
                                 tr("too many bars to label each: point at one for its value"));
    if (chart.goal) {
        double y = y_of(*chart.goal, axis);
        out += fmt::format("<line class=\"goal\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" "
                           "stroke=\"#333\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
                           left, y, plot_right, y);
        out += fmt::format("<text class=\"goal-label\" x=\"{}\" y=\"{:.1f}\" fill=\"#333\">{}"
                           "</text>",
                           plot_right + 4, y + 4,
                           escape_html(tr("goal {}", number(*chart.goal) + chart.unit)));
    }
    return out + "</svg></figure>\n";
}

std::string svg_line_chart(const LineChart& chart) {
    const double right = 16, plot_right = width - right;
    double peak = 0;
    for (const auto& v : chart.values)
        if (v) peak = std::max(peak, *v);
    Axis axis = value_axis(peak, std::nullopt, false);
    std::string out = open_chart(chart.title);
    out += frame(axis, right, "", chart.x_title, chart.y_title, chart.labels);
    if (!chart.note.empty())
        out += fmt::format("<text class=\"note\" x=\"{}\" y=\"18\" fill=\"#555\">{}</text>", left,
                           escape_html(chart.note));
    const double slot =
        chart.labels.empty() ? 0 : (plot_right - left) / static_cast<double>(chart.labels.size());
    // Each point's value, above it, or below it where the line rises on both sides of it (or
    // on its one side, at an end); a point too close to the last labelled one goes without.
    double labelled_until = -1;
    bool unlabelled = false;
    auto label_below = [&](std::size_t k) {
        const auto& v = chart.values;
        auto rises_to = [&](std::size_t n) { return !v[n] || *v[n] > *v[k]; }; // no point: no line
        bool has_before = k > 0 && v[k - 1], has_after = k + 1 < v.size() && v[k + 1];
        return (has_before || has_after) && (k == 0 || rises_to(k - 1)) &&
               (k + 1 == v.size() || rises_to(k + 1));
    };
    std::string points, marks;
    auto flush = [&] {
        if (!points.empty())
            out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" "
                               "stroke-width=\"2\"/>",
                               points, chart.color);
        points.clear();
    };
    for (std::size_t k = 0; k < chart.labels.size(); ++k) {
        if (!chart.values[k]) { // a gap in the line: no figure for that label
            flush();
            continue;
        }
        double x = left + (static_cast<double>(k) + 0.5) * slot, y = y_of(*chart.values[k], axis);
        points += fmt::format("{:.1f},{:.1f} ", x, y);
        marks += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{}: "
                             "{}</title></circle>",
                             x, y, chart.color, escape_html(chart.labels[k]),
                             escape_html(number(*chart.values[k])));
        std::string text = number(*chart.values[k]);
        if (x - text_width(text) / 2 >= labelled_until + 4) {
            marks += value_label(x, label_below(k) && y + 16 < baseline - 2 ? y + 16 : y - 7, text,
                                 "#222");
            labelled_until = x + text_width(text) / 2;
        } else {
            unlabelled = true;
        }
    }
    flush();
    if (unlabelled)
        out += too_many_to_label(plot_right,
                                 tr("too many points to label each: point at one for its value"));
    return out + marks + "</svg></figure>\n";
}

} // namespace opsflow::cli
