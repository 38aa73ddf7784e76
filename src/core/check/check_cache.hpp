#pragma once
// What `check` found in each record, remembered in .opsflow/check-cache so that a
// record unchanged since it was last checked under the same settings and the same
// opsflow is not read again (core-internal). Like the query index it is a cache:
// local, never versioned, rebuilt when missing or damaged. The messages are in the
// operator's language: a language other than English has its own file (check-cache.zh-CN).
#include "opsflow/base/files.hpp"
#include "opsflow/check/check_finding.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsflow {

// A link of a record to another, where it stands in the file; `back` is the other
// record's field that must name this one (empty: none).
struct LinkRef {
    std::string target;
    int line = 1;
    int column = 1;
    std::string pointer; // /links/0
    std::string back;
};

// What checking one record on its own gives; the checks across records (duplicate
// IDs, links) are made from `id` and `links` on every run.
struct RecordVerdict {
    bool read = false; // false: the file is not there
    std::vector<CheckFinding> findings;
    std::string id; // empty when the record could not be read
    int id_line = 1;
    int id_column = 1;
    std::vector<LinkRef> links;
};

class CheckCache {
  public:
    // Loads `file` if it was written under `fingerprint`; otherwise starts empty.
    CheckCache(std::filesystem::path file, std::string fingerprint);

    // For each of `paths` (sorted), the verdict kept for it if its content is
    // still the one its identity names. One pass over both sorted lists.
    std::vector<std::optional<RecordVerdict>>
    find(const std::vector<const std::string*>& paths,
         const std::vector<std::string>& identities) const;

    // Writes the verdicts of `paths` (sorted), keeping those of other paths unless
    // `complete` says that `paths` are all the records there are. A cache that
    // cannot be written is simply not kept.
    void save(const std::vector<const std::string*>& paths,
              const std::vector<std::string>& identities,
              const std::vector<RecordVerdict>& verdicts, bool complete) const;

  private:
    struct Stored {
        std::string_view path;
        std::string_view identity;
        std::string_view line; // the whole line, decoded when used
    };
    std::filesystem::path file_;
    std::string fingerprint_;
    std::unique_ptr<const MappedText> mapped_; // the file as it was loaded
    std::vector<Stored> stored_;               // sorted by path
};

} // namespace opsflow
