#include "opsflow/check/merge.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/process.hpp"
#include "opsflow/base/time.hpp"
#include "opsflow/base/yaml.hpp"
#include "opsflow/record/incident_sla.hpp"
#include "opsflow/record/record.hpp"
#include "opsflow/record/workflow.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace opsflow {

namespace {

// The identity of an event or list item: its canonical text.
std::string identity(const Node& node) {
    Node wrapper = Node::map();
    wrapper.set("v", node);
    return emit_yaml(wrapper);
}

const Node* find_or_null(const Node* map, std::string_view key) {
    return map && map->is_map() ? map->find(key) : nullptr;
}

bool same(const Node* a, const Node* b) {
    if (!a || !b) return !a && !b;
    return *a == *b;
}

class Merger {
  public:
    std::vector<std::string> conflicts;

    // Keys in a side-independent order: the base's, then new ones by name.
    static std::vector<std::string> key_order(const Node* base, const Node& a, const Node& b) {
        std::vector<std::string> keys;
        if (base && base->is_map())
            for (const auto& [k, v] : base->entries())
                keys.push_back(k);
        std::set<std::string> added;
        for (const Node* side : {&a, &b})
            for (const auto& [k, v] : side->entries())
                if (std::find(keys.begin(), keys.end(), k) == keys.end()) added.insert(k);
        keys.insert(keys.end(), added.begin(), added.end());
        return keys;
    }

    // Three-way merge of a value; nullptr means absent. `where` names it in conflicts.
    std::optional<Node> merge_value(const Node* base, const Node* a, const Node* b,
                                    const std::string& where, bool& conflict) {
        if (same(a, b)) return a ? std::optional<Node>(*a) : std::nullopt;
        if (same(base, a)) return b ? std::optional<Node>(*b) : std::nullopt;
        if (same(base, b)) return a ? std::optional<Node>(*a) : std::nullopt;
        if (a && b && a->is_map() && b->is_map()) return merge_map(base, *a, *b, where, conflict);
        if (a && b && a->is_sequence() && b->is_sequence()) return merge_list(base, *a, *b);
        conflict = true;
        conflicts.push_back(tr("{}: changed on both sides ({} / {})", where,
                               a && a->is_scalar() ? a->text() : "…",
                               b && b->is_scalar() ? b->text() : "…"));
        return a ? std::optional<Node>(*a) : std::nullopt;
    }

    Node merge_map(const Node* base, const Node& a, const Node& b, const std::string& where,
                   bool& conflict) {
        Node out = Node::map();
        for (const auto& key : key_order(base, a, b)) {
            auto v = merge_value(find_or_null(base, key), a.find(key), b.find(key),
                                 where + "." + key, conflict);
            if (v) out.set(key, std::move(*v));
        }
        return out;
    }

    // Items kept by both sides, then the items either side added, by identity.
    static Node merge_list(const Node* base, const Node& a, const Node& b) {
        std::set<std::string> in_a, in_b, in_base;
        for (const auto& i : a.items())
            in_a.insert(identity(i));
        for (const auto& i : b.items())
            in_b.insert(identity(i));
        if (base && base->is_sequence())
            for (const auto& i : base->items())
                in_base.insert(identity(i));
        Node out = Node::sequence();
        std::set<std::string> taken;
        if (base && base->is_sequence())
            for (const auto& i : base->items()) {
                auto id = identity(i);
                if (in_a.contains(id) && in_b.contains(id) && taken.insert(id).second)
                    out.push_back(i);
            }
        std::vector<std::pair<std::string, const Node*>> added;
        for (const Node* side : {&a, &b})
            for (const auto& i : side->items()) {
                auto id = identity(i);
                if (!in_base.contains(id) && !taken.contains(id)) {
                    taken.insert(id);
                    added.emplace_back(id, &i);
                }
            }
        std::sort(added.begin(), added.end(),
                  [](const auto& x, const auto& y) { return x.first < y.first; });
        for (const auto& [id, item] : added)
            out.push_back(*item);
        return out;
    }

