// The one place where errors become exit codes and messages (SPEC §5).
#include "app.hpp"
#include "opsflow/error.hpp"
#include "opsflow/signal_cleanup.hpp"

#include <fmt/format.h>
#include <iostream>

int main(int argc, char** argv) {
    opsflow::remove_registered_files_on_signals();
    try {
        return opsflow::cli::run(argc, argv);
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
