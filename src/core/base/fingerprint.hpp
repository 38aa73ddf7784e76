#pragma once
// The fingerprint under which a cache (the query index, the check cache) keeps what
// it derived from records (core-internal).
#include <string>
#include <vector>

namespace opsflow {

// A hash of `texts` (the settings the derived data depends on), opsflow's version
// and the running binary's size and time, so that a rebuilt opsflow with other
// schemas or rules never trusts what an older one derived.
std::string cache_fingerprint(const std::vector<std::string>& texts);

} // namespace opsflow
