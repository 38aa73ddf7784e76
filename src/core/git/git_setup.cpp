#include "opsflow/git/git_setup.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/id.hpp"
#include "opsflow/git/git.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view hook_marker = "# opsflow pre-commit hook";

// `it's` -> `'it'\''s'`: a word the shell reads back as the same bytes.
std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string hook_script(const fs::path& program, const std::string& store_from_top) {
    return fmt::format(R"({} (installed by `opsflow init`; safe to re-run `opsflow init --hooks`)
# Refuses a commit whose staged records or settings fail `opsflow check`.
# A hook that was here before is kept as pre-commit.local and runs after the check.
opsflow={}
[ -x "$opsflow" ] || opsflow=opsflow
# git may give a relative index path (commit --only); the check runs from the store.
case "${{GIT_INDEX_FILE:-}}" in /*|"") ;; *) GIT_INDEX_FILE="$PWD/$GIT_INDEX_FILE"; export GIT_INDEX_FILE ;; esac
if ! "$opsflow" -q -C {} check --staged; then
  echo {} >&2
  exit 1
fi
local_hook="$(dirname "$0")/pre-commit.local"
if [ -x "$local_hook" ]; then exec "$local_hook" "$@"; fi
exit 0
)",
                       hook_marker, shell_quote(program.string()),
                       shell_quote(store_from_top.empty() ? "." : store_from_top),
                       // Said to whoever commits in this clone: in the language of the
                       // operator who installed the hook.
                       shell_quote("opsflow: " + tr("commit refused by the pre-commit hook: fix "
                                                    "the errors above")));
}

bool install_hook(const fs::path& store_root, const fs::path& program, bool& chained) {
    Git git(store_root);
    fs::path hooks = git.hooks_directory();
    fs::create_directories(hooks);
    fs::path hook = hooks / "pre-commit";
    auto top = Git::find_work_tree(store_root);
    std::string from_top = top ? fs::weakly_canonical(store_root)
                                     .lexically_relative(fs::weakly_canonical(*top))
                                     .string()
                               : "";
    if (from_top == ".") from_top.clear();
    std::string script = "#!/bin/sh\n" + hook_script(program, from_top);
    std::error_code ec;
    if (fs::exists(hook, ec)) {
        std::string existing = read_text_file(hook, 1 << 20, hook.string());
        if (existing == script) return false;
        if (existing.find(hook_marker) == std::string::npos) {
            fs::path kept = hooks / "pre-commit.local";
            if (fs::exists(kept, ec))
                throw RefusedError(tr(
                    "{} exists and so does {}: merge them by hand, then run opsflow init --hooks",
                    hook.string(), kept.string()));
            fs::rename(hook, kept);
            chained = true;
        }
    }
    write_file_atomic(hook, script);
    ::chmod(hook.c_str(), 0755);
    return true;
}

} // namespace

std::string record_merge_attributes() {
    std::string lines =
        "# records are merged by opsflow (events united, fields merged three-way);\n"
        "# each clone registers the driver with: opsflow init --hooks\n";
    for (const auto& kind : all_kinds())
        lines += fmt::format("{}/**/*.yaml merge=opsflow\n", kind.directory);
    return lines;
}

GitSetup install_git_integration(const fs::path& store_root, const fs::path& program) {
    GitSetup setup;
    if (!Git::find_work_tree(store_root))
        throw UsageError(tr("{} is not in a git work tree", store_root.string()));
    fs::path attributes = store_root / ".gitattributes";
    std::string text;
    std::error_code ec;
    if (fs::exists(attributes, ec)) text = read_text_file(attributes, 1 << 20, ".gitattributes");
    if (text.find("merge=opsflow") == std::string::npos) {
        if (!text.empty() && text.back() != '\n') text += '\n';
        write_file_atomic(attributes, text + record_merge_attributes());
        setup.attributes_updated = true;
    }
    setup.hook_installed = install_hook(store_root, program, setup.chained_hook);
    Git git(store_root);
    git.set_config("merge.opsflow.name", "opsflow record merge (events united, fields three-way)");
    git.set_config("merge.opsflow.driver",
                   shell_quote(program.string()) + " merge-driver %O %A %B %L %P");
    return setup;
}

bool merge_driver_missing(const fs::path& store_root) {
    std::error_code ec;
    if (!Git::find_work_tree(store_root) || !fs::exists(store_root / ".gitattributes", ec))
        return false;
    std::string attributes;
    try {
        attributes = read_text_file(store_root / ".gitattributes", 1 << 20, ".gitattributes");
    } catch (const Error&) {
        return false;
    }
    if (attributes.find("merge=opsflow") == std::string::npos) return false;
    return Git(store_root).config_value("merge.opsflow.driver").empty();
}

} // namespace opsflow
