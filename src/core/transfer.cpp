#include "opsflow/transfer.hpp"

#include "opsflow/check.hpp"
#include "opsflow/csv.hpp"
#include "opsflow/error.hpp"
#include "opsflow/incident_sla.hpp"
#include "opsflow/query.hpp"
#include "opsflow/redact.hpp"
#include "opsflow/schema.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

// Fields that CSV carries as JSON text because they hold lists or maps.
bool structured(RecordKind kind, std::string_view field) {
    static const std::set<std::string_view> always = {
        "sla",    "verification", "survey",     "links", "notices",
        "events", "tasks",        "evaluation", "scope", "baseline"};
    return always.contains(field) || (kind == RecordKind::maintenance && field == "services");
}

// Fields holding times, which import also accepts as `YYYY-MM-DD HH:MM` in the store timezone.
const std::set<std::string_view>& time_fields() {
    static const std::set<std::string_view> fields = {"reported_at", "received_at",  "start",
                                                      "end",         "actual_start", "actual_end"};
    return fields;
}

std::string cell(const Node* value) {
    if (!value || value->is_null()) return "";
    if (value->is_scalar()) return value->text();
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
    throw UsageError(fmt::format("{}: import reads .csv or .jsonl files", file_name));
}

std::string export_records(const Store& store, const ExportOptions& options,
                           std::vector<std::string>& problems) {
    auto records = store.load_all(
        options.kind, [](const Record&) { return true; }, problems);
    std::optional<Redactor> redactor;
    if (options.redact) {
        redactor.emplace(store, load_facts(store, {RecordKind::incident}));
        for (const auto& record : records)
            for (auto field : {"reporter", "requester"})
                if (auto who = record.doc().get(field)) redactor->add_person(*who);
    }
    const auto& fields = record_fields(options.kind);
    std::string out;
    if (options.format == TransferFormat::csv)
        out = csv_row(std::vector<std::string>(fields.begin(), fields.end()));
    for (auto& record : records) {
        Node doc = record.doc();
        canonicalize(doc, options.kind);
        if (redactor) redact_strings(doc, *redactor);
        if (options.format == TransferFormat::jsonl) {
            out += to_ordered_json(doc).dump() + "\n";
            continue;
        }
        std::vector<std::string> cells;
        for (auto field : fields)
            cells.push_back(cell(doc.find(field)));
        out += csv_row(cells);
    }
    return out;
}

