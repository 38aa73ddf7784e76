#pragma once
// The checks of one record on its own, against the store's settings, team and
// services (each may be missing: what needs it is then not checked).
#include "check/check_cache.hpp"
#include "opsflow/base/id.hpp"
#include "opsflow/check/check.hpp"
#include "opsflow/record/settings.hpp"

#include <string>

namespace opsflow {

struct StoreSettings {
    const Settings* settings = nullptr;
    const Team* team = nullptr;
    const ServiceCatalog* services = nullptr;
};

// A finding at a node of a file (line 1, column 1 without one).
void add_finding(std::vector<CheckFinding>& findings, Severity severity, const std::string& file,
                 const Node* at, std::string pointer, std::string message);
// Each diagnostic as an error, or `fallback` at the top of the file when there is none.
void add_errors(std::vector<CheckFinding>& findings, const std::vector<Diagnostic>& diagnostics,
                const std::string& file, const std::string& fallback);

// Reads the record at `path` (relative to the store) from `snapshot` and checks it:
// schema, time values, location, references, events and workflow, derived fields,
// completeness, secrets and personal data. Safe to call from several threads.
RecordVerdict check_record(const Snapshot& snapshot, const StoreSettings& store, RecordKind kind,
                           const std::string& path);

} // namespace opsflow
