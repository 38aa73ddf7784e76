#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace opsflow::cli {

// CLI11's message for a command line it could not parse, in the operator's language:
// CLI11 writes its messages in English, so the common shapes are recognised and said
// again from the catalogue; a shape not listed here keeps CLI11's words.
std::string parse_error_text(const CLI::ParseError& error);

} // namespace opsflow::cli
