// The yardstick of the report benchmark: parsing every record file with yaml-cpp
// on one core, as a straightforward implementation would. Prints seconds.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <yaml-cpp/yaml.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s STORE\n", argv[0]);
        return 2;
    }
    auto start = std::chrono::steady_clock::now();
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
        auto name = entry.path().filename().string();
        if (entry.path().extension() != ".yaml" || name.size() < 4 || name[3] != '-') continue;
        YAML::Node doc = YAML::LoadFile(entry.path().string());
        files += doc.IsMap() ? 1 : 0;
    }
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::printf("%.3f %zu\n", took.count(), files);
}
