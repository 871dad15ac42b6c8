#include "support/process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <pty.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace smo::integration {

namespace {

class Pipe {
  public:
    Pipe() {
        if (::pipe2(m_fds, O_CLOEXEC) != 0) {
            throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
        }
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;

    int read_end() const { return m_fds[0]; }
    int write_end() const { return m_fds[1]; }
    void close_read() { close_fd(m_fds[0]); }
    void close_write() { close_fd(m_fds[1]); }

  private:
    static void close_fd(int& fd) {
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }
    int m_fds[2] = {-1, -1};
};

// The environment is built before fork: only async-signal-safe calls happen
// in the child.
std::vector<std::string> build_environment(const ProcessSpec& spec) {
    std::map<std::string, std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string text = *entry;
        const auto eq = text.find('=');
        if (eq != std::string::npos) {
            env[text.substr(0, eq)] = text.substr(eq + 1);
        }
    }
    for (const auto& name : spec.unset_env) {
        env.erase(name);
    }
    for (const auto& [name, value] : spec.set_env) {
        env[name] = value;
    }
    std::vector<std::string> result;
    for (const auto& [name, value] : env) {
        result.push_back(name + "=" + value);
    }
    return result;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& text : strings) {
        result.push_back(text.data());
    }
    result.push_back(nullptr);
    return result;
}

[[noreturn]] void exec_child(const ProcessSpec& spec, char** argv, char** envp, int in_fd,
                             int out_fd, int err_fd) {
    ::setpgid(0, 0);
    if (::dup2(in_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) {
        ::_exit(126);
    }
    if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) {
        const char message[] = "run_process: cannot chdir\n";
        [[maybe_unused]] auto ignored = ::write(2, message, sizeof message - 1);
        ::_exit(126);
    }
    ::execvpe(argv[0], argv, envp);
    const char message[] = "run_process: cannot exec\n";
    [[maybe_unused]] auto ignored = ::write(2, message, sizeof message - 1);
    ::_exit(127);
}

// Pumps stdin/stdout/stderr until both outputs close or the deadline passes.
bool pump(int in_fd, int out_fd, int err_fd, const std::string& input, ProcessResult& result,
          std::chrono::steady_clock::time_point deadline) {
    std::size_t written = 0;
    int fds[3] = {out_fd, err_fd, in_fd};
    std::string* sinks[2] = {&result.out, &result.err};
    char buffer[8192];
    while (fds[0] >= 0 || fds[1] >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return false;
        }
        pollfd polls[3] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}, {fds[2], POLLOUT, 0}};
        if (::poll(polls, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) {
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i] >= 0 && (polls[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                const ssize_t n = ::read(fds[i], buffer, sizeof buffer);
                if (n > 0) {
                    sinks[i]->append(buffer, static_cast<std::size_t>(n));
                } else if (n == 0 || errno != EINTR) {
                    fds[i] = -1;
                }
            }
        }
        if (fds[2] >= 0 && (polls[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
            const ssize_t n = ::write(fds[2], input.data() + written, input.size() - written);
            if (n > 0) {
                written += static_cast<std::size_t>(n);
            }
            if ((n < 0 && errno != EINTR && errno != EAGAIN) || written == input.size()) {
                ::close(fds[2]);
                fds[2] = -1;
            }
        }
    }
    return true;
}

} // namespace

