#include "opsflow/error.hpp"

#include <fmt/format.h>

namespace opsflow {

std::string Diagnostic::to_string() const {
    std::string where = file;
    if (line > 0) where += fmt::format(":{}:{}", line, column > 0 ? column : 1);
    std::string what = path.empty() ? message : fmt::format("{}: {}", path, message);
    return where.empty() ? what : fmt::format("{}: {}", where, what);
}

static std::string join_diagnostics(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        if (!out.empty()) out += "\n";
        out += d.to_string();
    }
    return out;
}

InvalidDataError::InvalidDataError(std::vector<Diagnostic> diagnostics)
    : Error(ExitCode::invalid, join_diagnostics(diagnostics)),
      diagnostics_(std::move(diagnostics)) {}

} // namespace opsflow
