// The query index's two uses: the facts of records (load_facts), and the record files
// of a kind with the stamps at which they passed their schema (indexed_record_files).
// How the index is kept up to date is in index_refresh.cpp, how it is read in
// index_decode.cpp.
#include "opsflow/store/query.hpp"

#include "store/index_refresh.hpp"

#include <algorithm>
#include <unordered_map>

namespace opsflow {

namespace fs = std::filesystem;
using namespace index_file;

StoreFacts load_facts(const Store& store, const std::vector<RecordKind>& kinds,
                      const FactsScope& scope) {
    StoreFacts out;
    FreshIndex fresh = refresh_index(store, kinds, out);
    decode_blocks(store, fresh.blocks, scope, out);
    save_index(fresh); // after decoding, which reads again what does not decode
    return out;
}

struct IndexedFiles::Fresh {
    StoreFacts owners; // what the blocks' text is kept by
    FreshIndex index;
};

IndexedFiles::IndexedFiles(const Store& store, const std::vector<RecordKind>& kinds)
    : fresh_(std::make_unique<Fresh>()) {
    fresh_->index = refresh_index(store, kinds, fresh_->owners);
    save_index(fresh_->index);
}

IndexedFiles::~IndexedFiles() = default;

// The refreshed index names every record file (a directory that changed was listed
// again), each with the stamp at which it passed its schema: the store is not walked a
// second time (at 100,000 records that walk was a third of a search).
void IndexedFiles::for_each(const Visit& visit) const {
    for (const auto& block : fresh_->index.blocks)
        for (const auto& entry : block.entries)
            visit(block.kind, block.path, entry.name,
                  entry.readable() ? std::optional<FileStamp>(entry.stamp) : std::nullopt);
}

std::vector<Store::RecordFile> indexed_record_files(const Store& store, RecordKind kind) {
    const std::string root = store.root().native() + "/";
    std::vector<Store::RecordFile> files;
    IndexedFiles(store, {kind})
        .for_each([&](RecordKind, std::string_view directory, std::string_view name,
                      const std::optional<FileStamp>& passed_at) {
            files.push_back({root + std::string(directory) + "/" + std::string(name), passed_at});
        });
    std::sort(
        files.begin(), files.end(),
        [](const Store::RecordFile& a, const Store::RecordFile& b) { return a.path < b.path; });
    return files;
}

Store::RecordFile record_file_of(const Store& store, std::string_view id, const IndexedFile& file) {
    return {(store.root() / file.directory / (std::string(id) + ".yaml")).native(), file.stamp};
}

} // namespace opsflow
