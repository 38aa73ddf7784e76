#include "opsflow/query.hpp"

#include "fingerprint.hpp"
#include "fsmonitor.hpp"
#include "index_codec.hpp"
#include "index_file.hpp"
#include "opsflow/error.hpp"
#include "opsflow/files.hpp"
#include "opsflow/i18n.hpp"
#include "opsflow/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <sys/mman.h>
#include <unistd.h>
#include <unordered_map>

namespace opsflow {

namespace fs = std::filesystem;
using namespace index_file;

namespace {

std::string fingerprint(const Store &store) {
  std::string settings;
  try {
    settings = read_text_file(store.root() / "opsflow.yaml");
  } catch (const Error &) {
  }
  // With the binary: facts in the index vouch that their record passed its
  // schema.
  return cache_fingerprint({settings});
}

fs::path index_root(const Store &store) {
  return store.root() / ".opsflow" / "index";
}

// The facts of a record as its index file holds them.
std::string facts_of(const Store &store, RecordKind kind,
                     const fs::path &file) {
  Record r = store.load(kind, file);
  switch (kind) {
  case RecordKind::incident:
    return index_codec::serialize(incident_facts(r, store.settings()));
  case RecordKind::ticket:
    return index_codec::serialize(ticket_facts(r));
  case RecordKind::maintenance:
    return index_codec::serialize(maintenance_facts(r));
  case RecordKind::improvement:
    return index_codec::serialize(improvement_facts(r));
  }
  throw std::logic_error("a record kind without facts");
}

// Reads the records whose facts are not known, on every core when there are
// many (the first run, or after a large pull).
void parse_changed(const Store &store, std::vector<DirBlock> &blocks,
                   StoreFacts &out) {
  struct Work {
    Entry *entry;
    RecordKind kind;
    fs::path file;
    std::string facts;
  };
  std::vector<Work> work;
  for (auto &block : blocks)
    for (auto &entry : block.entries)
      if (entry.facts.empty()) {
        block.changed = true;
        work.push_back(
            {&entry, block.kind, store.root() / block.path / entry.name, {}});
      }
  unsigned threads = worker_count(work.size(), 200);
  std::size_t chunk = (work.size() + threads - 1) / threads;
  run_on_threads(threads, [&](unsigned t) {
    for (std::size_t k = t * chunk; k < std::min(work.size(), (t + 1) * chunk);
         ++k) {
      try {
        work[k].facts = facts_of(store, work[k].kind, work[k].file);
      } catch (const Error &e) {
        work[k].facts = unreadable_facts(e.what());
      }
    }
  });
  for (auto &w : work)
    w.entry->facts = out.keep(std::move(w.facts));
}

// Resizes `v` to `n` elements. Tens of megabytes of facts would otherwise
// take one page fault per 4 KiB on one core as they are first written: the
// pages are populated up front, on every core (a hint: kernels before 5.14
// ignore it).
template <class T> void sized_for_writing(std::vector<T> &v, std::size_t n) {
  v.reserve(n);
#ifdef MADV_POPULATE_WRITE
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  auto begin =
      (reinterpret_cast<std::uintptr_t>(v.data()) + page - 1) & ~(page - 1);
  auto end = (reinterpret_cast<std::uintptr_t>(v.data() + n)) & ~(page - 1);
  if (end > begin + (std::uintptr_t{4} << 20)) {
    unsigned threads = worker_count(n, 0);
    auto share = ((end - begin) / threads + page - 1) & ~(page - 1);
    run_on_threads(threads, [&](unsigned t) {
      auto from = begin + t * share;
      if (from < end)
        ::madvise(reinterpret_cast<void *>(from), std::min(share, end - from),
                  MADV_POPULATE_WRITE);
    });
  }
#endif
  v.resize(n);
}

// Decodes the facts of every block that are in scope into `out`, in block
// order, on every core, and reports the records that cannot be read. Facts that
// do not decode are read again from their record, never trusted.
void decode_blocks(const Store &store, std::vector<DirBlock> &blocks,
                   const FactsScope &scope, StoreFacts &out) {
  // Each kind's facts go to their own list of `out`.
  auto slot = [](RecordKind kind) { return static_cast<std::size_t>(kind); };
  // Which entries are wanted, told and counted first, on every core, so that
  // each list is made at its final size and each block's facts have their place
  // in it (and the scope, which may split a line, is asked once).
  const unsigned threads = worker_count(blocks.size(), 2);
  std::vector<std::vector<bool>> wanted(blocks.size());
  std::vector<std::size_t> wanted_in(blocks.size());
  run_each(blocks.size(), threads, [&](std::size_t b, unsigned) {
    for (const auto &entry : blocks[b].entries)
      wanted[b].push_back(
          entry.readable() &&
          index_codec::in_scope(scope, blocks[b].kind, entry.facts));
    wanted_in[b] = static_cast<std::size_t>(
        std::count(wanted[b].begin(), wanted[b].end(), true));
  });
  std::array<std::size_t, 4> count{};
  std::vector<std::size_t> first(blocks.size());
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    first[b] = count[slot(blocks[b].kind)];
    count[slot(blocks[b].kind)] += wanted_in[b];
  }
  sized_for_writing(out.incidents, count[slot(RecordKind::incident)]);
  sized_for_writing(out.tickets, count[slot(RecordKind::ticket)]);
  sized_for_writing(out.maintenance, count[slot(RecordKind::maintenance)]);
  sized_for_writing(out.improvements, count[slot(RecordKind::improvement)]);