ProcessResult run_process(const ProcessSpec& spec) {
    if (spec.argv.empty()) {
        throw std::invalid_argument("run_process: empty argv");
    }
    std::vector<std::string> args = spec.argv;
    std::vector<std::string> env = build_environment(spec);
    std::vector<char*> argv = c_strings(args);
    std::vector<char*> envp = c_strings(env);
    Pipe in;
    Pipe out;
    Pipe err;
    const std::string input = spec.stdin_text.value_or("");
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        exec_child(spec, argv.data(), envp.data(), in.read_end(), out.write_end(), err.write_end());
    }
    ::setpgid(pid, pid); // also in the parent: no race with the kill below
    in.close_read();
    out.close_write();
    err.close_write();
    int in_fd = in.write_end();
    ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
    if (input.empty()) {
        in.close_write();
        in_fd = -1;
    }
    // A closed stdin pipe must not kill the test runner with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + spec.timeout;
    if (!pump(in_fd, out.read_end(), err.read_end(), input, result, deadline)) {
        result.timed_out = true;
        ::kill(-pid, SIGKILL);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

ProcessResult run_in_terminal(const ProcessSpec& spec, unsigned short columns) {
    std::vector<std::string> args = spec.argv;
    std::vector<std::string> env = build_environment(spec);
    std::vector<char*> argv = c_strings(args);
    std::vector<char*> envp = c_strings(env);
    winsize size{};
    size.ws_row = 40;
    size.ws_col = columns;
    int terminal = -1;
    const pid_t pid = ::forkpty(&terminal, nullptr, nullptr, &size);
    if (pid < 0) {
        throw std::runtime_error(std::string("forkpty: ") + std::strerror(errno));
    }
    if (pid == 0) {
        if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) {
            ::_exit(126);
        }
        ::execvpe(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + spec.timeout;
    char buffer[4096];
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(-pid, SIGKILL); // forkpty made it a session (and group) leader
            result.timed_out = true;
            break;
        }
        pollfd ready{terminal, POLLIN, 0};
        const int count = ::poll(&ready, 1, static_cast<int>(std::min<long>(left.count(), 200)));
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count > 0) {
            const ssize_t n = ::read(terminal, buffer, sizeof buffer);
            if (n <= 0) {
                break; // EIO: every process on the terminal closed it
            }
            result.out.append(buffer, static_cast<std::size_t>(n));
        }
    }
    ::close(terminal);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

bool process_alive(pid_t pid) {
    if (pid <= 0 || ::kill(pid, 0) != 0) {
        return false;
    }
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto paren = text.rfind(')');
    // Fields after "(comm)": " S ..." — state Z is a zombie, gone in all but name.
    return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] != 'Z';
}

std::string describe(const ProcessSpec& spec, const ProcessResult& result) {
    std::string command;
    for (const auto& arg : spec.argv) {
        command += (command.empty() ? "" : " ") + arg;
    }
    return command + ": exit " + std::to_string(result.exit_code) +
           (result.timed_out ? " (timed out)" : "") + "\nstdout:\n" + result.out + "\nstderr:\n" +
           result.err;
}

} // namespace smo::integration

namespace smo::integration {

SpawnedProcess spawn_process(const ProcessSpec& spec) {
    if (spec.argv.empty() || spec.stdin_text) {
        throw std::invalid_argument("spawn_process: empty argv, or stdin text (not supported)");
    }
    std::vector<std::string> args = spec.argv;
    std::vector<std::string> env = build_environment(spec);
    std::vector<char*> argv = c_strings(args);
    std::vector<char*> envp = c_strings(env);
    Pipe in;
    Pipe out;
    Pipe err;
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        exec_child(spec, argv.data(), envp.data(), in.read_end(), out.write_end(), err.write_end());
    }
    ::setpgid(pid, pid); // also in the parent: the group exists before any kill(-pid)
    std::signal(SIGPIPE, SIG_IGN);
    // The read ends outlive the Pipe objects: dup them, the originals close.
    const int out_fd = ::fcntl(out.read_end(), F_DUPFD_CLOEXEC, 0);
    const int err_fd = ::fcntl(err.read_end(), F_DUPFD_CLOEXEC, 0);
    return SpawnedProcess(pid, out_fd, err_fd, std::chrono::steady_clock::now() + spec.timeout);
}

bool SpawnedProcess::pump_for(std::chrono::milliseconds period) {
    const auto until = std::min(m_deadline, std::chrono::steady_clock::now() + period);
    return pump(-1, m_out_fd, m_err_fd, "", m_result, until);
}

ProcessResult wait_process(SpawnedProcess& process) {
    if (process.m_reaped) {
        return process.m_result;
    }
    if (!pump(-1, process.m_out_fd, process.m_err_fd, "", process.m_result, process.m_deadline)) {
        process.m_result.timed_out = true;
        ::kill(-process.m_pid, SIGKILL);
    }
    int status = 0;
    while (::waitpid(process.m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    process.m_reaped = true;
    process.m_result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return process.m_result;
}

SpawnedProcess::~SpawnedProcess() {
    if (!m_reaped) {
        ::kill(-m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    for (const int fd : {m_out_fd, m_err_fd}) {
        if (fd >= 0) {
            ::close(fd);
        }
    }
}

std::string trim(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

std::string local_text(const std::string& command) {
    ProcessSpec spec;
    spec.argv = {"bash", "-c", command};
    return trim(run_process(spec).out);
}

} // namespace smo::integration
