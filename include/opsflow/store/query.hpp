#pragma once
// Reading the facts of every record for reports and lists, through the local
// query index in .opsflow/ (never versioned, never the source of truth).
#include "opsflow/record/facts.hpp"
#include "opsflow/store/store.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace opsflow {

// Facts of every incident, ticket and maintenance window. Records whose file is
// unchanged since the index was written (path, size, mtime, inode) come from the
// index; the others are parsed, in parallel when there are many. A missing,
// corrupt or foreign index is rebuilt. Unreadable records land in `problems`.
// `scope` (opsflow/facts.hpp) may leave out, undecoded, what the command does not need.
StoreFacts load_facts(const Store& store,
                      const std::vector<RecordKind>& kinds = {RecordKind::incident,
                                                              RecordKind::ticket,
                                                              RecordKind::maintenance},
                      const FactsScope& scope = FactsScope::all);

// Every record file of `kind` (Store::record_files), each with the stamp at which
// it passed its schema when the query index knows it: reading them all costs the
// parse, not the schema.
std::vector<Store::RecordFile> indexed_record_files(const Store& store, RecordKind kind);

// The record files the query index knows (regular files only: a FIFO or a symbolic link
// is left to the readers that report it), visited without making a list of them: the
// index of `kinds` is brought up to date once, then each visit walks it again
// (directory, file name, the stamp at which it passed its schema or none). What a
// caller that mostly needs to know whether anything changed (the search index) reads.
class IndexedFiles {
  public:
    IndexedFiles(const Store& store, const std::vector<RecordKind>& kinds);
    ~IndexedFiles();
    IndexedFiles(const IndexedFiles&) = delete;
    IndexedFiles& operator=(const IndexedFiles&) = delete;
    using Visit = std::function<void(RecordKind kind, std::string_view directory,
                                     std::string_view name, const std::optional<FileStamp>&)>;
    void for_each(const Visit& visit) const;

  private:
    struct Fresh;
    std::unique_ptr<Fresh> fresh_;
};

// The file whose facts these are, with the stamp at which it passed its schema: what
// a list reads once the index has chosen the records it shows.
Store::RecordFile record_file_of(const Store& store, std::string_view id, const IndexedFile& file);

// The records of `chosen` (facts from load_facts), read on every core a slice at a
// time, in the order of `chosen`. Unreadable records go to `problems`.
template <class Facts>
std::vector<Record> load_chosen(const Store& store, RecordKind kind,
                                const std::vector<const Facts*>& chosen,
                                std::vector<std::string>& problems) {
    std::vector<Store::RecordFile> files;
    files.reserve(chosen.size());
    for (const Facts* facts : chosen)
        files.push_back(record_file_of(store, facts->id, facts->file));
    std::vector<Record> out;
    out.reserve(files.size());
    store.for_each_record(
        kind, files, [&](const Record& r) { out.push_back(r); }, problems);
    return out;
}

// The records of `all` (the facts of one kind) whose status is one of `statuses` (every
// one when empty), read in the order of `all`: what a kind's `list --status` shows.
template <class Facts>
std::vector<Record>
load_with_status(const Store& store, RecordKind kind, const std::vector<Facts>& all,
                 const std::vector<std::string>& statuses, std::vector<std::string>& problems) {
    std::vector<const Facts*> chosen;
    for (const auto& facts : all)
        if (statuses.empty() ||
            std::find(statuses.begin(), statuses.end(), facts.status) != statuses.end())
            chosen.push_back(&facts);
    return load_chosen(store, kind, chosen, problems);
}

} // namespace opsflow