    // The base's events, then the events each side appended, merged by time; events
    // at the same time from different sides go in the order of their text, and
    // each side's own order is kept.
    static Node merge_events(const Node* base, const Node& a, const Node& b) {
        std::set<std::string> seen;
        Node out = Node::sequence();
        if (base)
            for (const auto& e : base->items())
                if (seen.insert(identity(e)).second) out.push_back(e);
        auto appended = [&](const Node& side) {
            std::vector<std::pair<std::string, const Node*>> items;
            for (const auto& e : side.items()) {
                auto id = identity(e);
                if (!seen.contains(id)) items.emplace_back(id, &e);
            }
            return items;
        };
        auto xs = appended(a), ys = appended(b);
        auto time_of = [](const Node* e) {
            return parse_rfc3339(e->get("at").value_or("")).value_or(Timestamp::min());
        };
        std::size_t i = 0, j = 0;
        auto take = [&](const std::pair<std::string, const Node*>& item) {
            if (seen.insert(item.first).second) out.push_back(*item.second);
        };
        while (i < xs.size() || j < ys.size()) {
            if (j == ys.size()) {
                take(xs[i++]);
            } else if (i == xs.size()) {
                take(ys[j++]);
            } else {
                auto tx = time_of(xs[i].second), ty = time_of(ys[j].second);
                bool x_first = tx != ty ? tx < ty : xs[i].first <= ys[j].first;
                take(x_first ? xs[i++] : ys[j++]);
            }
        }
        return out;
    }
};

Node parse_side(const std::string& text, const std::string& label, RecordKind kind) {
    if (text.empty()) return Node::map();
    Node doc = parse_yaml(text, label);
    if (!doc.is_map())
        throw InvalidDataError({Diagnostic{label, 1, 1, "", tr("record is not a YAML map")}});
    // Events are merged in time order: a side whose event times are not times, or
    // not in order, could be merged one way in one direction and another in the
    // other (found by tests/fuzz/fuzz_merge). Such a record is not one `check`
    // passes: it is merged as text.
    if (const Node* events = doc.find("events"))
        for (const auto& problem : check_event_times(*events)) {
            const Node& event = events->items()[problem.event];
            const Node* at = event.is_map() ? event.find("at") : nullptr;
            throw InvalidDataError({Diagnostic{label, (at ? at : &event)->line(),
                                               (at ? at : &event)->column(), "", problem.message}});
        }
    Record(kind, doc, label, text).check_rewritable();
    return doc;
}

// The fields a kind derives from its other fields and its events, which a merge
// sets afresh rather than merging (when it has the settings to).
bool is_derived(RecordKind kind, std::string_view key) {
    return kind == RecordKind::incident && (key == "priority" || key == "sla");
}

// Sets an incident's priority and deadlines afresh from the merged record. When the
// priority is not the one its events last gave (impact raised on one side, urgency
// on the other), an event of the merge says so, at the time of the last merged
// event: the history still tells how the record came to be as it is.
void rederive_incident(Record& record, const Settings& settings) {
    const std::string priority = derived_priority(record, settings);
    auto said = replayed_fields(record);
    auto last = said.find("priority");
    const auto& events = record.events().items();
    if (!events.empty() && (last == said.end() || !last->second.value->is_scalar() ||
                            last->second.value->text() != priority)) {
        Node event = Node::map();
        event.set("at", Node::string(events.back().get("at").value_or("")));
        event.set("by", Node::string("opsflow merge-driver"));
        event.set("action", Node::string("merge"));
        event.set("priority", Node::string(priority));
        record.append_event(std::move(event));
    }
    record.doc().set("priority", Node::string(priority));
    refresh_sla_deadlines(record, settings);
}

// A merged history the workflow could not have produced (a fix on one side, an
// assignment after it on the other), or that does not end in the merged status,
// is a conflict: it is shown on `status`, the field the workflow governs.
void check_merged_history(const Record& merged, Merger& merger, const Node& ours,
                          const Node& theirs, MergeOutcome& outcome,
                          std::vector<std::pair<std::string, std::pair<Node, Node>>>& conflicted) {
    Replay replay = replay_workflow(merged);
    for (const auto& problem : replay.problems)
        merger.conflicts.push_back(tr("events: {}", problem.message));
    if (replay.problems.empty() && replay.status != merged.status())
        merger.conflicts.push_back(
            tr("status: '{}', but the merged events end in '{}'", merged.status(), replay.status));
    if (merger.conflicts.empty()) return;
    auto status_of = [](const Node& side) {
        const Node* s = side.find("status");
        return s ? *s : Node::null();
    };
    conflicted.emplace_back("status", std::pair{status_of(ours), status_of(theirs)});
    outcome.conflicts = merger.conflicts;
}

} // namespace

