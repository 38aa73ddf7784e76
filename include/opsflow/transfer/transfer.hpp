#pragma once
// Records in and out of other systems: `opsflow import` and `opsflow export`,
// as CSV (a header row, one record per row) or JSON Lines (one record per line).
// An export imports back to the same records.
#include "opsflow/store/change.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

enum class TransferFormat { csv, jsonl };

// The format a file name implies (.csv, .jsonl or .ndjson); throws UsageError otherwise.
TransferFormat format_of_file(const std::string& file_name);

struct ExportOptions {
    RecordKind kind = RecordKind::incident;
    TransferFormat format = TransferFormat::jsonl;
    bool redact = false; // names, e-mail addresses and phone numbers as stable pseudonyms
};

// Every record of a kind, in path order, handed to `write` a row at a time (memory
// stays flat whatever the size of the store). Records that cannot be read are left
// out and named in `problems`.
void export_records(const Store& store, const ExportOptions& options,
                    const std::function<void(std::string_view)>& write,
                    std::vector<std::string>& problems);

struct ImportResult {
    std::vector<std::string> ids; // in the order of the file
    bool committed = false;
    Phrase summary; // "imported 2 incident records from helpdesk.csv" (empty for a dry run)
};

// Validates every row first (schema, references, completeness, secrets: what
// `check` requires) and writes nothing unless all are good: throws
// InvalidDataError listing each bad row as `file:line: ...`. Then writes all the
// records and commits them as one commit. A row's valid `id` is kept, otherwise a
// new one is made; rows without `events` get one `import` event that sets their fields.
ImportResult import_records(Context& ctx, RecordKind kind, const std::string& text,
                            TransferFormat format, const std::string& source, bool dry_run);

} // namespace opsflow
