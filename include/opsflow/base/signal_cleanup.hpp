#pragma once
// Files that must not outlive the process: git's index lock an opsflow commit
// holds, its temporary indexes, an import's staging. Each is registered while it
// exists and removed by a handler of SIGINT, SIGTERM, SIGHUP and SIGQUIT before
// the signal takes its course (git's tempfile/lockfile contract). A signal the
// process ignores (nohup, a script's background job) stays ignored.
#include <filesystem>

namespace opsflow {

// Installs the handlers; once, at the start of the program.
void remove_registered_files_on_signals();

// Registers `path` for removal on a signal while this object lives; removes
// nothing itself.
class RemovedOnSignal {
  public:
    explicit RemovedOnSignal(const std::filesystem::path& path);
    ~RemovedOnSignal();
    RemovedOnSignal(const RemovedOnSignal&) = delete;
    RemovedOnSignal& operator=(const RemovedOnSignal&) = delete;

  private:
    int slot_ = -1; // -1: every slot was taken (the file is then left to recovery)
};

} // namespace opsflow
