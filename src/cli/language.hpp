#pragma once
// The operator's language and the store's (SPEC §10), decided here, once, from the
// environment and `--lang`; the core is told (opsflow/i18n.hpp) and never looks.
#include "opsflow/base/i18n.hpp"

#include <optional>

namespace opsflow::cli {

// The language of LC_ALL, else LC_MESSAGES, else LANG (the first one set and not
// empty): `zh...` is Chinese, anything else English.
Language locale_language();

// `--lang zh-CN|en` or `--lang=...` among the arguments (before a `--`), read before
// the command table is built so that `--help` is in that language. UsageError for
// another value.
std::optional<Language> lang_argument(int argc, char** argv);

// Points the core at the catalogues: $OPSFLOW_LOCALEDIR, then the build tree's when this
// program runs from it, then the install prefix's (found from the program's own path, so
// a relocated install works), then the configured install directory.
void find_catalogues();

} // namespace opsflow::cli
