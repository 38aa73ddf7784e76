#pragma once
// SIGPIPE is ignored by the whole process, once, at start-up: a child (git) that
// exits before it has read all its input then makes a write of ours fail with EPIPE,
// on whichever thread runs it, instead of killing us (children get the default
// action back: src/core/base/process.cpp). Standard output keeps the habit of command
// line tools: when its reader has gone (`opsflow incident list | head -1`), the
// process ends quietly by SIGPIPE at that write, as it did before.
#include <memory>
#include <streambuf>

namespace opsflow::cli {

class QuietClosedPipe {
  public:
    // Ignores SIGPIPE; when standard output is a pipe or a socket, std::cout writes
    // through a buffer that ends the process by SIGPIPE on EPIPE.
    QuietClosedPipe();
    // Flushes std::cout and gives it back its own buffer.
    ~QuietClosedPipe();
    QuietClosedPipe(const QuietClosedPipe&) = delete;
    QuietClosedPipe& operator=(const QuietClosedPipe&) = delete;

  private:
    std::unique_ptr<std::streambuf> buffer_;
    std::streambuf* previous_ = nullptr;
};

} // namespace opsflow::cli
