#include "opsflow/git/git.hpp"

#include <doctest/doctest.h>

using namespace opsflow;

TEST_CASE("git_blob_name is what git hash-object prints") {
    // `printf 'hello\n' | git hash-object --stdin`, and git's empty blob.
    CHECK(git_blob_name("hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a");
    CHECK(git_blob_name("") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}
