#pragma once
// Typed errors of the core. Each carries the process exit code of SPEC §5; the
// CLI maps them to exit codes in one place (src/cli/main.cpp).
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

enum class ExitCode : int {
    ok = 0,
    runtime = 1,   // I/O, git, delivery
    usage = 2,     // bad option, bad time, bad ID form
    not_found = 3, // not found, ambiguous, no store
    refused = 4,   // refused by the workflow or a policy
    invalid = 5,   // a record or config fails validation
    // sysexits(3), for an MTA that pipes mail into `opsflow mail receive`:
    data_error = 65, // not a mail message, or too large: the MTA bounces it
    temp_fail = 75,  // the store is busy or git failed: the MTA keeps it and retries
};

class Error : public std::runtime_error {
  public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const { return code_; }

  private:
    ExitCode code_;
};

struct RuntimeError : Error {
    explicit RuntimeError(const std::string& m) : Error(ExitCode::runtime, m) {}
};
struct UsageError : Error {
    explicit UsageError(const std::string& m) : Error(ExitCode::usage, m) {}
};
struct NotFoundError : Error {
    explicit NotFoundError(const std::string& m) : Error(ExitCode::not_found, m) {}
};
struct RefusedError : Error {
    explicit RefusedError(const std::string& m) : Error(ExitCode::refused, m) {}
};

// A message that could not be taken in now, for a reason that may pass (EX_TEMPFAIL).
struct TempFailError : Error {
    explicit TempFailError(const std::string& m) : Error(ExitCode::temp_fail, m) {}
};

// One problem found in a file: where it is and what is wrong.
// Text as it may be shown on a terminal or in a CI log: every character a terminal
// acts on or that reorders or breaks a line (C0 and C1 controls, DEL, bidi controls,
// U+2028/U+2029) as a C escape (`\n`, `\a`, `\033`, octal bytes for the rest, as
// git's quoting writes them). With Newlines::keep, line feeds stay as they are.
enum class Newlines { escape, keep };
std::string printable_text(std::string_view text, Newlines newlines = Newlines::escape);
// A file name as git quotes one: as it is when nothing needs escaping, else in
// double quotes with printable_text()'s escapes and `\"`, `\\`.
std::string printable_path(std::string_view path);

struct Diagnostic {
    std::string file;
    int line = 0; // 1-based; 0 when unknown
    int column = 0;
    std::string path; // JSON pointer of the offending value, may be empty
    std::string message;

    std::string to_string() const;
};

// A record or settings file that fails validation; lists every problem found.
class InvalidDataError : public Error {
  public:
    explicit InvalidDataError(std::vector<Diagnostic> diagnostics);
    explicit InvalidDataError(const std::string& message) : Error(ExitCode::invalid, message) {}
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  private:
    std::vector<Diagnostic> diagnostics_;
};

} // namespace opsflow
