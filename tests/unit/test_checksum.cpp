// The checksum that seals the query index and the check cache, and the mapped
// files they are read from.
#include "base/checksum.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"

#include <cctype>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace opsflow;
namespace fs = std::filesystem;

TEST_CASE("xxh64 gives the published XXH64 values") {
    using checksum::xxh64;
    CHECK(xxh64("") == 0xEF46DB3751D8E999ull);
    CHECK(xxh64("", 1) == 0xD5AFBA1336A3BE4Bull);
    CHECK(xxh64("a") == 0xD24EC4F1A98C6E5Bull);
    CHECK(xxh64("abc") == 0x44BC2CF5AD770999ull);
    CHECK(xxh64("1234567890123456") == 0xB61C33DC6C59F270ull);
    // 39 bytes: one 32-byte stripe, then an 8-byte word, then single bytes.
    CHECK(xxh64("Nobody inspects the spammish repetition") == 0xFBCEA83C8A378BF1ull);
    CHECK(xxh64("Nobody inspects the spammish repetition", 123) == 0xA8BA45551F24B7AEull);
    CHECK(xxh64("The quick brown fox jumps over the lazy dog") == 0x0B242D361FDA71BCull);
    std::string hundred(100, '\0');
    for (std::size_t i = 0; i < hundred.size(); ++i)
        hundred[i] = static_cast<char>(i);
    CHECK(xxh64(hundred) == 0x6AC1E58032166597ull);
}

TEST_CASE("a sealed text is given back whole, and any damage to it is seen") {
    std::string text = "opsflow-index\t9\theader\n";
    for (int i = 0; i < 40; ++i)
        text += "F\tINC-" + std::to_string(10000000 + i) + ".yaml\t1\t2\t3\t4\tfacts\n";
    std::string sealed = text;
    checksum::seal(sealed);
    REQUIRE(sealed.size() == text.size() + checksum::trailer_size);
    CHECK(sealed.ends_with("\n"));
    CHECK(sealed.substr(text.size(), 6) == "xxh64 ");
    auto back = checksum::unsealed(sealed);
    REQUIRE(back);
    CHECK(*back == text);

    // Every byte, trailer included, flipped in every bit: never accepted.
    int accepted = 0;
    for (std::size_t at = 0; at < sealed.size(); ++at)
        for (int bit = 0; bit < 8; ++bit) {
            std::string damaged = sealed;
            damaged[at] = static_cast<char>(damaged[at] ^ (1 << bit));
            accepted += checksum::unsealed(damaged) ? 1 : 0;
        }
    CHECK(accepted == 0);
    // Cut short anywhere, or grown, or without a trailer: not accepted.
    for (std::size_t size = 0; size < sealed.size(); ++size)
        CHECK_FALSE(checksum::unsealed(std::string_view(sealed).substr(0, size)));
    CHECK_FALSE(checksum::unsealed(sealed + "F\tmore\n"));
    CHECK_FALSE(checksum::unsealed(text));
    // The same checksum spelt in upper case is not the one seal writes.
    std::string upper = sealed;
    for (std::size_t i = text.size() + 6; i < upper.size(); ++i)
        upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
    if (upper != sealed) CHECK_FALSE(checksum::unsealed(upper));
    // An empty text seals too.
    std::string empty;
    checksum::seal(empty);
    CHECK(checksum::unsealed(empty) == std::string_view{});
}

namespace {

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("opsflow-mapped-" + std::to_string(::getpid()));
    TempDir() {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
};

} // namespace

TEST_CASE("a mapped file gives its text, and fails loudly when it cannot") {
    TempDir dir;
    const fs::path file = dir.path / "index";
    std::ofstream(file) << "some text\n";
    CHECK(MappedText(file, IfMissing::empty).text() == "some text\n");
    std::ofstream(dir.path / "empty").close();
    CHECK(MappedText(dir.path / "empty", IfMissing::empty).text().empty());

    // Missing (a cache not written yet): empty text, also through a regular file (ENOTDIR).
    CHECK(MappedText(dir.path / "none", IfMissing::empty).text().empty());
    CHECK(MappedText(file / "below", IfMissing::empty).text().empty());
    // Missing where the caller needs the file: said so, never empty text.
    CHECK_THROWS_WITH_AS(MappedText(dir.path / "none", IfMissing::fail),
                         doctest::Contains("No such file"), NotFoundError);

    // Not a regular file: never empty text.
    fs::create_symlink(file, dir.path / "link");
    CHECK_THROWS_WITH_AS(MappedText(dir.path / "link", IfMissing::empty),
                         doctest::Contains("a symbolic link"), InvalidDataError);
    REQUIRE(::mkfifo((dir.path / "fifo").c_str(), 0600) == 0); // not waited on
    CHECK_THROWS_WITH_AS(MappedText(dir.path / "fifo", IfMissing::empty),
                         doctest::Contains("a FIFO"), InvalidDataError);
    fs::create_directory(dir.path / "directory");
    CHECK_THROWS_WITH_AS(MappedText(dir.path / "directory", IfMissing::empty),
                         doctest::Contains("a directory"), InvalidDataError);

    // Too large (a sparse file: nothing is written): refused before it is mapped.
    const fs::path large = dir.path / "large";
    std::ofstream(large).close();
    fs::resize_file(large, (std::uintmax_t{1} << 30) + 1);
    CHECK_THROWS_WITH_AS((MappedText(large, IfMissing::empty)),
                         doctest::Contains("more than the limit"), InvalidDataError);
}
