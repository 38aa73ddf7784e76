#pragma once
// One record file: its YAML content, its canonical text, and the checks that
// keep a rewrite from losing anything a person wrote by hand.
#include "opsflow/id.hpp"
#include "opsflow/time.hpp"
#include "opsflow/yaml.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

class Record {
  public:
    Record(RecordKind kind, Node doc, std::string display_path, std::string original_text = {});

    // Reads and validates a record file. `display` names it in messages.
    static Record load(RecordKind kind, const std::filesystem::path& file,
                       const std::string& display);
    // The same for text already read; `file_name` (`INC-3f9a1c2e.yaml`) must match the id.
    static Record from_text(RecordKind kind, std::string text, const std::string& file_name,
                            const std::string& display);

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

// The top-level fields of a kind, in the order of SPEC §3.
const std::vector<std::string_view>& record_fields(RecordKind kind);

// Puts known keys in the order of SPEC §3 (unknown keys after them, as they
// were) and drops known keys whose value is null.
void canonicalize(Node& doc, RecordKind kind);

} // namespace opsflow
