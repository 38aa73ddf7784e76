#include "opsflow/record/record.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/schema.hpp"
#include "record/json_text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <sstream>

namespace opsflow {

namespace {

using Order = std::vector<std::string_view>;

const Order& top_level_order(RecordKind kind) {
    static const std::map<RecordKind, Order> orders = {
        {RecordKind::incident,
         {N_("id"),          N_("title"),        N_("status"),   N_("service"),     N_("category"),
          N_("impact"),      N_("urgency"),      N_("priority"), N_("reporter"),    N_("channel"),
          N_("reported_at"), N_("assignee"),     N_("sla"),      N_("description"), N_("cause"),
          N_("resolution"),  N_("verification"), N_("feedback"), N_("survey"),      N_("problem"),
          N_("links"),       N_("notices"),      N_("events")}},
        {RecordKind::maintenance,
         {N_("id"),           N_("title"),      N_("status"),      N_("series"),
          N_("occurrence"),   N_("services"),   N_("owner"),       N_("start"),
          N_("end"),          N_("recurrence"), N_("description"), N_("impact"),
          N_("tasks"),        N_("notices"),    N_("skip_reason"), N_("result"),
          N_("actual_start"), N_("actual_end"), N_("notes"),       N_("tasks_skipped"),
          N_("docs"),         N_("evaluation"), N_("events")}},
        {RecordKind::ticket,
         {N_("id"), N_("subject"), N_("status"), N_("requester"), N_("channel"), N_("received_at"),
          N_("category"), N_("service"), N_("assignee"), N_("question"), N_("analysis"),
          N_("answer"), N_("survey"), N_("article"), N_("links"), N_("notices"), N_("events")}},
        {RecordKind::improvement,
         {N_("id"), N_("title"), N_("status"), N_("problem"), N_("scope"), N_("metric"),
          N_("baseline"), N_("target"), N_("owner"), N_("plan"), N_("finding"), N_("started_at"),
          N_("done_at"), N_("standards"), N_("evaluation"), N_("links"), N_("events")}},
        {RecordKind::problem,
         {N_("id"), N_("title"), N_("status"), N_("services"), N_("category"), N_("description"),
          N_("cause"), N_("workaround"), N_("fix"), N_("owner"), N_("finding"), N_("incidents"),
          N_("links"), N_("events")}},
        {RecordKind::article,
         {N_("id"), N_("title"), N_("status"), N_("audience"), N_("services"), N_("category"),
          N_("body"), N_("source"), N_("links"), N_("events")}},
    };
    return orders.at(kind);
}

// Maps that appear inside records, by the key that holds them.
const std::map<std::string_view, Order>& nested_orders() {
    static const std::map<std::string_view, Order> orders = {
        {"sla", {N_("respond_by"), N_("resolve_by")}},
        {"survey", {N_("sent_at"), N_("score"), N_("comment"), N_("answered_at")}},
        {"verification", {N_("result"), N_("note")}},
        {"scope", {N_("service"), N_("category")}},
        {"baseline", {N_("value"), N_("from"), N_("to")}},
        {"events", {N_("at"), N_("by"), N_("action")}},
        {"notices",
         {"at", "purpose", "sequence", "recipients", "message_id", "file", "late", "transport",
          "delivery", "error", "attempts", "subject"}},
        {"evaluation",
         {"rating", "notes", "window_days", "incidents_before", "incidents_after", "before",
          "after", "change", "change_pct", "target_met", "partial", "observed_days", "per_30_days",
          "measures"}},
        {"tasks", {"text", "done", "by", "note"}},
        {"measures", {"name", "before", "after", "unit"}},
        {"standards", {"commit", "date", "changes"}},
    };
    return orders;
}

// Whether a map's entries are in canonical order already, as opsflow writes them:
// the keys of `order` in its order (none null when `drop_null_known`), then the others.
bool in_canonical_order(const Node& map, const Order& order, bool drop_null_known) {
    std::size_t next = 0; // the place in `order` after the last known key seen
    bool other_seen = false;
    for (const auto& [key, value] : map.entries()) {
        auto known = std::find(order.begin() + static_cast<std::ptrdiff_t>(next), order.end(), key);
        if (known != order.end()) {
            if (other_seen || (drop_null_known && value.is_null())) return false;
            next = static_cast<std::size_t>(known - order.begin()) + 1;
        } else if (std::find(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(next),
                             key) != order.begin() + static_cast<std::ptrdiff_t>(next)) {
            return false; // a known key after a later one
        } else {
            other_seen = true;
        }
    }
    return true;
}

// The places of a map's entries in canonical order: the keys of `order` first
// (known keys whose value is null left out when `drop_null_known`), then the
// others as they were.
std::vector<std::size_t> canonical_order(const Node& map, const Order& order,
                                         bool drop_null_known) {
    const auto& entries = map.entries();
    std::vector<std::size_t> places;
    places.reserve(entries.size());
    if (in_canonical_order(map, order, drop_null_known)) { // most maps: nothing to move
        for (std::size_t i = 0; i < entries.size(); ++i)
            places.push_back(i);
        return places;
    }
    std::vector<bool> known(entries.size());
    for (auto key : order)
        for (std::size_t i = 0; i < entries.size(); ++i)
            if (!known[i] && entries[i].first == key) {
                known[i] = true;
                if (!(drop_null_known && entries[i].second.is_null())) places.push_back(i);
                break;
            }
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (!known[i]) places.push_back(i);
    return places;
}

void order_map(Node& map, const Order& order, bool drop_null_known) {
    if (in_canonical_order(map, order, drop_null_known)) return;
    auto& entries = map.entries();
    std::vector<Node::Entry> sorted;
    sorted.reserve(entries.size());
    for (auto i : canonical_order(map, order, drop_null_known))
        sorted.push_back(std::move(entries[i]));
    entries = std::move(sorted);
}

// A value shaped like a time must be one: the schema's pattern sees the shape,
// this sees the calendar (no 30 February, no 25:61, no +99:99, no year 0).
void check_times(const Node& node, const std::string& display, const std::string& pointer) {
    if (node.is_map()) {
        for (const auto& [key, value] : node.entries())
            check_times(value, display, pointer + "/" + key);
    } else if (node.is_sequence()) {
        for (std::size_t i = 0; i < node.items().size(); ++i)
            check_times(node.items()[i], display, pointer + "/" + std::to_string(i));
    } else if (node.kind() == ScalarKind::string) {
        const std::string& t = node.text();
        bool shaped =
            t.size() >= 11 && t[4] == '-' && t[7] == '-' && t[10] == 'T' &&
            std::all_of(t.begin(), t.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
        if (shaped && !parse_rfc3339(t))
            throw InvalidDataError(
                {Diagnostic{display, node.line(), node.column(), pointer,
                            tr("'{}' is not a valid time (RFC 3339; years {} to {})", t, first_year,
                               last_year)}});
    }
}

// Writes `map` as a JSON object in canonical order; `value` writes each value.
template <class WriteValue>
void write_ordered_map(std::string& out, const Node& map, const Order& order, bool drop_null_known,
                       json_text::Layout layout, const WriteValue& value) {
    json_text::open(out, '{');
    bool first = true;
    for (auto i : canonical_order(map, order, drop_null_known)) {
        const auto& [key, item] = map.entries()[i];
        json_text::next_member(out, layout, first);
        first = false;
        json_text::write_key(out, key, layout);
        value(key, item, json_text::Layout{layout.indent, layout.depth + 1});
    }
    json_text::close(out, '}', layout, first);
}

} // namespace

void set_field(Record& record, Node& event, std::string_view key, Node value) {
    record.doc().set(key, value);
    event.set(key, std::move(value));
}

void add_link(Record& record, const std::string& id) {
    Node* links = record.doc().find("links");
    if (!links) links = &record.doc().set("links", Node::sequence());
    for (const auto& link : links->items())
        if (link.text() == id) return;
    links->push_back(Node::string(id));
}

const std::vector<LinkField>& link_fields() {
    static const std::vector<LinkField> fields = {
        {std::nullopt, "links", ""},
        {RecordKind::incident, "problem", "incidents"},
        {RecordKind::problem, "incidents", "problem"},
        {RecordKind::ticket, "article", ""},
        {RecordKind::article, "source", ""},
    };
    return fields;
}

std::vector<NamedLink> named_links(const Record& record) {
    std::vector<NamedLink> out;
    for (const auto& link : link_fields()) {
        if (link.kind && *link.kind != record.kind()) continue;
        const Node* value = record.doc().find(link.field);
        if (!value) continue;
        const std::string pointer = "/" + std::string(link.field);
        if (value->is_scalar() && !value->is_null())
            out.push_back({value, link.field, pointer, link.back});
        else if (value->is_sequence())
            for (std::size_t i = 0; i < value->items().size(); ++i)
                if (value->items()[i].is_scalar())
                    out.push_back({&value->items()[i], link.field, fmt::format("{}/{}", pointer, i),
                                   link.back});
    }
    return out;
}

const std::vector<std::string_view>& record_fields(RecordKind kind) {
    return top_level_order(kind);
}

void canonicalize(Node& doc, RecordKind kind) {
    order_map(doc, top_level_order(kind), true);
    for (auto& [key, value] : doc.entries()) {
        auto it = nested_orders().find(key);
        if (it == nested_orders().end()) continue;
        if (value.is_map()) order_map(value, it->second, true);
        if (value.is_sequence())
            for (auto& item : value.items())
                if (item.is_map()) order_map(item, it->second, false);
    }
}

std::string canonical_json(const Node& doc, RecordKind kind, int indent, int depth) {
    using json_text::Layout;
    std::string out;
    out.reserve(doc.entries().size() * 64);
    auto plain = [&](const Node& value, Layout layout) { json_text::write(out, value, layout); };
    auto field = [&](std::string_view, const Node& value, Layout layout) { plain(value, layout); };
    // The maps inside the record, ordered as canonicalize orders them.
    auto nested = [&](std::string_view key, const Node& value, Layout layout) {
        auto it = nested_orders().find(key);
        if (it == nested_orders().end() || !(value.is_map() || value.is_sequence()))
            return plain(value, layout);
        if (value.is_map()) return write_ordered_map(out, value, it->second, true, layout, field);
        json_text::open(out, '[');
        bool first = true;
        for (const auto& item : value.items()) {
            json_text::next_member(out, layout, first);
            first = false;
            Layout inner{layout.indent, layout.depth + 1};
            if (item.is_map())
                write_ordered_map(out, item, it->second, false, inner, field);
            else
                plain(item, inner);
        }
        json_text::close(out, ']', layout, first);
    };
    write_ordered_map(out, doc, top_level_order(kind), true, Layout{indent, depth}, nested);
    return out;
}

Record::Record(RecordKind kind, Node doc, std::string display_path, std::string original_text)
    : kind_(kind), doc_(std::move(doc)), display_(std::move(display_path)),
      original_(std::move(original_text)) {}

Record Record::load(RecordKind kind, const std::filesystem::path& file, const std::string& display,
                    const std::optional<FileStamp>& passed_at) {
    constexpr std::size_t limit = max_file_bytes;
    if (!passed_at)
        return from_text(kind, read_text_file(file, limit, display, Links::refuse),
                         file.filename().string(), display);
    auto [text, stamp] = read_stamped_text_file(file, limit, display, Links::refuse);
    return from_text(kind, std::move(text), file.filename().string(), display,
                     stamp && *stamp == *passed_at ? Schema::passed : Schema::check);
}

Record Record::from_text(RecordKind kind, std::string text, const std::string& file_name,
                         const std::string& display, Schema schema) {
    Node doc = parse_yaml(text, display);
    if (!doc.is_map())
        throw InvalidDataError({Diagnostic{display, 1, 1, "",
                                           text.empty() ? tr("record file is empty")
                                                        : tr("record is not a YAML map")}});
    if (schema == Schema::check) {
        validate_against_schema(doc, std::string(kind_info(kind).schema), display);
        check_times(doc, display, "");
    }
    Record record(kind, std::move(doc), display, std::move(text));
    std::string expected = std::filesystem::path(file_name).stem().string();
    if (record.id() != expected) {
        const Node* id = record.doc_.find("id");
        throw InvalidDataError(
            {Diagnostic{display, id->line(), id->column(), "/id",
                        tr("id '{}' does not match the file name '{}'", record.id(), file_name)}});
    }
    for (const auto& event : record.events().items()) {
        if (!parse_rfc3339(*event.get("at"))) {
            const Node* at = event.find("at");
            throw InvalidDataError({Diagnostic{display, at->line(), at->column(), "",
                                               tr("event time is not a valid date")}});
        }
    }
    return record;
}

std::string Record::id() const {
    return doc_.get("id").value_or("");
}
std::string Record::status() const {
    return doc_.get("status").value_or("");
}
std::string Record::field(std::string_view key) const {
    return doc_.get(key).value_or("");
}

const Node& Record::events() const {
    static const Node empty = Node::sequence();
    const Node* e = doc_.find("events");
    return e && e->is_sequence() ? *e : empty;
}

Timestamp Record::last_event_time() const {
    Timestamp last = Timestamp::min();
    for (const auto& e : events().items())
        if (auto t = parse_rfc3339(e.get("at").value_or(""))) last = std::max(last, *t);
    return last;
}

void Record::append_event(Node event) {
    Node* events = doc_.find("events");
    if (!events || !events->is_sequence()) events = &doc_.set("events", Node::sequence());
    events->push_back(std::move(event));
}

std::string Record::render() const {
    Node copy = doc_;
    canonicalize(copy, kind_);
    validate_against_schema(copy, std::string(kind_info(kind_).schema), display_);
    return emit_yaml(copy);
}

void Record::check_rewritable() const {
    if (original_.empty()) return;
    // A file that is already canonical has no comments. Otherwise a comment shows as a
    // line with `#` that the canonical text of the same content does not have.
    Node as_read = parse_yaml(original_, display_);
    canonicalize(as_read, kind_);
    std::string canonical = emit_yaml(as_read);
    if (canonical == original_) return;
    std::set<std::string> canonical_lines;
    std::istringstream cs(canonical);
    for (std::string line; std::getline(cs, line);)
        canonical_lines.insert(line);
    std::istringstream os(original_);
    int number = 0;
    for (std::string line; std::getline(os, line);) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto hash = line.find('#');
        bool looks_like_comment = hash != std::string::npos &&
                                  (line.find_first_not_of(" \t") == hash ||
                                   (hash > 0 && (line[hash - 1] == ' ' || line[hash - 1] == '\t')));
        if (looks_like_comment && !canonical_lines.contains(line))
            throw RefusedError(tr("{}:{}: has a hand-written comment ({}) that opsflow "
                                  "cannot keep when it rewrites the "
                                  "record; move the text into a note (opsflow {} note {} "
                                  "TEXT) or delete the comment, "
                                  "then run the command again",
                                  display_, number, line.substr(hash, 60), kind_info(kind_).command,
                                  id()));
    }
}

} // namespace opsflow
