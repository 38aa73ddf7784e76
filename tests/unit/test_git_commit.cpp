// Git::commit reimplements `git commit --only PATHS` with plumbing: checked against
// git itself on the same staged state (the tree it commits, the index it leaves),
// with the index settings `init` turns on and without them.
#include "opsflow/git/git.hpp"
#include "support/store_fixture.hpp"

#include <doctest/doctest.h>
#include <filesystem>

using namespace opsflow;
using opsflow::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string git(const fs::path& repo, std::vector<std::string> args) {
    return opsflow::test::run_git(repo, std::move(args));
}

void write(const fs::path& file, const std::string& text) {
    opsflow::test::write_text(file, text);
}

// A repository whose index holds other work: a staged change to another file, a
// file staged and then edited again, an unstaged edit, and a staged deletion.
void make_busy_repository(const fs::path& repo, bool split_index) {
    git(repo, {"init", "-q"});
    if (split_index)
        for (auto [k, v] : {std::pair{"core.splitIndex", "true"}, std::pair{"index.version", "4"},
                            std::pair{"core.untrackedCache", "true"}})
            git(repo, {"config", k, v});
    write(repo / "incidents/2026/12/INC-00000001.yaml", "id: INC-00000001\n");
    write(repo / "incidents/2026/12/INC-00000002.yaml", "id: INC-00000002\n");
    write(repo / "team.yaml", "people: []\n");
    write(repo / "notes.txt", "one\n");
    write(repo / "old.txt", "old\n");
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-qm", "start"});
    write(repo / "team.yaml", "people: [staged]\n");
    git(repo, {"add", "team.yaml"});
    write(repo / "staged-then-edited.txt", "staged\n");
    git(repo, {"add", "staged-then-edited.txt"});
    write(repo / "staged-then-edited.txt", "staged, then edited\n");
    write(repo / "notes.txt", "one, edited, not staged\n");
    git(repo, {"rm", "-q", "old.txt"});
    // What the change wrote: one record changed, one new.
    write(repo / "incidents/2026/12/INC-00000001.yaml", "id: INC-00000001\nstatus: new\n");
    write(repo / "incidents/2026/12/INC-00000003.yaml", "id: INC-00000003\n");
}

enum class Staged { as_left, nothing };

// Two copies of a busy repository (ours, for Git::commit, and theirs, for git
// itself) in a temporary directory; with Staged::nothing, the index holds no other
// work and old.txt is back.
struct RepositoryPair {
    TempDir dir;
    fs::path ours = dir.path() / "ours";
    fs::path theirs = dir.path() / "theirs";

    RepositoryPair(bool split_index, Staged staged) {
        fs::create_directories(ours);
        make_busy_repository(ours, split_index);
        if (staged == Staged::nothing) {
            git(ours, {"reset", "-q"}); // the commit starts from git's own index
            git(ours, {"checkout", "-q", "--", "old.txt"});
        }
        fs::copy(ours, theirs, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    }
};

struct Outcome {
    std::string tree, index, status, message;
};

Outcome outcome_of(const fs::path& repo) {
    return {git(repo, {"rev-parse", "HEAD^{tree}"}), git(repo, {"ls-files", "-s"}),
            git(repo, {"status", "--porcelain"}), git(repo, {"log", "-1", "--format=%B"})};
}

} // namespace

TEST_CASE("Git::commit leaves what `git commit --only PATHS` leaves") {
    for (bool split_index : {false, true}) {
        CAPTURE(split_index);
        RepositoryPair pair(split_index, Staged::as_left);
        const fs::path &ours = pair.ours, &theirs = pair.theirs;

        const std::vector<std::string> paths = {"incidents/2026/12/INC-00000001.yaml",
                                                "incidents/2026/12/INC-00000003.yaml"};
        CommitRequest request{paths,           "incident INC-00000001: noted",
                              "incident.note", "INC-00000001",
                              "Test",          "test@example.com"};
        Git(ours).commit(request);

        // git commits a path it does not know only once it is told of it (-N).
        git(theirs, {"add", "-N", paths[1]});
        git(theirs, {"commit", "-q", "--only", "-m",
                     "incident INC-00000001: noted\n\nOpsflow-Action: incident.note\n"
                     "Opsflow-Record: INC-00000001\n",
                     "--", paths[0], paths[1]});

        Outcome a = outcome_of(ours), b = outcome_of(theirs);
        CHECK(a.tree == b.tree);
        CHECK(a.index == b.index);
        CHECK(a.status == b.status);
        CHECK(a.message == b.message);
        // And the other work is still there, staged or not, as it was.
        CHECK(a.status.find("M  team.yaml") != std::string::npos);
        CHECK(a.status.find("AM staged-then-edited.txt") != std::string::npos);
        CHECK(a.status.find(" M notes.txt") != std::string::npos);
        CHECK(a.status.find("D  old.txt") != std::string::npos);
        CHECK(git(ours, {"fsck", "--no-dangling", "--no-progress"}).empty());
    }
}

TEST_CASE("Git::commit on an index with nothing else staged, split or not") {
    for (bool split_index : {false, true}) {
        CAPTURE(split_index);
        RepositoryPair pair(split_index, Staged::nothing);
        const fs::path &ours = pair.ours, &theirs = pair.theirs;
        const std::vector<std::string> paths = {"incidents/2026/12/INC-00000001.yaml"};
        Git(ours).commit({paths, "incident INC-00000001: noted", "incident.note", "INC-00000001",
                          "Test", "test@example.com"});
        git(theirs, {"commit", "-q", "--only", "-m", "x", "--", paths[0]});
        Outcome a = outcome_of(ours), b = outcome_of(theirs);
        CHECK(a.tree == b.tree);
        CHECK(a.index == b.index);
        CHECK(a.status == b.status);
    }
}
