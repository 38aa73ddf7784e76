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

namespace {

// Every record file of `kind`, as strings (see Store::RecordFile), sorted.
std::vector<std::string> record_paths(const Store& store, RecordKind kind) {
    std::vector<std::string> paths;
    store.for_each_record_file(kind, "", [&](const fs::path& path) {
        paths.push_back(path.native());
        return true;
    });
    std::sort(paths.begin(), paths.end());
    return paths;
}

// The stamps the index vouches for, found by directory and name: nothing is decoded.
class VouchedStamps {
  public:
    VouchedStamps(const Store& store, const std::vector<DirBlock>& blocks)
        : root_(store.root().native()) {
        for (const auto& block : blocks)
            by_directory_.emplace(block.path, &block);
    }

    // The stamp at which the record file at `file` (absolute) passed its schema, if known.
    std::optional<FileStamp> operator()(std::string_view file) const {
        if (!file.starts_with(root_) || file.size() <= root_.size() + 1 ||
            file[root_.size()] != '/')
            return std::nullopt;
        file.remove_prefix(root_.size() + 1);
        auto slash = file.rfind('/');
        if (slash == std::string_view::npos) return std::nullopt;
        auto block = by_directory_.find(file.substr(0, slash));
        if (block == by_directory_.end()) return std::nullopt;
        std::string_view name = file.substr(slash + 1);
        const auto& entries = block->second->entries;
        auto entry =
            std::lower_bound(entries.begin(), entries.end(), name,
                             [](const Entry& e, std::string_view n) { return e.name < n; });
        if (entry == entries.end() || entry->name != name || !entry->readable())
            return std::nullopt;
        return entry->stamp;
    }

  private:
    const std::string& root_;
    std::unordered_map<std::string_view, const DirBlock*> by_directory_;
};

} // namespace

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

// Listed from the store, not from the index: a file the index leaves out (a FIFO, a
// symbolic link) is still a record file, which the reader then reports.
std::vector<Store::RecordFile> indexed_record_files(const Store& store, RecordKind kind) {
    std::vector<std::string> paths = record_paths(store, kind);
    StoreFacts owners;
    FreshIndex fresh = refresh_index(store, {kind}, owners);
    save_index(fresh);
    const VouchedStamps passed(store, fresh.blocks);
    std::vector<Store::RecordFile> files;
    files.reserve(paths.size());
    for (auto& path : paths) {
        auto stamp = passed(path);
        files.push_back({std::move(path), stamp});
    }
    return files;
}

Store::RecordFile record_file_of(const Store& store, std::string_view id, const IndexedFile& file) {
    return {(store.root() / file.directory / (std::string(id) + ".yaml")).native(), file.stamp};
}

} // namespace opsflow
