#include "transfer/import_rows.hpp"

#include "opsflow/base/csv.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/incident_sla.hpp"
#include "opsflow/record/schema.hpp"
#include "opsflow/record/workflow.hpp"

#include <fmt/format.h>
#include <set>

namespace opsflow::import_rows {

namespace {

// Fields that CSV carries as JSON text because they hold lists or maps.
bool structured(std::string_view field) {
    static const std::set<std::string_view> always = {
        "sla",   "verification", "survey", "links",    "notices",  "events",
        "tasks", "evaluation",   "scope",  "baseline", "services", "incidents"};
    return always.contains(field);
}

// Fields holding times, which import also accepts as `YYYY-MM-DD HH:MM` in the store timezone.
const std::set<std::string_view>& time_fields() {
    static const std::set<std::string_view> fields = {"reported_at", "received_at",  "start",
                                                      "end",         "actual_start", "actual_end"};
    return fields;
}

} // namespace

void for_each_row(RecordKind kind, const std::string& text, TransferFormat format,
                  const std::string& source, std::vector<std::string>& errors,
                  const std::function<void(int line, Node doc)>& visit) {
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
            Node doc;
            try {
                auto json = nlohmann::ordered_json::parse(content);
                if (!json.is_object()) throw InvalidDataError(tr("a line must hold a JSON object"));
                doc = from_json(json);
            } catch (const std::exception& e) {
                errors.push_back(fmt::format("{}:{}: {}", source, line, e.what()));
                continue;
            }
            visit(line, std::move(doc));
        }
        return;
    }
    std::vector<std::string> header;
    const auto& known = record_fields(kind);
    for_each_csv_row(text, source, [&](CsvRow&& row) {
        if (header.empty()) {
            header = std::move(row.fields);
            for (const auto& name : header)
                if (std::find(known.begin(), known.end(), name) == known.end())
                    errors.push_back(fmt::format(
                        "{}:{}: {}", source, row.line,
                        tr("unknown column '{}' for {} records", name, kind_noun(kind))));
            return;
        }
        if (row.fields.size() != header.size()) {
            errors.push_back(fmt::format(
                "{}:{}: {}", source, row.line,
                tr("{} fields, but the header has {}", row.fields.size(), header.size())));
            return;
        }
        Node doc = Node::map();
        try {
            for (std::size_t i = 0; i < header.size(); ++i) {
                // export's CSV defuses text for spreadsheets: undone here.
                const std::string value = csv_text_value(row.fields[i]);
                if (value.empty()) continue;
                if (!structured(header[i])) {
                    doc.set(header[i], Node::string(value));
                } else if (header[i] == "services" && value.front() != '[') {
                    Node list = Node::sequence();
                    std::size_t s = 0;
                    for (auto c = value.find(',');; c = value.find(',', s)) {
                        list.push_back(Node::string(
                            value.substr(s, c == std::string::npos ? std::string::npos : c - s)));
                        if (c == std::string::npos) break;
                        s = c + 1;
                    }
                    doc.set(header[i], std::move(list));
                } else {
                    doc.set(header[i], from_json(nlohmann::ordered_json::parse(value)));
                }
            }
        } catch (const std::exception& e) {
            errors.push_back(fmt::format("{}:{}: {}", source, row.line, e.what()));
            return;
        }
        visit(row.line, std::move(doc));
    });
}

Timestamp first_time(const Node& doc) {
    const Node* events = doc.find("events");
    if (events && events->is_sequence() && !events->items().empty())
        if (auto t = parse_rfc3339(events->items().front().get("at").value_or(""))) return *t;
    return Timestamp::min();
}

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
    const std::string initial(workflow_of(kind).initial_status());
    if (kind == RecordKind::incident) {
        defaults("status", initial);
        defaults("impact", "medium");
        defaults("urgency", "medium");
        defaults("priority",
                 matrix_priority(ctx.store.settings(), *doc.get("impact"), *doc.get("urgency")));
        when_key = "reported_at";
    } else if (kind == RecordKind::ticket) {
        defaults("status", initial);
        when_key = "received_at";
    } else if (kind == RecordKind::maintenance || kind == RecordKind::problem) {
        defaults("status", initial);
    } else if (kind == RecordKind::article) {
        defaults("status", initial);
        // Never sent to a user unless the old system said it was for users.
        defaults("audience", "staff");
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

std::string row_error(const InvalidDataError& e) {
    if (e.diagnostics().empty()) return e.what();
    std::string what;
    for (const auto& d : e.diagnostics())
        what +=
            (what.empty() ? "" : "; ") + (d.path.empty() ? d.message : d.path + ": " + d.message);
    return what;
}

} // namespace opsflow::import_rows