namespace {

struct Row {
    int line;
    Node doc;
};

std::vector<Row> read_rows(RecordKind kind, const std::string& text, TransferFormat format,
                           const std::string& source, std::vector<std::string>& errors) {
    std::vector<Row> rows;
    if (format == TransferFormat::jsonl) {
        int line = 0;
        std::size_t start = 0;
        while (start < text.size()) {
            ++line;
            auto end = text.find('\n', start);
            std::string_view content(text.data() + start,
                                     (end == std::string::npos ? text.size() : end) - start);
            start = end == std::string::npos ? text.size() : end + 1;
            if (content.find_first_not_of(" \t\r") == std::string_view::npos) continue;
            try {
                auto json = nlohmann::ordered_json::parse(content);
                if (!json.is_object()) throw InvalidDataError("a line must hold a JSON object");
                rows.push_back({line, from_json(json)});
            } catch (const std::exception& e) {
                errors.push_back(fmt::format("{}:{}: {}", source, line, e.what()));
            }
        }
        return rows;
    }
    auto csv = parse_csv(text, source);
    if (csv.empty()) return rows;
    const auto& header = csv.front().fields;
    const auto& known = record_fields(kind);
    for (const auto& name : header)
        if (std::find(known.begin(), known.end(), name) == known.end())
            errors.push_back(fmt::format("{}:{}: unknown column '{}' for {} records", source,
                                         csv.front().line, name, kind_info(kind).name));
    for (std::size_t r = 1; r < csv.size(); ++r) {
        const auto& row = csv[r];
        if (row.fields.size() == 1 && row.fields[0].empty()) continue; // blank line
        if (row.fields.size() != header.size()) {
            errors.push_back(fmt::format("{}:{}: {} fields, but the header has {}", source,
                                         row.line, row.fields.size(), header.size()));
            continue;
        }
        Node doc = Node::map();
        try {
            for (std::size_t i = 0; i < header.size(); ++i) {
                const auto& value = row.fields[i];
                if (value.empty()) continue;
                if (structured(kind, header[i])) {
                    if (header[i] == "services" && value.front() != '[') {
                        Node list = Node::sequence();
                        std::size_t s = 0;
                        for (auto c = value.find(',');; c = value.find(',', s)) {
                            list.push_back(Node::string(value.substr(
                                s, c == std::string::npos ? std::string::npos : c - s)));
                            if (c == std::string::npos) break;
                            s = c + 1;
                        }
                        doc.set(header[i], std::move(list));
                    } else {
                        doc.set(header[i], from_json(nlohmann::ordered_json::parse(value)));
                    }
                } else {
                    doc.set(header[i], Node::string(value));
                }
            }
            rows.push_back({row.line, std::move(doc)});
        } catch (const std::exception& e) {
            errors.push_back(fmt::format("{}:{}: {}", source, row.line, e.what()));
        }
    }
    return rows;
}

// The first event's time, for the record's month directory and its history.
Timestamp first_time(const Node& doc) {
    const Node* events = doc.find("events");
    if (events && events->is_sequence() && !events->items().empty())
        if (auto t = parse_rfc3339(events->items().front().get("at").value_or(""))) return *t;
    return Timestamp::min();
}

// Fills what a row from another system leaves out, as `new` would, and gives it
// one `import` event that sets its fields, so that replaying the events gives the record.
void complete_row(const Context& ctx, RecordKind kind, Node& doc, Timestamp now) {
    const auto* zone = ctx.store.settings().zone;
    for (auto& [key, value] : doc.entries())
        if (time_fields().contains(key) && value.is_scalar() && !value.is_null())
            value =
                Node::string(format_rfc3339(parse_time_input(value.text(), zone, now, key), zone));
    if (doc.find("events")) return;
    auto defaults = [&](std::string_view key, std::string value) {
        if (!doc.find(key)) doc.set(key, Node::string(std::move(value)));
    };
    std::string when_key;
    if (kind == RecordKind::incident) {
        defaults("status", "new");
        defaults("impact", "medium");
        defaults("urgency", "medium");
        defaults("priority",
                 matrix_priority(ctx.store.settings(), *doc.get("impact"), *doc.get("urgency")));
        when_key = "reported_at";
    } else if (kind == RecordKind::ticket) {
        defaults("status", "new");
        when_key = "received_at";
    } else if (kind == RecordKind::maintenance) {
        defaults("status", "planned");
    }
    Timestamp at = now;
    if (!when_key.empty()) {
        if (auto t = doc.get(when_key)) at = parse_rfc3339(*t).value_or(now);
    } else if (auto start = doc.get("start")) {
        at = std::min(now, parse_rfc3339(*start).value_or(now));
    }
    Node event = make_event(ctx, at, "import");
    for (const auto& [key, value] : doc.entries())
        if (key != "id" && key != "sla") event.set(key, value);
    Node events = Node::sequence();
    events.push_back(std::move(event));
    doc.set("events", std::move(events));
}

// The store's files as they would be with the new records added, for `check`.
class WithNewRecords : public Snapshot {
  public:
    WithNewRecords(const fs::path& root, std::map<std::string, std::string> added)
        : disk_(root), added_(std::move(added)) {}
    std::vector<std::string> record_paths() const override {
        auto paths = disk_.record_paths();
        for (const auto& [path, text] : added_)
            paths.push_back(path);
        return paths;
    }
    std::optional<std::string> read(const std::string& relative) const override {
        auto it = added_.find(relative);
        return it != added_.end() ? std::optional(it->second) : disk_.read(relative);
    }

  private:
    WorkTreeSnapshot disk_;
    std::map<std::string, std::string> added_;
};

} // namespace

