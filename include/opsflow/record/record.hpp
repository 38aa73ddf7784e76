#pragma once
// One record file: its YAML content, its canonical text, and the checks that
// keep a rewrite from losing anything a person wrote by hand.
#include "opsflow/base/files.hpp"
#include "opsflow/base/id.hpp"
#include "opsflow/base/time.hpp"
#include "opsflow/base/yaml.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

class Record {
  public:
    Record(RecordKind kind, Node doc, std::string display_path, std::string original_text = {});

    // Whether a record is checked against its kind's schema when it is read, or
    // known to have passed it (its file is unchanged since the query index read it).
    enum class Schema { check, passed };

    // Reads and validates a record file. `display` names it in messages. A file
    // that still has the stamp `passed_at`, at which it passed its schema, is not
    // checked against the schema again (the other checks still run).
    static Record load(RecordKind kind, const std::filesystem::path& file,
                       const std::string& display,
                       const std::optional<FileStamp>& passed_at = std::nullopt);
    // The same for text already read; `file_name` (`INC-3f9a1c2e.yaml`) must match the id.
    static Record from_text(RecordKind kind, std::string text, const std::string& file_name,
                            const std::string& display, Schema schema = Schema::check);

    RecordKind kind() const { return kind_; }
    const Node& doc() const { return doc_; }
    Node& doc() { return doc_; }
    const std::string& display_path() const { return display_; }
    const std::string& original_text() const { return original_; }

    std::string id() const;
    std::string status() const;
    std::string field(std::string_view key) const; // empty if absent

    const Node& events() const;
    Timestamp last_event_time() const;
    void append_event(Node event);

    // The record as the canonical writer emits it: fixed key order, our quoting.
    // Throws InvalidDataError if the content does not satisfy the schema.
    std::string render() const;

    // Throws RefusedError if the file on disk holds comments a rewrite would drop.
    void check_rewritable() const;

  private:
    RecordKind kind_;
    Node doc_;
    std::string display_;
    std::string original_;
};

// Sets a field in the record's current state and in the event that changes it,
// so that replaying the events gives the state.
void set_field(Record& record, Node& event, std::string_view key, Node value);

// Adds `id` to the record's `links`, unless it is there already.
void add_link(Record& record, const std::string& id);

// A field of a record that names other records. `links` may name any record and is
// only a warning when the other is not in the store; a field with a `back` field is
// kept on both records (an incident's `problem` and the problem's `incidents`).
struct LinkField {
    std::optional<RecordKind> kind; // the kind that has the field; nothing: every kind
    std::string_view field;
    std::string_view back; // the other record's field that names this one, if any
};
const std::vector<LinkField>& link_fields();

// Each record a record's link fields name, with where it is named.
struct NamedLink {
    const Node* node;       // the ID in the record
    std::string_view field; // links, problem, incidents...
    std::string pointer;    // /links/2, /problem
    std::string_view back;  // as LinkField::back
};
std::vector<NamedLink> named_links(const Record& record);

// The top-level fields of a kind, in the order of SPEC §3.
const std::vector<std::string_view>& record_fields(RecordKind kind);

// Puts known keys in the order of SPEC §3 (unknown keys after them, as they
// were) and drops known keys whose value is null.
void canonicalize(Node& doc, RecordKind kind);

// A record map as JSON text in canonical order: byte for byte what nlohmann's
// dump(indent) writes for to_ordered_json of the canonicalized record, without
// copying the record or building a JSON value. `indent` < 0: compact; `depth`:
// the nesting level the text starts at (its later lines are indented for it).
std::string canonical_json(const Node& doc, RecordKind kind, int indent = -1, int depth = 0);

} // namespace opsflow