  // Each record's directory, kept with the facts: a command that reads some of
  // the records afterwards finds their files without listing the store again.
  std::vector<std::string_view> directories(blocks.size());
  for (std::size_t b = 0; b < blocks.size(); ++b)
    directories[b] = out.keep(std::string(blocks[b].path));

  std::atomic<bool> left_out = false;
  std::vector<StoreFacts> scratch(threads); // what each thread must keep
  std::vector<std::vector<std::string>> problems(blocks.size());
  run_each(blocks.size(), threads, [&](std::size_t b, unsigned t) {
    auto &block = blocks[b];
    std::size_t k =
        first[b]; // the place of the block's next facts in its kind's list
    for (std::size_t place = 0; place < block.entries.size(); ++place) {
      auto &entry = block.entries[place];
      if (!entry.readable()) {
        problems[b].push_back(entry.problem());
        continue;
      }
      if (!wanted[b][place])
        continue;
      auto decode = [&] {
        using namespace index_codec;
        IndexedFile file{directories[b], entry.stamp};
        switch (block.kind) {
        case RecordKind::incident:
          read_incident(entry.facts, scratch[t], out.incidents[k]);
          out.incidents[k].file = file;
          break;
        case RecordKind::ticket:
          read_ticket(entry.facts, scratch[t], out.tickets[k]);
          out.tickets[k].file = file;
          break;
        case RecordKind::maintenance:
          read_maintenance(entry.facts, scratch[t], out.maintenance[k]);
          out.maintenance[k].file = file;
          break;
        case RecordKind::improvement:
          read_improvement(entry.facts, scratch[t], out.improvements[k]);
          out.improvements[k].file = file;
          break;
        }
      };
      try {
        decode();
      } catch (const std::exception &) {
        // Read again from the record, whose facts may no longer be in scope
        // or readable: its place then stays empty, and goes below.
        block.changed = true;
        left_out = true;
        switch (block.kind) { // what the failed attempt left
        case RecordKind::incident:
          out.incidents[k] = {};
          break;
        case RecordKind::ticket:
          out.tickets[k] = {};
          break;
        case RecordKind::maintenance:
          out.maintenance[k] = {};
          break;
        case RecordKind::improvement:
          out.improvements[k] = {};
          break;
        }
        try {
          entry.facts = scratch[t].keep(facts_of(
              store, block.kind, store.root() / block.path / entry.name));
          if (index_codec::in_scope(scope, block.kind, entry.facts))
            decode();
        } catch (const Error &e) {
          entry.facts = scratch[t].keep(unreadable_facts(e.what()));
          problems[b].push_back(e.what());
        }
      }
      ++k;
    }
  });
  for (auto &s : scratch)
    std::move(s.text.begin(), s.text.end(), std::back_inserter(out.text));
  for (auto &p : problems)
    std::move(p.begin(), p.end(), std::back_inserter(out.problems));
  if (left_out) {
    std::erase_if(out.incidents, [](const auto &f) { return f.id.empty(); });
    std::erase_if(out.tickets, [](const auto &f) { return f.id.empty(); });
    std::erase_if(out.maintenance, [](const auto &f) { return f.id.empty(); });
    std::erase_if(out.improvements, [](const auto &f) { return f.id.empty(); });
  }
}

// What one directory's index file held, and the names listed from the
// directory.
struct DirIndex {
  std::shared_ptr<const MappedText> text;
  std::optional<DirBlock> block;
  std::vector<std::string> listed_names;
};

// The oldest monitor clock the index files were read at, of the instance the
// first of them names: what changed since then covers every directory read at a
// clock of that instance (the others are read again anyway).
std::optional<MonitorClock> oldest_clock(const std::vector<DirIndex> &indexed) {
  std::optional<MonitorClock> oldest;
  for (const auto &index : indexed) {
    if (!index.block)
      continue;
    auto clock = MonitorClock::parse(index.block->monitor_clock);
    if (!clock)
      continue;
    if (!oldest)
      oldest = clock;
    else if (clock->instance == oldest->instance && clock->tick < oldest->tick)
      oldest = clock;
  }
  return oldest;
}

} // namespace

