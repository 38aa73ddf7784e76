#include "opsflow/parallel.hpp"

#include <algorithm>
#include <thread>
#include <vector>

namespace opsflow {

unsigned worker_count(std::size_t items, std::size_t min_items) {
    if (items < min_items || items < 2) return 1;
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::min<std::size_t>(cores, items));
}

void run_on_threads(unsigned threads, const std::function<void(unsigned)>& work) {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (auto& thread : pool)
        thread.join();
}

} // namespace opsflow
