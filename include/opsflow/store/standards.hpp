#pragma once
// The department's service standards (SPEC §12, step 4.4): SLA targets, the business
// calendar, the priority matrix and routing (opsflow.yaml) and the service catalogue
// (services.yaml), as they are versioned in git: in force now, at a time or a commit,
// and each change in words (`sla.P3.resolve 3d → 2d`).
#include "opsflow/base/time.hpp"
#include "opsflow/store/store.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opsflow {

// Each standard as one line: `sla.P3.resolve` → `2d`, `services.mail.owner` → `lisi`.
using StandardValues = std::map<std::string, std::string>;

struct StandardsVersion {
    std::string commit; // empty: the files as they are in the work tree
    std::string date;   // of the commit
    StandardValues values;
};

// In force now (the work tree), or at `rev` (a commit), or at `at` (the last commit
// before it). Throws NotFoundError for a revision git does not know.
StandardsVersion standards_now(const Store& store);
StandardsVersion standards_at_commit(const Store& store, const std::string& rev);
StandardsVersion standards_at_time(const Store& store, Timestamp at);

struct StandardsChange {
    std::string key;
    std::optional<std::string> before, after; // none: added, or removed
};
// `sla.P3.resolve 3d → 2d`, `+ services.erp.name ERP`, `- routing.2 {...}`
std::string change_text(const StandardsChange& change);

struct StandardsCommit {
    std::string commit, date, author, subject;
    std::vector<StandardsChange> changes;
};
// The commits that changed a standard, newest first: all of them, or those in `range`
// (`A..B`, as git reads it), or those in [since, until).
std::vector<StandardsCommit> standards_history(const Store& store,
                                               const std::optional<std::string>& range = {},
                                               std::optional<Timestamp> since = {},
                                               std::optional<Timestamp> until = {});

} // namespace opsflow
