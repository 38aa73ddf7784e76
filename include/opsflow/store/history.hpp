#pragma once
// A record's history from git (`opsflow log ID`): every commit that touched its
// file, following the file across moves, with the action from the trailers.
#include "opsflow/store/store.hpp"

#include <string>
#include <vector>

namespace opsflow {

struct HistoryEntry {
    std::string commit; // full hash
    Timestamp when;     // author date
    std::string author;
    std::string action; // Opsflow-Action trailer; empty for a commit made by hand
    std::string subject;
    std::string path; // the record's path in that commit (it changes when the file moved)
};

// Oldest first. Throws NotFoundError if the ID names no record, now or in the history.
std::vector<HistoryEntry> record_history(const Store& store, std::string_view id_or_prefix);

} // namespace opsflow
