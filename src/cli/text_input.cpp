#include "cli.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/process.hpp"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <iterator>
#include <sstream>
#include <unistd.h>

namespace opsflow::cli {

namespace {

constexpr std::size_t max_text = 200000;

std::string strip_trailing_newlines(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

std::string edit_in_editor(std::string_view what, const std::string& initial = {}) {
    const char* editor = std::getenv("VISUAL");
    if (!editor || !*editor) editor = std::getenv("EDITOR");
    if (!editor || !*editor)
        throw UsageError(tr("--edit needs $VISUAL or $EDITOR to name an editor"));
    std::string path = (std::filesystem::temp_directory_path() / "opsflow-XXXXXX.txt").string();
    int fd = ::mkstemps(path.data(), 4);
    if (fd < 0) throw RuntimeError(tr("cannot create a temporary file for the editor"));
    ::close(fd);
    if (!initial.empty()) write_file_atomic(path, initial + "\n");
    std::istringstream words(editor);
    std::vector<std::string> argv{std::istream_iterator<std::string>(words), {}};
    argv.push_back(path);
    int rc = run_interactive(argv);
    std::string text;
    try {
        text = read_text_file(path, max_text);
    } catch (...) {
        std::filesystem::remove(path);
        throw;
    }
    std::filesystem::remove(path);
    if (rc != 0) throw RuntimeError(tr("the editor ({}) failed; nothing was changed", editor));
    text = strip_trailing_newlines(text);
    if (text.empty()) throw UsageError(tr("the {} is empty; nothing was changed", tr(what)));
    return text;
}

} // namespace

std::string text_argument(const std::string& value) {
    if (value != "-") return value;
    std::string text{std::istreambuf_iterator<char>(std::cin), {}};
    if (text.size() > max_text)
        throw UsageError(tr("standard input holds more than {} bytes", max_text));
    return strip_trailing_newlines(text);
}

std::optional<std::string> long_text(const std::optional<std::string>& value, bool edit,
                                     std::string_view what) {
    if (value) return text_argument(*value);
    if (edit) return edit_in_editor(what);
    return std::nullopt;
}

std::string edit_text(std::string_view what, const std::string& initial) {
    return edit_in_editor(what, initial);
}

} // namespace opsflow::cli
