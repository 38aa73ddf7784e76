#include "opsflow/store/init.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/process.hpp"
#include "opsflow/git/git_setup.hpp"

#include <cstdlib>
#include <fmt/format.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

void write_new(const fs::path& path, const std::string& text, std::vector<std::string>& written) {
    if (fs::exists(path)) return;
    write_file_atomic(path, text);
    written.push_back(path.filename().string());
}

} // namespace

InitResult init_store(const fs::path& dir, const std::string& timezone, Language language,
                      const fs::path& opsflow_program) {
    InitResult result;
    find_time_zone(timezone);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw RuntimeError(tr("cannot create {}: {}", dir.string(), ec.message()));
    result.root = fs::weakly_canonical(dir);
    if (fs::exists(result.root / "opsflow.yaml"))
        throw RefusedError(
            tr("{} is already an opsflow store (it has opsflow.yaml)", result.root.string()));

    std::vector<std::string> written;
    write_new(result.root / "opsflow.yaml", default_settings_text(timezone, language), written);
    write_new(result.root / "team.yaml", default_team_text(), written);
    write_new(result.root / "services.yaml", default_services_text(), written);
    write_new(result.root / ".gitignore",
              "# local state of opsflow: lock file and caches\n/.opsflow/\n", written);
    write_new(result.root / ".gitattributes",
              "# archived notices are kept byte for byte as they were sent (CRLF line ends)\n*.eml "
              "-text\n" +
                  record_merge_attributes(),
              written);
    fs::create_directories(result.root / ".opsflow");
    Store store(result.root); // proves that what was written reads back

    Git git(result.root);
    if (!Git::find_work_tree(result.root)) {
        git.init_repository();
        git.tune_for_many_files();
        result.created_repository = true;
    }
    install_git_integration(result.root, opsflow_program);
    if (store.settings().autocommit && !written.empty()) {
        git.commit(
            CommitRequest{written, "store: initialise opsflow store", "store.init", "-", "", ""});
        result.committed = true;
    }
    return result;
}

Actor resolve_actor(const Store& store, const std::optional<std::string>& as,
                    const Environment& environment) {
    auto from_team = [&](const Person& p) { return Actor{p.id, p.name, p.email}; };
    std::string who;
    if (as && !as->empty())
        who = *as;
    else if (!environment.user.empty())
        who = environment.user;
    if (!who.empty()) {
        if (const Person* p = store.team().find(who)) return from_team(*p);
        if (const Person* p = store.team().find_by_email(who)) return from_team(*p);
        return Actor{who, who, ""};
    }
    if (Git::find_work_tree(store.root())) {
        Git git(store.root());
        std::string email = git.config_value("user.email");
        if (const Person* p = store.team().find_by_email(email)) return from_team(*p);
        std::string name = git.config_value("user.name");
        if (!name.empty()) return Actor{name, name, ""};
    }
    std::string user = environment.login.empty() ? "operator" : environment.login;
    return Actor{user, user, ""};
}

} // namespace opsflow
