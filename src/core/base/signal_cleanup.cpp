#include "opsflow/base/signal_cleanup.hpp"

#include <array>
#include <atomic>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace opsflow {

namespace {

// A fixed table, so that the handler reads it without allocating or locking: a
// slot holds a path (owned by the table) or nothing.
constexpr std::size_t slot_count = 32;
constexpr std::size_t path_bytes = 4096;
struct Slot {
    std::atomic<bool> used{false};
    std::atomic<bool> ready{false};
    char path[path_bytes]{};
};
std::array<Slot, slot_count> slots;

constexpr std::array handled_signals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void remove_and_die(int signal) {
    for (auto& slot : slots)
        if (slot.ready.load()) ::unlink(slot.path);
    // The signal's own disposition now ends the process, with the status a shell
    // reports for it.
    struct sigaction standard {};
    standard.sa_handler = SIG_DFL;
    sigemptyset(&standard.sa_mask);
    ::sigaction(signal, &standard, nullptr);
    ::raise(signal);
}

} // namespace

void remove_registered_files_on_signals() {
    for (int signal : handled_signals) {
        struct sigaction current {};
        if (::sigaction(signal, nullptr, &current) != 0 || current.sa_handler == SIG_IGN) continue;
        struct sigaction handler {};
        handler.sa_handler = remove_and_die;
        sigemptyset(&handler.sa_mask);
        for (int other : handled_signals)
            sigaddset(&handler.sa_mask, other);
        ::sigaction(signal, &handler, nullptr);
    }
}

RemovedOnSignal::RemovedOnSignal(const std::filesystem::path& path) {
    const std::string& text = path.native();
    if (text.size() >= path_bytes) return;
    for (std::size_t i = 0; i < slot_count; ++i) {
        bool expected = false;
        if (!slots[i].used.compare_exchange_strong(expected, true)) continue;
        std::memcpy(slots[i].path, text.c_str(), text.size() + 1);
        slots[i].ready.store(true);
        slot_ = static_cast<int>(i);
        return;
    }
}

RemovedOnSignal::~RemovedOnSignal() {
    if (slot_ < 0) return;
    auto& slot = slots[static_cast<std::size_t>(slot_)];
    slot.ready.store(false);
    slot.used.store(false);
}

} // namespace opsflow