ImportResult import_records(Context& ctx, RecordKind kind, const std::string& text,
                            TransferFormat format, const std::string& source, bool dry_run) {
    std::vector<std::string> errors;
    auto rows = read_rows(kind, text, format, source, errors);
    Batch batch(ctx);
    Timestamp now = ctx.clock();
    std::set<std::string> ids_in_file;
    std::map<std::string, int> line_of_path;
    std::map<std::string, std::string> rendered;
    std::vector<std::pair<int, Record*>> records;
    const auto& prefix = kind_info(kind).prefix;
    for (auto& row : rows) {
        try {
            std::optional<std::string> id = row.doc.get("id");
            if (id && (!is_full_id(*id) || !id->starts_with(std::string(prefix) + "-")))
                throw InvalidDataError(
                    fmt::format("id '{}' is not a valid ID for {} records ({}- and hex digits)",
                                *id, kind_info(kind).name, prefix));
            if (id && ctx.store.id_exists(kind, *id))
                throw InvalidDataError(fmt::format("{} is already in the store", *id));
            if (id && !ids_in_file.insert(*id).second)
                throw InvalidDataError(fmt::format("{} is already in this file", *id));
            complete_row(ctx, kind, row.doc, now);
            if (first_time(row.doc) == Timestamp::min())
                throw InvalidDataError("its first event has no valid time");
            Record& record = batch.add(
                kind,
                [&](const std::string& new_id) {
                    Node doc = row.doc;
                    doc.set("id", Node::string(new_id));
                    if (kind == RecordKind::incident) {
                        Record r(kind, doc, "");
                        refresh_sla_deadlines(r, ctx.store.settings());
                        doc = r.doc();
                    }
                    canonicalize(doc, kind);
                    return doc;
                },
                id);
            rendered[record.display_path()] = record.render();
            line_of_path[record.display_path()] = row.line;
            records.emplace_back(row.line, &record);
        } catch (const InvalidDataError& e) {
            std::string what = e.what();
            if (!e.diagnostics().empty()) {
                what.clear();
                for (const auto& d : e.diagnostics())
                    what += (what.empty() ? "" : "; ") +
                            (d.path.empty() ? d.message : d.path + ": " + d.message);
            }
            errors.push_back(fmt::format("{}:{}: {}", source, row.line, what));
        } catch (const Error& e) {
            errors.push_back(fmt::format("{}:{}: {}", source, row.line, e.what()));
        }
    }
    // What the pre-commit hook will require: references, completeness, no secrets.
    if (!rendered.empty()) {
        std::vector<std::string> paths;
        for (const auto& [path, t] : rendered)
            paths.push_back(path);
        auto result = check_store(WithNewRecords(ctx.store.root(), rendered), paths);
        for (const auto& f : result.findings)
            if (f.severity == Severity::error)
                errors.push_back(
                    fmt::format("{}:{}: {}", source, line_of_path[f.where.file], f.where.message));
    }
    if (!errors.empty()) {
        auto line_of = [&](const std::string& e) {
            return std::atoi(e.c_str() + source.size() + 1);
        };
        std::stable_sort(
            errors.begin(), errors.end(),
            [&](const std::string& a, const std::string& b) { return line_of(a) < line_of(b); });
        errors.erase(std::unique(errors.begin(), errors.end()), errors.end());
        std::set<int> bad_lines;
        for (const auto& e : errors)
            bad_lines.insert(line_of(e));
        throw InvalidDataError(fmt::format("{} bad row{} in {}; nothing was imported:\n{}",
                                           bad_lines.size(), bad_lines.size() == 1 ? "" : "s",
                                           source, fmt::join(errors, "\n")));
    }
    ImportResult result;
    for (const auto& [line, record] : records)
        result.ids.push_back(record->id());
    if (records.empty() || dry_run) return result;
    batch.commit(
        *records.front().second,
        ChangeSummary{"import", fmt::format("imported {} {} record{} from {}", records.size(),
                                            kind_info(kind).name, records.size() == 1 ? "" : "s",
                                            fs::path(source).filename().string())});
    result.committed = ctx.commit_mode == CommitMode::commit && ctx.store.git().has_value();
    return result;
}

} // namespace opsflow