MergeOutcome merge_record(RecordKind kind, const std::string& base_text,
                          const std::string& ours_text, const std::string& theirs_text,
                          const std::string& path, int marker_size, const Settings* settings) {
    Node base = parse_side(base_text, path + " (base)", kind);
    Node ours = parse_side(ours_text, path + " (ours)", kind);
    Node theirs = parse_side(theirs_text, path + " (theirs)", kind);

    Merger merger;
    Node merged = Node::map();
    std::vector<std::pair<std::string, std::pair<Node, Node>>> conflicted; // key -> ours, theirs
    for (const auto& key : Merger::key_order(&base, ours, theirs)) {
        const Node *o = base.find(key), *a = ours.find(key), *b = theirs.find(key);
        if (key == "events") {
            merged.set(
                key, Merger::merge_events(o, a ? *a : Node::sequence(), b ? *b : Node::sequence()));
            continue;
        }
        bool conflict = false;
        std::size_t reported = merger.conflicts.size();
        auto value = merger.merge_value(o, a, b, key, conflict);
        if (conflict && settings && is_derived(kind, key)) {
            // Set afresh below; what cannot be derived (a deadline while on hold) keeps
            // the base's value, whichever side is ours.
            merger.conflicts.resize(reported);
            conflict = false;
            value = o ? std::optional<Node>(*o) : std::nullopt;
        }
        if (conflict)
            conflicted.emplace_back(key, std::pair{a ? *a : Node::null(), b ? *b : Node::null()});
        if (value) merged.set(key, std::move(*value));
    }

    MergeOutcome outcome;
    outcome.conflicts = merger.conflicts;
    Record record(kind, merged, path);
    if (outcome.clean()) check_merged_history(record, merger, ours, theirs, outcome, conflicted);
    if (outcome.clean()) {
        if (settings && kind == RecordKind::incident) {
            try {
                rederive_incident(record, *settings);
            } catch (const InvalidDataError& e) {
                outcome.conflicts.push_back(tr("priority: {}", e.what()));
            }
        }
        if (outcome.clean()) {
            outcome.text = record.render(); // validates the merged record
            return outcome;
        }
    }
    merged = record.doc();
    // Conflicts: each conflicting top-level field is shown both ways between
    // git's markers, in the place the field has in the record.
    canonicalize(merged, kind);
    std::string markers(static_cast<std::size_t>(std::max(7, marker_size)), '<');
    std::string middle(markers.size(), '=');
    std::string closing(markers.size(), '>');
    for (const auto& entry : merged.entries()) {
        const auto& [key, value] = entry;
        Node one = Node::map();
        // (clang 14 cannot capture a structured binding: the lambda names entry.first.)
        auto c = std::find_if(conflicted.begin(), conflicted.end(),
                              [&](const auto& other) { return other.first == entry.first; });
        if (c == conflicted.end()) {
            one.set(key, value);
            outcome.text += emit_yaml(one);
            continue;
        }
        Node mine = Node::map(), other = Node::map();
        mine.set(key, c->second.first);
        other.set(key, c->second.second);
        outcome.text += fmt::format("{} ours\n{}{}\n{}{} theirs\n", markers, emit_yaml(mine),
                                    middle, emit_yaml(other), closing);
    }
    return outcome;
}

std::optional<Settings> settings_for_merge(const std::string& path) {
    // A record lives at <kind>/<year>/<month>/<id>.yaml below the store's root.
    std::filesystem::path root = std::filesystem::path(path).parent_path();
    for (int up = 0; up < 3; ++up)
        root = root.parent_path();
    try {
        return load_settings(root / "opsflow.yaml");
    } catch (const Error&) {
        return std::nullopt;
    }
}

namespace {

// What git would have done without the driver.
bool text_merge(const std::filesystem::path& base, const std::filesystem::path& ours,
                const std::filesystem::path& theirs, int marker_size) {
    auto r = run_process({"git", "merge-file", fmt::format("--marker-size={}", marker_size), "-L",
                          "ours", "-L", "base", "-L", "theirs", "--", ours.string(), base.string(),
                          theirs.string()});
    if (r.exit_code < 0) throw RuntimeError(tr("git merge-file could not run: {}", r.err));
    return r.exit_code == 0;
}

} // namespace

FileMerge merge_files(const std::filesystem::path& base, const std::filesystem::path& ours,
                      const std::filesystem::path& theirs, const std::string& path, int marker_size,
                      const Settings* settings) {
    FileMerge result;
    std::string stem = std::filesystem::path(path.empty() ? ours.string() : path).stem();
    auto kind = kind_from_prefix(stem.substr(0, stem.find('-')));
    std::string base_text, ours_text, theirs_text;
    try {
        base_text = read_text_file(base, max_file_bytes, "%O");
        ours_text = read_text_file(ours, max_file_bytes, "%A");
        theirs_text = read_text_file(theirs, max_file_bytes, "%B");
    } catch (const Error& e) {
        result.why_text = e.what();
        kind.reset();
    }
    if (kind) {
        try {
            auto outcome =
                merge_record(*kind, base_text, ours_text, theirs_text, path, marker_size, settings);
            write_file_atomic(ours, outcome.text);
            result.conflicts = outcome.conflicts;
            return result;
        } catch (const Error& e) {
            result.why_text = e.what();
        }
    } else if (result.why_text.empty()) {
        result.why_text = tr("not a record");
    }
    result.as_text = true;
    if (!text_merge(base, ours, theirs, marker_size))
        result.conflicts.push_back(tr("conflicting lines (merged as text)"));
    return result;
}

} // namespace opsflow
