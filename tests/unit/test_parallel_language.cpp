#include "opsflow/base/i18n.hpp"
#include "opsflow/base/parallel.hpp"

#include <doctest/doctest.h>
#include <mutex>
#include <vector>

using namespace opsflow;

TEST_CASE("work on threads speaks the caller's language on every thread") {
    set_default_language(Language::en);
    std::vector<Language> seen(4, Language::en);
    {
        LanguageScope chinese(Language::zh_CN);
        run_on_threads(4, [&](unsigned t) { seen[t] = current_language(); });
    }
    for (auto language : seen)
        CHECK(language == Language::zh_CN);
    // Outside the scope the workers speak the default again.
    run_on_threads(2, [&](unsigned t) { seen[t] = current_language(); });
    CHECK(seen[1] == Language::en);
}
