// The query index brought up to date with the store: see index_refresh.hpp.
#include "store/index_refresh.hpp"

#include "base/fingerprint.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/parallel.hpp"
#include "store/fsmonitor.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace opsflow::index_file {

namespace fs = std::filesystem;

namespace {

std::string fingerprint(const Store& store) {
    std::string settings;
    try {
        settings = read_text_file(store.root() / "opsflow.yaml");
    } catch (const Error&) {
    }
    // With the binary: facts in the index vouch that their record passed its schema.
    return cache_fingerprint({settings});
}

fs::path index_root(const Store& store) {
    return store.root() / ".opsflow" / "index";
}

// Reads the records whose facts are not known, on every core when there are
// many (the first run, or after a large pull).
void parse_changed(const Store& store, std::vector<DirBlock>& blocks, StoreFacts& out) {
    struct Work {
        Entry* entry;
        RecordKind kind;
        fs::path file;
        std::string facts;
    };
    std::vector<Work> work;
    for (auto& block : blocks)
        for (auto& entry : block.entries)
            if (entry.facts.empty()) {
                block.changed = true;
                work.push_back({&entry, block.kind, store.root() / block.path / entry.name, {}});
            }
    unsigned threads = worker_count(work.size(), 200);
    std::size_t chunk = (work.size() + threads - 1) / threads;
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t k = t * chunk; k < std::min(work.size(), (t + 1) * chunk); ++k) {
            try {
                work[k].facts = facts_of(store, work[k].kind, work[k].file);
            } catch (const Error& e) {
                work[k].facts = unreadable_facts(e.what());
            }
        }
    });
    for (auto& w : work)
        w.entry->facts = out.keep(std::move(w.facts));
}

// The oldest monitor clock the index files were read at, of the instance the
// first of them names: what changed since then covers every directory read at a
// clock of that instance (the others are read again anyway).
std::optional<MonitorClock> oldest_clock(const std::vector<DirIndex>& indexed) {
    std::optional<MonitorClock> oldest;
    for (const auto& index : indexed) {
        if (!index.block) continue;
        auto clock = MonitorClock::parse(index.block->monitor_clock);
        if (!clock) continue;
        if (!oldest)
            oldest = clock;
        else if (clock->instance == oldest->instance && clock->tick < oldest->tick)
            oldest = clock;
    }
    return oldest;
}

} // namespace

FreshIndex refresh_index(const Store& store, const std::vector<RecordKind>& kinds,
                         StoreFacts& out) {
    FreshIndex fresh;
    int root_fd = ::open(store.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        throw RuntimeError(
            tr("{}: cannot open the store: {}", store.root().string(), std::strerror(errno)));
    FdCloser root_closer{root_fd};
    fresh.months = month_directories(root_fd, kinds);
    fresh.settings = fingerprint(store);
    fresh.index_dir = index_root(store);
    const auto& months = fresh.months;
    auto& indexed = fresh.indexed;

    // Each directory's index file, read and parsed.
    indexed.resize(months.size());
    auto read_index = [&](std::size_t m) {
        auto& index = indexed[m];
        index.text =
            std::make_shared<const MappedText>(fresh.index_dir / months[m].path, IfMissing::empty);
        index.block = parse_index_file(index.text->text(),
                                       header_of(fresh.settings, months[m].kind, months[m].path),
                                       months[m].kind, months[m].path);
    };
    const unsigned threads = worker_count(months.size(), 2);

    // Ask the monitor, if there is one, which directories changed since they were
    // read: the clocks they were read at are in their index files, read first.
    const auto monitor = FsMonitor::configured(store);
    std::optional<MonitorChanges> changes;
    if (monitor) {
        run_each(months.size(), threads, [&](std::size_t m, unsigned) { read_index(m); });
        std::vector<std::string> kind_directories;
        for (auto kind : kinds)
            kind_directories.emplace_back(kind_info(kind).directory);
        changes = monitor->changes(kind_directories, oldest_clock(indexed));
    }
    if (changes) fresh.monitor_clock = changes->now.text();

    // Stat the records of every directory the monitor does not vouch for, on
    // every core: like git's preloaded index, the stat calls dominate a warm run.
    // Without a monitor, each directory's index file is read just before its
    // records are stat'ed, so that one core reads while the others stat.
    auto& blocks = fresh.blocks;
    blocks.resize(months.size());
    run_each(months.size(), threads, [&](std::size_t m, unsigned) {
        if (!monitor) read_index(m);
        auto& index = indexed[m];
        auto& block = blocks[m];
        bool unchanged =
            changes && index.block && fully_stamped(*index.block) &&
            !changes->changed_since(
                months[m].path,
                MonitorClock::parse(index.block->monitor_clock).value_or(MonitorClock{}));
        if (unchanged) {
            block = *index.block;
            return;
        }
        block = scan_directory(root_fd, months[m], index.block ? &*index.block : nullptr,
                               index.listed_names);
        // A directory the monitor named is written again with its new clock,
        // even if nothing in it differs, so that it is not named again.
        block.changed = changes || !index.block || index.block->stamp != block.stamp ||
                        index.block->entries.size() != block.entries.size();
    });
    for (const auto& index : indexed)
        out.text.push_back(index.text);

    // Directories and files in path order: evidence lists do not depend on the
    // directory order or the threads.
    parse_changed(store, blocks, out);
    return fresh;
}

void save_index(const FreshIndex& fresh) {
    const auto& blocks = fresh.blocks;
    if (std::none_of(blocks.begin(), blocks.end(), [](const DirBlock& b) { return b.changed; }))
        return;
    // Version 4 was one file at this path; nothing under it could be read, so every
    // directory changed and is written now.
    std::error_code ignored;
    if (fs::is_regular_file(fresh.index_dir, ignored)) fs::remove(fresh.index_dir, ignored);
    for (std::size_t m = 0; m < blocks.size(); ++m) {
        if (!blocks[m].changed) continue;
        try {
            fs::path file = fresh.index_dir / fresh.months[m].path;
            fs::create_directories(file.parent_path());
            write_file_atomic(
                file,
                index_file_text(header_of(fresh.settings, blocks[m].kind, blocks[m].path),
                                blocks[m], fresh.monitor_clock),
                Durability::cache);
        } catch (const std::exception&) {
        }
    }
}

} // namespace opsflow::index_file