namespace {

// The query index of some kinds brought up to date with the store: each
// directory's block, with the facts of the records that changed read again.
// Views in the blocks point into `months`, `indexed` and the StoreFacts given
// to refresh_index.
struct FreshIndex {
  std::vector<MonthDir> months;
  std::vector<DirIndex> indexed;
  std::vector<DirBlock> blocks;
  std::string settings; // the fingerprint the index files are written under
  std::string
      monitor_clock; // the file-system monitor's clock now, if there is one
  fs::path index_dir;
};

FreshIndex refresh_index(const Store &store,
                         const std::vector<RecordKind> &kinds,
                         StoreFacts &out) {
  FreshIndex fresh;
  int root_fd =
      ::open(store.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    throw RuntimeError(tr("{}: cannot open the store: {}",
                          store.root().string(), std::strerror(errno)));
  FdCloser root_closer{root_fd};
  fresh.months = month_directories(root_fd, kinds);
  fresh.settings = fingerprint(store);
  fresh.index_dir = index_root(store);
  const auto &months = fresh.months;
  auto &indexed = fresh.indexed;

  // Each directory's index file, read and parsed.
  indexed.resize(months.size());
  auto read_index = [&](std::size_t m) {
    auto &index = indexed[m];
    index.text =
        std::make_shared<const MappedText>(fresh.index_dir / months[m].path);
    index.block = parse_index_file(
        index.text->text(),
        header_of(fresh.settings, months[m].kind, months[m].path),
        months[m].kind, months[m].path);
  };
  const unsigned threads = worker_count(months.size(), 2);

  // Ask the monitor, if there is one, which directories changed since they were
  // read: the clocks they were read at are in their index files, read first.
  const auto monitor = FsMonitor::configured(store);
  std::optional<MonitorChanges> changes;
  if (monitor) {
    run_each(months.size(), threads,
             [&](std::size_t m, unsigned) { read_index(m); });
    std::vector<std::string> kind_directories;
    for (auto kind : kinds)
      kind_directories.emplace_back(kind_info(kind).directory);
    changes = monitor->changes(kind_directories, oldest_clock(indexed));
  }
  if (changes)
    fresh.monitor_clock = changes->now.text();

  // Stat the records of every directory the monitor does not vouch for, on
  // every core: like git's preloaded index, the stat calls dominate a warm run.
  // Without a monitor, each directory's index file is read just before its
  // records are stat'ed, so that one core reads while the others stat.
  auto &blocks = fresh.blocks;
  blocks.resize(months.size());
  run_each(months.size(), threads, [&](std::size_t m, unsigned) {
    if (!monitor)
      read_index(m);
    auto &index = indexed[m];
    auto &block = blocks[m];
    bool unchanged =
        changes && index.block && fully_stamped(*index.block) &&
        !changes->changed_since(months[m].path,
                                MonitorClock::parse(index.block->monitor_clock)
                                    .value_or(MonitorClock{}));
    if (unchanged) {
      block = *index.block;
      return;
    }
    block = scan_directory(root_fd, months[m],
                           index.block ? &*index.block : nullptr,
                           index.listed_names);
    // A directory the monitor named is written again with its new clock,
    // even if nothing in it differs, so that it is not named again.
    block.changed = changes || !index.block ||
                    index.block->stamp != block.stamp ||
                    index.block->entries.size() != block.entries.size();
  });
  for (const auto &index : indexed)
    out.text.push_back(index.text);

  // Directories and files in path order: evidence lists do not depend on the
  // directory order or the threads.
  parse_changed(store, blocks, out);
  return fresh;
}

// Writes back the files of the directories that changed, best effort (a
// read-only store works too). An index file of a directory that is gone is
// never read again.
void save_index(const FreshIndex &fresh) {
  const auto &blocks = fresh.blocks;
  if (std::none_of(blocks.begin(), blocks.end(),
                   [](const DirBlock &b) { return b.changed; }))
    return;
  // Version 4 was one file at this path; nothing under it could be read, so
  // every directory changed and is written now.
  std::error_code ignored;
  if (fs::is_regular_file(fresh.index_dir, ignored))
    fs::remove(fresh.index_dir, ignored);
  for (std::size_t m = 0; m < blocks.size(); ++m) {
    if (!blocks[m].changed)
      continue;
    try {
      fs::path file = fresh.index_dir / fresh.months[m].path;
      fs::create_directories(file.parent_path());
      write_file_atomic(
          file,
          index_file_text(
              header_of(fresh.settings, blocks[m].kind, blocks[m].path),
              blocks[m], fresh.monitor_clock),
          Durability::cache);
    } catch (const std::exception &) {
    }
  }
}

} // namespace

StoreFacts load_facts(const Store &store, const std::vector<RecordKind> &kinds,
                      const FactsScope &scope) {
  StoreFacts out;
  FreshIndex fresh = refresh_index(store, kinds, out);
  decode_blocks(store, fresh.blocks, scope, out);
  save_index(fresh); // after decoding, which reads again what does not decode
  return out;
}

std::vector<Store::RecordFile> indexed_record_files(const Store &store,
                                                    RecordKind kind) {
  // Every record file of the kind, as strings (see RecordFile).
  std::vector<std::string> paths;
  store.for_each_record_file(kind, "", [&](const fs::path &path) {
    paths.push_back(path.native());
    return true;
  });
  std::sort(paths.begin(), paths.end());
  std::vector<Store::RecordFile> files;
  files.reserve(paths.size());
  // The stamps the index vouches for, found by directory and name: nothing is
  // decoded.
  StoreFacts owners;
  FreshIndex fresh = refresh_index(store, {kind}, owners);
  save_index(fresh);
  std::unordered_map<std::string_view, const DirBlock *> by_directory;
  for (const auto &block : fresh.blocks)
    by_directory.emplace(block.path, &block);
  auto passed = [&](std::string_view file) -> std::optional<FileStamp> {
    const std::string &root = store.root().native();
    if (!file.starts_with(root) || file.size() <= root.size() + 1 ||
        file[root.size()] != '/')
      return std::nullopt;
    file.remove_prefix(root.size() + 1);
    auto slash = file.rfind('/');
    if (slash == std::string_view::npos)
      return std::nullopt;
    auto block = by_directory.find(file.substr(0, slash));
    if (block == by_directory.end())
      return std::nullopt;
    std::string_view name = file.substr(slash + 1);
    const auto &entries = block->second->entries;
    auto entry = std::lower_bound(
        entries.begin(), entries.end(), name,
        [](const Entry &e, std::string_view n) { return e.name < n; });
    if (entry == entries.end() || entry->name != name || !entry->readable())
      return std::nullopt;
    return entry->stamp;
  };
  for (auto &path : paths) {
    auto stamp = passed(path);
    files.push_back({std::move(path), stamp});
  }
  return files;
}

} // namespace opsflow
