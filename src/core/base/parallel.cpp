#include "opsflow/base/parallel.hpp"

#include "opsflow/base/i18n.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace opsflow {

unsigned worker_count(std::size_t items, std::size_t min_items) {
    if (items < min_items || items < 2) return 1;
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::min<std::size_t>(cores, items));
}

void run_on_threads(unsigned threads, const std::function<void(unsigned)>& work) {
    // An exception must not escape a thread (that terminates the process): the
    // first one is rethrown here once every thread has finished.
    std::exception_ptr failure;
    std::mutex failure_mutex;
    // Every thread speaks the caller's language (a report in the store's language
    // says its findings in it, whichever thread worked them out).
    const Language language = current_language();
    auto guarded = [&](unsigned t) {
        LanguageScope same_language(language);
        try {
            work(t);
        } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure) failure = std::current_exception();
        }
    };
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(guarded, t);
    guarded(0);
    pool.clear(); // joins
    if (failure) std::rethrow_exception(failure);
}

void run_each(std::size_t items, unsigned threads,
              const std::function<void(std::size_t, unsigned)>& work) {
    std::atomic<std::size_t> next = 0;
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t item = next++; item < items; item = next++)
            work(item, t);
    });
}

void run_side_by_side(bool in_parallel, const std::function<void()>& first,
                      const std::function<void()>& second) {
    if (!in_parallel || std::thread::hardware_concurrency() < 2) {
        first();
        second();
        return;
    }
    run_on_threads(2, [&](unsigned t) { t == 0 ? first() : second(); });
}

} // namespace opsflow
