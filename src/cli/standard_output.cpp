#include "standard_output.hpp"

#include <cerrno>
#include <csignal>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace opsflow::cli {

namespace {

// Standard output, fully buffered as stdio buffers a pipe (st_blksize bytes), and
// flushed whenever std::cerr is written (std::cerr is tied to std::cout).
class PipeBuffer : public std::streambuf {
  public:
    explicit PipeBuffer(std::size_t size) : buffer_(size) {
        setp(buffer_.data(), buffer_.data() + buffer_.size());
    }

  protected:
    int_type overflow(int_type c) override {
        if (!flush()) return traits_type::eof();
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
        return c;
    }

    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (n <= epptr() - pptr()) {
            traits_type::copy(pptr(), s, static_cast<std::size_t>(n));
            pbump(static_cast<int>(n));
            return n;
        }
        if (!flush() || !write_all(s, static_cast<std::size_t>(n))) return 0;
        return n;
    }

    int sync() override { return flush() ? 0 : -1; }

  private:
    bool flush() {
        bool ok = write_all(pbase(), static_cast<std::size_t>(pptr() - pbase()));
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return ok;
    }

    static bool write_all(const char* data, std::size_t size) {
        while (size > 0) {
            ssize_t written = ::write(STDOUT_FILENO, data, size);
            if (written < 0 && errno == EINTR) continue;
            if (written < 0 && errno == EPIPE) {
                // The reader has gone: end as the default action of SIGPIPE would have.
                std::signal(SIGPIPE, SIG_DFL);
                std::raise(SIGPIPE);
            }
            if (written <= 0) return false;
            data += written;
            size -= static_cast<std::size_t>(written);
        }
        return true;
    }

    std::vector<char> buffer_;
};

} // namespace

QuietClosedPipe::QuietClosedPipe() {
    std::signal(SIGPIPE, SIG_IGN);
    struct stat st {};
    if (::fstat(STDOUT_FILENO, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return; // a terminal or a file: no reader can go away
    std::cout.flush();
    buffer_ = std::make_unique<PipeBuffer>(
        st.st_blksize > 0 ? static_cast<std::size_t>(st.st_blksize) : std::size_t{BUFSIZ});
    previous_ = std::cout.rdbuf(buffer_.get());
}

QuietClosedPipe::~QuietClosedPipe() {
    if (!buffer_) return;
    std::cout.flush();
    std::cout.rdbuf(previous_);
}

} // namespace opsflow::cli
