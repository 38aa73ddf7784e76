#pragma once
// The HTML report's charts as inline SVG that a reader can read on its own: gridlines with
// round tick values, axis titles, a value label on every bar and point that has room for
// one, a legend for stacked series, and an optional dashed goal line. All text is escaped.
#include <optional>
#include <string>
#include <vector>

namespace opsflow::cli {

// Text for HTML and SVG: & < > " and ' escaped.
std::string escape_html(const std::string& text);

struct BarChart {
    std::string title, x_title, y_title;
    std::string unit;                        // after each value label and tick label, e.g. "%"
    std::vector<std::string> labels;         // one per bar, under the x axis
    std::vector<std::string> series;         // the stacked parts; a legend when more than one
    std::vector<std::string> colors;         // one per series
    std::vector<std::vector<double>> values; // [bar][series]
    std::optional<double> y_max;             // a fixed top of the axis (100 for percentages)
    std::optional<double> goal;              // a dashed line labelled "goal ..."
};

struct LineChart {
    std::string title, x_title, y_title, color;
    std::string note; // over the plot, e.g. what a gap in the line means
    std::vector<std::string> labels;
    std::vector<std::optional<double>> values; // nothing: no point, and a gap in the line
};

std::string svg_bar_chart(const BarChart& chart);
std::string svg_line_chart(const LineChart& chart);

} // namespace opsflow::cli
