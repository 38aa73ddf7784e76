#include "language.hpp"

#include "cli.hpp"
#include "opsflow/base/error.hpp"

#include <cstdlib>
#include <string>
#include <string_view>

namespace opsflow::cli {

namespace fs = std::filesystem;

Language locale_language() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"})
        if (const char* value = std::getenv(name); value && *value)
            return language_of_locale(value);
    return Language::en;
}

std::optional<Language> lang_argument(int argc, char** argv) {
    std::optional<std::string_view> value;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--") break;
        if (arg == "--lang" && i + 1 < argc)
            value = argv[++i];
        else if (arg.starts_with("--lang="))
            value = arg.substr(7);
    }
    if (!value) return std::nullopt;
    if (auto language = parse_language(*value)) return language;
    throw UsageError(
        tr("--lang: '{}' is not a language: zh-CN or en (run: opsflow --help)", *value));
}

void find_catalogues() {
    std::vector<fs::path> dirs;
    if (const char* dir = std::getenv("OPSFLOW_LOCALEDIR"); dir && *dir) dirs.emplace_back(dir);
    fs::path program = self_program();
    if (program.string().starts_with(std::string(OPSFLOW_BUILD_DIR) + "/"))
        dirs.emplace_back(OPSFLOW_BUILD_LOCALEDIR);
    if (program.is_absolute())
        dirs.push_back((program.parent_path() / OPSFLOW_LOCALEDIR_FROM_BINDIR).lexically_normal());
    dirs.emplace_back(OPSFLOW_INSTALL_LOCALEDIR);
    set_catalogue_dirs(std::move(dirs));
}

} // namespace opsflow::cli
