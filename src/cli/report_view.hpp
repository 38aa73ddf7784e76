#pragma once
// The report object (core/report.hpp) as text, markdown, CSV or one HTML page.
#include <nlohmann/json.hpp>
#include <string>

namespace opsflow::cli {

std::string report_text(const nlohmann::ordered_json& report);
std::string report_markdown(const nlohmann::ordered_json& report);
std::string report_csv(const nlohmann::ordered_json& report);
std::string report_html(const nlohmann::ordered_json& report);

} // namespace opsflow::cli
