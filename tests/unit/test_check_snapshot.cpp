// The work tree's record files, listed in path order without sorting them all.
#include "opsflow/check.hpp"

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
