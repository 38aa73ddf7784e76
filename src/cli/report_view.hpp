#pragma once
// The report (opsflow/report.hpp) as text, markdown, CSV or one HTML page.
#include "opsflow/report/report.hpp"

#include <string>

namespace opsflow::cli {

std::string report_text(const Report& report);
std::string report_markdown(const Report& report);
// One row per value of the report's JSON (opsflow::to_json), under its JSON path.
std::string report_csv(const Report& report);
std::string report_html(const Report& report);

} // namespace opsflow::cli
