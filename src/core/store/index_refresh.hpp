#pragma once
// The query index brought up to date with the store (core-internal; its users are
// src/core/store/query.cpp): each month directory's block of record files, the facts of
// those that changed read again, then decoded into StoreFacts and written back.
#include "opsflow/record/facts.hpp"
#include "opsflow/store/store.hpp"
#include "store/index_file.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace opsflow::index_file {

// What one directory's index file held, and the names listed from the directory.
struct DirIndex {
    std::shared_ptr<const MappedText> text;
    std::optional<DirBlock> block;
    std::vector<std::string> listed_names;
};

// The query index of some kinds brought up to date with the store: each directory's
// block, with the facts of the records that changed read again. Views in the blocks
// point into `months`, `indexed` and the StoreFacts given to refresh_index.
struct FreshIndex {
    std::vector<MonthDir> months;
    std::vector<DirIndex> indexed;
    std::vector<DirBlock> blocks;
    std::string settings;      // the fingerprint the index files are written under
    std::string monitor_clock; // the file-system monitor's clock now, if there is one
    std::filesystem::path index_dir;
};

// The index of `kinds` brought up to date: their directories listed and stat'ed on
// every core (or asked of the file-system monitor), and the records whose facts are
// not known read again. The text the blocks point into is kept in `out`.
FreshIndex refresh_index(const Store& store, const std::vector<RecordKind>& kinds, StoreFacts& out);

// Writes back the files of the directories that changed, best effort (a read-only
// store works too). An index file of a directory that is gone is never read again.
void save_index(const FreshIndex& fresh);

// The facts of a record as its index file holds them.
std::string facts_of(const Store& store, RecordKind kind, const std::filesystem::path& file);

// Decodes the facts of every block that are in scope into `out`, in block order, on
// every core, and reports the records that cannot be read. Facts that do not decode
// are read again from their record, never trusted.
void decode_blocks(const Store& store, std::vector<DirBlock>& blocks, const FactsScope& scope,
                   StoreFacts& out);

} // namespace opsflow::index_file
