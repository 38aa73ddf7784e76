#include "opsflow/base/process.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace opsflow {

namespace {

struct Pipe {
    int fds[2] = {-1, -1};
    Pipe() {
        if (::pipe2(fds, O_CLOEXEC) != 0) fds[0] = fds[1] = -1;
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    void close_read() {
        if (fds[0] >= 0) ::close(fds[0]);
        fds[0] = -1;
    }
    void close_write() {
        if (fds[1] >= 0) ::close(fds[1]);
        fds[1] = -1;
    }
};

// Every child starts with the default action for every signal and an empty mask.
// Inherited "ignore" dispositions (nohup, a background job of a script) make git 2.39
// carry on after SIGINT/SIGHUP with its temporary index deleted and commit an empty
// tree (PITFALLS.md).
class SpawnAttributes {
  public:
    SpawnAttributes() {
        posix_spawnattr_init(&attributes_);
        sigset_t all, none;
        sigfillset(&all);
        sigemptyset(&none);
        posix_spawnattr_setsigdefault(&attributes_, &all);
        posix_spawnattr_setsigmask(&attributes_, &none);
        posix_spawnattr_setflags(&attributes_, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    }
    ~SpawnAttributes() { posix_spawnattr_destroy(&attributes_); }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
    const posix_spawnattr_t* get() const { return &attributes_; }

  private:
    posix_spawnattr_t attributes_;
};

std::vector<std::string> build_environment(const std::map<std::string, std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq != std::string::npos && extra.contains(entry.substr(0, eq))) continue;
        env.push_back(std::move(entry));
    }
    for (const auto& [k, v] : extra)
        env.push_back(k + "=" + v);
    return env;
}

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    ProcessResult result;
    Pipe in, out, err;
    if (in.fds[0] < 0 || out.fds[0] < 0 || err.fds[0] < 0) {
        result.err = "cannot create pipes";
        return result;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.fds[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
    if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());

    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    auto env_strings = build_environment(options.env);
    std::vector<char*> envp;
    for (auto& e : env_strings)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    SpawnAttributes attributes;
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, args[0], &actions, attributes.get(), args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    in.close_read();
    out.close_write();
    err.close_write();
    if (rc != 0) {
        result.err = std::string("cannot run ") + argv[0] + ": " + std::strerror(rc);
        return result;
    }

    // What is being written: `options.input`, then each chunk `input_source` gives.
    std::string chunk;
    std::string_view pending = options.input;
    auto refill = [&] {
        while (pending.empty() && options.input_source) {
            chunk = options.input_source();
            if (chunk.empty()) return;
            pending = chunk;
        }
    };
    refill();
    if (pending.empty()) in.close_write();
    // Non-blocking, so that a child that writes a lot before it has read all its input
    // (git cat-file --batch) cannot leave both of us blocked on a full pipe: POLLOUT
    // only promises room for PIPE_BUF bytes.
    if (in.fds[1] >= 0) ::fcntl(in.fds[1], F_SETFL, ::fcntl(in.fds[1], F_GETFL) | O_NONBLOCK);
    char buffer[65536];
    const auto deadline = std::chrono::steady_clock::now() + options.time_limit;
    bool killed = false;
    while (out.fds[0] >= 0 || err.fds[0] >= 0) {
        pollfd fds[3];
        nfds_t n = 0;
        if (out.fds[0] >= 0) fds[n++] = {out.fds[0], POLLIN, 0};
        if (err.fds[0] >= 0) fds[n++] = {err.fds[0], POLLIN, 0};
        if (in.fds[1] >= 0) fds[n++] = {in.fds[1], POLLOUT, 0};
        int wait_ms = -1;
        if (options.time_limit.count() > 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                ::kill(pid, SIGKILL);
                killed = true;
                break;
            }
            wait_ms = static_cast<int>(std::min<std::int64_t>(left.count() + 1, INT32_MAX));
        }
        int ready = ::poll(fds, n, wait_ms);
        if (ready < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (nfds_t i = 0; i < n; ++i) {
            if (!fds[i].revents) continue;
            if (fds[i].fd == in.fds[1]) {
                ssize_t w = ::write(in.fds[1], pending.data(), pending.size());
                if (w > 0) pending.remove_prefix(static_cast<std::size_t>(w));
                bool retry = w < 0 && (errno == EAGAIN || errno == EINTR);
                if (pending.empty()) refill();
                if ((w < 0 && !retry) || pending.empty()) in.close_write();
                continue;
            }
            ssize_t r = ::read(fds[i].fd, buffer, sizeof buffer);
            bool is_out = fds[i].fd == out.fds[0];
            if (r > 0) {
                (is_out ? result.out : result.err).append(buffer, static_cast<std::size_t>(r));
            } else if (r == 0 || errno != EINTR) {
                if (is_out)
                    out.close_read();
                else
                    err.close_read();
            }
        }
    }
    in.close_write();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) && !killed ? WEXITSTATUS(status) : -1;
    result.timed_out = killed;
    if (killed)
        result.err +=
            fmt::format("{} did not finish within {} ms", argv[0], options.time_limit.count());
    return result;
}

int run_interactive(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    SpawnAttributes attributes;
    pid_t pid = 0;
    if (posix_spawnp(&pid, args[0], nullptr, attributes.get(), args.data(), environ) != 0)
        return -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace opsflow
