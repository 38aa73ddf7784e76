// The facts of the query index's blocks read into StoreFacts: see index_refresh.hpp.
#include "opsflow/base/error.hpp"
#include "opsflow/base/parallel.hpp"
#include "store/index_codec.hpp"
#include "store/index_refresh.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <iterator>
#include <stdexcept>
#include <sys/mman.h>
#include <unistd.h>

namespace opsflow::index_file {

namespace fs = std::filesystem;

std::string facts_of(const Store& store, RecordKind kind, const fs::path& file) {
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
    case RecordKind::problem:
        return index_codec::serialize(problem_facts(r));
    case RecordKind::article:
        return index_codec::serialize(article_facts(r));
    }
    throw std::logic_error("a record kind without facts");
}

namespace {

// Resizes `v` to `n` elements. Tens of megabytes of facts would otherwise
// take one page fault per 4 KiB on one core as they are first written: the
// pages are populated up front, on every core (a hint: kernels before 5.14
// ignore it).
template <class T> void sized_for_writing(std::vector<T>& v, std::size_t n) {
    v.reserve(n);
#ifdef MADV_POPULATE_WRITE
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    auto begin = (reinterpret_cast<std::uintptr_t>(v.data()) + page - 1) & ~(page - 1);
    auto end = (reinterpret_cast<std::uintptr_t>(v.data() + n)) & ~(page - 1);
    if (end > begin + (std::uintptr_t{4} << 20)) {
        unsigned threads = worker_count(n, 0);
        auto share = ((end - begin) / threads + page - 1) & ~(page - 1);
        run_on_threads(threads, [&](unsigned t) {
            auto from = begin + t * share;
            if (from < end)
                ::madvise(reinterpret_cast<void*>(from), std::min(share, end - from),
                          MADV_POPULATE_WRITE);
        });
    }
#endif
    v.resize(n);
}

// Each kind's facts go to their own list of StoreFacts, at this index of `count`.
std::size_t slot(RecordKind kind) {
    return static_cast<std::size_t>(kind);
}
constexpr std::size_t kinds = kind_count;

// Which entries of each block are wanted, and where each block's first facts go in
// its kind's list: told and counted first, on every core, so that each list is made
// at its final size (and the scope, which may split a line, is asked once).
struct Places {
    std::vector<std::vector<bool>> wanted;
    std::vector<std::size_t> first;
};

Places places_of(const std::vector<DirBlock>& blocks, const FactsScope& scope, unsigned threads,
                 StoreFacts& out) {
    Places p{std::vector<std::vector<bool>>(blocks.size()),
             std::vector<std::size_t>(blocks.size())};
    std::vector<std::size_t> wanted_in(blocks.size());
    run_each(blocks.size(), threads, [&](std::size_t b, unsigned) {
        for (const auto& entry : blocks[b].entries)
            p.wanted[b].push_back(entry.readable() &&
                                  index_codec::in_scope(scope, blocks[b].kind, entry.facts));
        wanted_in[b] =
            static_cast<std::size_t>(std::count(p.wanted[b].begin(), p.wanted[b].end(), true));
    });
    std::array<std::size_t, kinds> count{};
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        p.first[b] = count[slot(blocks[b].kind)];
        count[slot(blocks[b].kind)] += wanted_in[b];
    }
    sized_for_writing(out.incidents, count[slot(RecordKind::incident)]);
    sized_for_writing(out.tickets, count[slot(RecordKind::ticket)]);
    sized_for_writing(out.maintenance, count[slot(RecordKind::maintenance)]);
    sized_for_writing(out.improvements, count[slot(RecordKind::improvement)]);
    sized_for_writing(out.problem_records, count[slot(RecordKind::problem)]);
    sized_for_writing(out.articles, count[slot(RecordKind::article)]);
    return p;
}

