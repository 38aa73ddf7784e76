#include "opsflow/transfer/transfer.hpp"

#include "opsflow/base/csv.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/schema.hpp"
#include "opsflow/report/redact.hpp"
#include "opsflow/store/query.hpp"

#include <fmt/format.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

std::string cell(const Node* value) {
    if (!value || value->is_null()) return "";
    // Text is defused for spreadsheets (import undoes it); numbers stay numbers.
    if (value->is_scalar())
        return value->kind() == ScalarKind::string ? csv_text_cell(value->text()) : value->text();
    return to_ordered_json(*value).dump();
}

void redact_strings(Node& node, Redactor& redactor) {
    if (node.is_map()) {
        for (auto& [key, value] : node.entries())
            redact_strings(value, redactor);
    } else if (node.is_sequence()) {
        for (auto& item : node.items())
            redact_strings(item, redactor);
    } else if (node.kind() == ScalarKind::string) {
        node = Node::string(redactor.apply(node.text()));
    }
}

} // namespace

TransferFormat format_of_file(const std::string& file_name) {
    auto ext = fs::path(file_name).extension().string();
    if (ext == ".csv") return TransferFormat::csv;
    if (ext == ".jsonl" || ext == ".ndjson") return TransferFormat::jsonl;
    throw UsageError(tr("{}: import reads .csv or .jsonl files", file_name));
}

void export_records(const Store& store, const ExportOptions& options,
                    const std::function<void(std::string_view)>& write,
                    std::vector<std::string>& problems) {
    std::optional<Redactor> redactor;
    if (options.redact) {
        // Every reporter and requester is personal data wherever it appears, also in
        // records before the one that names them: the index knows them all.
        redactor.emplace(store, load_facts(store, {RecordKind::incident, RecordKind::ticket}));
    }
    const auto& fields = record_fields(options.kind);
    if (options.format == TransferFormat::csv)
        write(csv_row(std::vector<std::string>(fields.begin(), fields.end())));
    auto row = [&](const Node& record) {
        const Node* doc = &record;
        Node redacted;
        if (redactor) {
            redacted = record;
            redact_strings(redacted, *redactor);
            doc = &redacted;
        }
        if (options.format == TransferFormat::jsonl)
            return canonical_json(*doc, options.kind) + "\n";
        Node canonical = *doc;
        canonicalize(canonical, options.kind);
        std::vector<std::string> cells;
        for (auto field : fields)
            cells.push_back(cell(canonical.find(field)));
        return csv_row(cells);
    };
    // Pseudonyms are handed out in order of appearance: a redacted export is made
    // in file order; otherwise each row is made on the core that read its record.
    if (redactor)
        store.for_each_record(
            options.kind, store.record_files(options.kind),
            [&](const Record& record) { write(row(record.doc())); }, problems);
    else
        store.render_records(
            options.kind, indexed_record_files(store, options.kind),
            [&](const Record& record) { return row(record.doc()); },
            [&](std::string&& text) { write(text); }, problems);
}

} // namespace opsflow
