#pragma once
// Work spread over the machine's cores: the stat walk and parse of the query
// index, and `check` of many records.
#include <cstddef>
#include <functional>

namespace opsflow {

// How many threads to use for `items` pieces of work: one below `min_items`
// (starting threads would cost more than they save), else one per core, at most `items`.
unsigned worker_count(std::size_t items, std::size_t min_items);

// Runs `work(t)` for t in [0, threads), on `threads` threads (the calling one included),
// and returns when all are done.
void run_on_threads(unsigned threads, const std::function<void(unsigned)>& work);

} // namespace opsflow
