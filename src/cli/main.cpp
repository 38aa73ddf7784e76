// The one place where errors become exit codes and messages (SPEC §5), and where
// the process's environment and signal dispositions are read and set.
#include "app.hpp"
#include "opsflow/base/environment.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/signal_cleanup.hpp"
#include "standard_output.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <iostream>

namespace {

// Every variable the core acts on, read once (the CLI's own, such as $EDITOR or
// $NO_COLOR, are read where they are used).
opsflow::Environment read_environment() {
    auto text = [](const char* name) {
        const char* value = std::getenv(name);
        return std::string(value ? value : "");
    };
    opsflow::Environment environment;
    if (auto dir = text("OPSFLOW_DIR"); !dir.empty()) environment.store_dir = dir;
    environment.user = text("OPSFLOW_USER");
    environment.login = text("USER");
    environment.smtp_password = text("OPSFLOW_SMTP_PASSWORD");
    environment.imap_password = text("OPSFLOW_IMAP_PASSWORD");
    environment.curl_verbose = std::getenv("OPSFLOW_CURL_VERBOSE") != nullptr;
    return environment;
}

} // namespace

int main(int argc, char** argv) {
    opsflow::remove_registered_files_on_signals();
    opsflow::cli::QuietClosedPipe quiet_closed_pipe;
    try {
        return opsflow::cli::run(argc, argv, read_environment());
    } catch (const opsflow::Error& e) {
        // A message may hold a file name: nothing in it drives the terminal.
        std::cerr << "opsflow: " << opsflow::printable_text(e.what(), opsflow::Newlines::keep)
                  << '\n';
        return static_cast<int>(e.code());
    } catch (const std::exception& e) {
        std::cerr << "opsflow: " << opsflow::printable_text(e.what(), opsflow::Newlines::keep)
                  << '\n';
        return static_cast<int>(opsflow::ExitCode::runtime);
    }
}
