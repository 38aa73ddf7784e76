#pragma once
// Work spread over the machine's cores: the stat walk, parse and decode of the
// query index, `check` of many records, and the two halves of a large report.
#include <cstddef>
#include <functional>

namespace opsflow {

// How many threads to use for `items` pieces of work: one below `min_items`
// (starting threads would cost more than they save), else one per core, at most `items`.
unsigned worker_count(std::size_t items, std::size_t min_items);

// Runs `work(t)` for t in [0, threads), on `threads` threads (the calling one included),
// and returns when all are done. tr() speaks the caller's language on every thread.
// An exception thrown by any of them is rethrown here, after all have finished.
void run_on_threads(unsigned threads, const std::function<void(unsigned)>& work);

// Runs `work(item, t)` for every item in [0, items), on `threads` threads that each
// take the next item when they are done with one (`t` numbers the thread, for its own
// scratch space): pieces of uneven size keep every core busy to the end.
void run_each(std::size_t items, unsigned threads,
              const std::function<void(std::size_t, unsigned)>& work);

// Runs `first` and `second`, on two threads when `in_parallel` and the machine has
// more than one core.
void run_side_by_side(bool in_parallel, const std::function<void()>& first,
                      const std::function<void()>& second);

} // namespace opsflow
