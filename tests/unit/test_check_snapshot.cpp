// Where check reads from: the work tree's record files, listed in path order without
// sorting them all; a commit's files and changes, and a pre-receive hook's input.
#include "opsflow/base/process.hpp"
#include "opsflow/check/check.hpp"
#include "opsflow/git/git.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

namespace fs = std::filesystem;

TEST_CASE("the work tree's record paths come sorted as whole paths, whatever the names") {
    fs::path root = fs::temp_directory_path() / ("opsflow-snapshot-" + std::to_string(::getpid()));
    fs::remove_all(root);
    // Names around '/' in byte order ('-' and '.' sort before it, digits and letters after):
    // a directory `1` and a file `1.yaml`, `1-x` beside `1`, a directory named like a record.
    const std::vector<std::string> names = {"1",   "1-x",   "1.yaml", "10",     "1a",      "a b",
                                            "a.b", "INC-1", "inc",    "z.yaml", "\xe6\x95"};
    std::mt19937 random(7);
    for (const char* kind : {"incidents", "tickets", "maintenance", "improvements"})
        for (int n = 0; n < 60; ++n) {
            fs::path dir = root / kind;
            auto depth = random() % 3;
            for (unsigned d = 0; d < depth; ++d)
                dir /= names[random() % names.size()];
            std::error_code ec;
            fs::create_directories(dir, ec);
            if (ec) continue; // a file of that name is there already
            std::string file = names[random() % names.size()];
            if (!file.ends_with(".yaml")) file += ".yaml";
            if (!fs::exists(dir / file)) std::ofstream(dir / file) << "id: x\n";
        }
    auto paths = opsflow::WorkTreeSnapshot(root).record_paths();
    CHECK(paths.size() > 100);
    auto sorted = paths;
    std::sort(sorted.begin(), sorted.end());
    CHECK(paths == sorted);
    CHECK(std::adjacent_find(paths.begin(), paths.end()) == paths.end());
    fs::remove_all(root);
}

namespace {

std::string git_out(const fs::path& repo, std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo.string(), "-c", "user.name=T", "-c",
                               "user.email=t@example.com"});
    auto r = opsflow::run_process(args);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

void write_file(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

} // namespace

TEST_CASE("a commit's files and changes are what git lists, a path with a newline included") {
    fs::path repo = fs::temp_directory_path() / ("opsflow-commit-" + std::to_string(::getpid()));
    fs::remove_all(repo);
    git_out(fs::temp_directory_path(), {"init", "-q", repo.string()});
    write_file(repo / "incidents/2026/01/INC-1.yaml", "id: INC-1\n");
    write_file(repo / "incidents/2026/01/gone.yaml", "id: gone\n");
    write_file(repo / "incidents/2026/02/a\nb.yaml", "id: odd\n");
    write_file(repo / "team.yaml", "people: []\n");
    git_out(repo, {"add", "-A"});
    git_out(repo, {"commit", "-qm", "one"});
    write_file(repo / "incidents/2026/01/INC-1.yaml", "id: INC-1\ntitle: changed\n");
    write_file(repo / "incidents/2026/03/INC-2.yaml", "id: INC-2\n");
    fs::remove(repo / "incidents/2026/01/gone.yaml");
    git_out(repo, {"add", "-A"});
    git_out(repo, {"commit", "-qm", "two"});
    std::string head = git_out(repo, {"rev-parse", "HEAD"}).substr(0, 40);
    std::string first = git_out(repo, {"rev-parse", "HEAD~1"}).substr(0, 40);
    opsflow::Git git(repo);

    // The tree as ls-tree gives it: (path, blob), sorted.
    std::vector<std::pair<std::string, std::string>> listed;
    auto out = git_out(repo, {"ls-tree", "-r", "-z", head, "--", "incidents"});
    for (std::size_t start = 0; start < out.size();) {
        auto end = out.find('\0', start);
        std::string entry = out.substr(start, end - start);
        start = end + 1;
        listed.emplace_back(entry.substr(entry.find('\t') + 1), entry.substr(12, 40));
    }
    std::vector<std::pair<std::string, std::string>> entries;
    for (auto& e : git.tree_entries(head, {":(literal)incidents"}))
        entries.emplace_back(e.path, e.blob);
    CHECK(entries == listed);
    CHECK(entries.size() == 3);
    CHECK(git.tree_entries(head, {}).empty());
    auto named = git.tree_entries(head, {":(glob)incidents/**/INC-2.yaml"});
    REQUIRE(named.size() == 1);
    CHECK(named[0].path == "incidents/2026/03/INC-2.yaml");

    auto commits = git.rev_list({head});
    REQUIRE(commits.size() == 2);
    CHECK(commits[0].commit == first); // parents first
    CHECK(commits[0].parents.empty());
    CHECK(commits[1].parents == std::vector<std::string>{first});
    auto changes = git.commit_changes(commits);
    std::vector<std::string> paths;
    for (const auto& e : changes[head])
        paths.push_back(e.path);
    // Added and modified, not deleted.
    CHECK(paths ==
          std::vector<std::string>{"incidents/2026/01/INC-1.yaml", "incidents/2026/03/INC-2.yaml"});
    CHECK(changes[first].size() == 4); // a root commit: everything it holds
    fs::remove_all(repo);
}

TEST_CASE("a pre-receive hook's input is read line by line, strictly") {
    std::string a(40, 'a'), zero(40, '0');
    auto updates = opsflow::parse_ref_updates(a + " " + zero + " refs/heads/x\n\n" + zero + " " +
                                              a + " refs/heads/y z\n");
    REQUIRE(updates.size() == 2);
    CHECK(updates[0].new_commit == zero);
    CHECK(updates[1].ref == "refs/heads/y z");
    CHECK_THROWS_AS(opsflow::parse_ref_updates(a + " " + a + "\n"), opsflow::UsageError);
    CHECK_THROWS_AS(opsflow::parse_ref_updates("HEAD " + a + " refs/heads/x\n"),
                    opsflow::UsageError);
}