// One line of facts read into place `k` of its kind's list; text that had to be
// unescaped is kept in `keep`. Throws what the codec throws for a damaged line.
void decode_into(RecordKind kind, std::string_view line, const IndexedFile& file, StoreFacts& keep,
                 StoreFacts& out, std::size_t k) {
    using namespace index_codec;
    switch (kind) {
    case RecordKind::incident:
        read_incident(line, keep, out.incidents[k]);
        out.incidents[k].file = file;
        break;
    case RecordKind::ticket:
        read_ticket(line, keep, out.tickets[k]);
        out.tickets[k].file = file;
        break;
    case RecordKind::maintenance:
        read_maintenance(line, keep, out.maintenance[k]);
        out.maintenance[k].file = file;
        break;
    case RecordKind::improvement:
        read_improvement(line, keep, out.improvements[k]);
        out.improvements[k].file = file;
        break;
    case RecordKind::problem:
        read_problem(line, keep, out.problem_records[k]);
        out.problem_records[k].file = file;
        break;
    case RecordKind::article:
        read_article(line, keep, out.articles[k]);
        out.articles[k].file = file;
        break;
    }
}

// Place `k` of its kind's list emptied: what a failed decoding left goes.
void clear_place(RecordKind kind, StoreFacts& out, std::size_t k) {
    switch (kind) {
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
    case RecordKind::problem:
        out.problem_records[k] = {};
        break;
    case RecordKind::article:
        out.articles[k] = {};
        break;
    }
}

// The places left empty by records that could not be read again, or are no longer in scope.
void remove_empty_places(StoreFacts& out) {
    auto empty = [](const auto& f) { return f.id.empty(); };
    std::erase_if(out.incidents, empty);
    std::erase_if(out.tickets, empty);
    std::erase_if(out.maintenance, empty);
    std::erase_if(out.improvements, empty);
    std::erase_if(out.problem_records, empty);
    std::erase_if(out.articles, empty);
}

} // namespace

void decode_blocks(const Store& store, std::vector<DirBlock>& blocks, const FactsScope& scope,
                   StoreFacts& out) {
    const unsigned threads = worker_count(blocks.size(), 2);
    const Places places = places_of(blocks, scope, threads, out);

    // Each record's directory, kept with the facts: a command that reads some of the
    // records afterwards finds their files without listing the store again.
    std::vector<std::string_view> directories(blocks.size());
    for (std::size_t b = 0; b < blocks.size(); ++b)
        directories[b] = out.keep(std::string(blocks[b].path));

    std::atomic<bool> left_out = false;
    std::vector<StoreFacts> scratch(threads); // what each thread must keep
    std::vector<std::vector<std::string>> problems(blocks.size());
    run_each(blocks.size(), threads, [&](std::size_t b, unsigned t) {
        auto& block = blocks[b];
        std::size_t k = places.first[b]; // the place of the block's next facts in its list
        for (std::size_t place = 0; place < block.entries.size(); ++place) {
            auto& entry = block.entries[place];
            if (!entry.readable()) {
                problems[b].push_back(entry.problem());
                continue;
            }
            if (!places.wanted[b][place]) continue;
            const IndexedFile file{directories[b], entry.stamp};
            try {
                decode_into(block.kind, entry.facts, file, scratch[t], out, k);
            } catch (const std::exception&) {
                // Read again from the record, whose facts may no longer be in scope
                // or readable: its place then stays empty, and goes below.
                block.changed = true;
                left_out = true;
                clear_place(block.kind, out, k);
                try {
                    entry.facts = scratch[t].keep(
                        facts_of(store, block.kind, store.root() / block.path / entry.name));
                    if (index_codec::in_scope(scope, block.kind, entry.facts))
                        decode_into(block.kind, entry.facts, file, scratch[t], out, k);
                } catch (const Error& e) {
                    entry.facts = scratch[t].keep(unreadable_facts(e.what()));
                    problems[b].push_back(e.what());
                }
            }
            ++k;
        }
    });
    for (auto& s : scratch)
        std::move(s.text.begin(), s.text.end(), std::back_inserter(out.text));
    for (auto& p : problems)
        std::move(p.begin(), p.end(), std::back_inserter(out.problems));
    if (left_out) remove_empty_places(out);
}

} // namespace opsflow::index_file
