#include "smo/adapters/process_local_git.hpp"

#include "smo/errors.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace smo {
namespace {

// More than any answer git gives here; past it output is read and dropped so
// the child never blocks on a full pipe.
constexpr std::size_t k_max_output = 16 * 1024 * 1024;

bool is_option_like(const std::string& rev) {
    return rev.empty() || rev.front() == '-';
}

std::string trim(const std::string& text) {
    const std::size_t end = text.find_last_not_of(" \t\r\n");
    return end == std::string::npos ? std::string() : text.substr(0, end + 1);
}

std::string describe(const std::vector<std::string>& arguments) {
    std::string text = "git";
    for (const std::string& argument : arguments) {
        text += " " + argument;
    }
    return text;
}

// Secrets of this tool that git has no use for: a hook, a credential helper
// or an alias run by git would see them otherwise.
constexpr std::array<const char*, 2> k_withheld{"TELEGRAM_BOT_TOKEN=", "SMO_SSH_PASSPHRASE="};

bool starts_with_any(const std::string& item, const auto& prefixes) {
    for (const auto& prefix : prefixes) {
        const std::string_view name(prefix);
        if (item.compare(0, name.size(), name) == 0) {
            return true;
        }
    }
    return false;
}

// The parent's environment without this tool's secrets, plus what keeps git
// quiet and predictable.
std::vector<std::string> child_environment() {
    const std::array<std::string, 3> extra{"GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0",
                                           "LC_ALL=C"};
    std::array<std::string, 3> overridden;
    std::transform(extra.begin(), extra.end(), overridden.begin(),
                   [](const std::string& added) { return added.substr(0, added.find('=') + 1); });
    std::vector<std::string> env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string item(*entry);
        if (!starts_with_any(item, overridden) && !starts_with_any(item, k_withheld)) {
            env.push_back(item);
        }
    }
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (std::string& s : strings) {
        result.push_back(s.data());
    }
    result.push_back(nullptr);
    return result;
}

struct Pipe {
    int read = -1;
    int write = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            throw Error(ExitCode::failed,
                        std::string("cannot run git: pipe: ") + std::strerror(errno));
        }
        read = fds[0];
        write = fds[1];
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void close_read() {
        if (read >= 0) {
            ::close(read);
            read = -1;
        }
    }
    void close_write() {
        if (write >= 0) {
            ::close(write);
            write = -1;
        }
    }
};

pid_t spawn(const std::string& program, std::vector<std::string>& argv, Pipe& out, Pipe& err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.write, 1);
    posix_spawn_file_actions_adddup2(&actions, err.write, 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group: a timeout kills git and anything it started.
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    std::vector<std::string> env = child_environment();
    std::vector<char*> argv_pointers = pointers(argv);
    std::vector<char*> env_pointers = pointers(env);
    pid_t pid = -1;
    const int error = ::posix_spawnp(&pid, program.c_str(), &actions, &attributes,
                                     argv_pointers.data(), env_pointers.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) {
        throw Error(ExitCode::failed,
                    "cannot run " + program + ": " + std::strerror(error) + " (is git installed?)");
    }
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void read_available(int& fd, std::string& into) {
    char buffer[65536];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
        into.append(buffer, std::min(static_cast<std::size_t>(n),
                                     k_max_output - std::min(into.size(), k_max_output)));
    } else if (n == 0 || errno != EINTR) {
        fd = -1; // end of file (or a broken pipe): stop polling it
    }
}

} // namespace

ProcessLocalGit::ProcessLocalGit(std::string repo_dir, std::chrono::milliseconds timeout,
                                 std::string git_program)
    : m_repo_dir(std::move(repo_dir)), m_timeout(timeout), m_git_program(std::move(git_program)) {}

ProcessLocalGit::Output ProcessLocalGit::run(const std::vector<std::string>& arguments) const {
    std::vector<std::string> argv{m_git_program, "-C", m_repo_dir};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    Pipe out;
    Pipe err;
    const pid_t pid = spawn(m_git_program, argv, out, err);
    out.close_write();
    err.close_write();

    Output output;
    const auto deadline = std::chrono::steady_clock::now() + m_timeout;
    int out_fd = out.read;
    int err_fd = err.read;
    while (out_fd >= 0 || err_fd >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            wait_for(pid);
            throw Error(ExitCode::failed, describe(arguments) + ": no answer after " +
                                              std::to_string(m_timeout.count()) + " ms, killed");
        }
        std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
        const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR) {
            break;
        }
        if (ready > 0 && out_fd >= 0 && fds[0].revents != 0) {
            read_available(out_fd, output.out);
        }
        if (ready > 0 && err_fd >= 0 && fds[1].revents != 0) {
            read_available(err_fd, output.err);
        }
    }
    output.exit_status = wait_for(pid);
    return output;
}

std::optional<std::string> ProcessLocalGit::resolve_commit(const std::string& rev) {
    if (is_option_like(rev)) {
        return std::nullopt;
    }
    const Output output =
        run({"rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"});
    const std::string commit = trim(output.out);
    if (output.exit_status != 0 || (commit.size() != 40 && commit.size() != 64) ||
        commit.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return std::nullopt;
    }
    return commit;
}

std::vector<std::string> ProcessLocalGit::added_files(const std::string& base,
                                                      const std::string& head,
                                                      const std::string& dir) {
    if (is_option_like(base) || is_option_like(head)) {
        throw Error(ExitCode::failed,
                    "git diff: refusing revision \"" + (is_option_like(base) ? base : head) + "\"");
    }
    std::vector<std::string> arguments{
        "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--diff-filter=A",
        base,   head,          "--"};
    if (!dir.empty()) {
        arguments.push_back(dir);
    }
    const Output output = run(arguments);
    if (output.exit_status != 0) {
        throw Error(ExitCode::failed,
                    describe(arguments) + " failed: " + trim(output.err.substr(0, 500)));
    }
    std::vector<std::string> files;
    std::size_t start = 0;
    while (start < output.out.size()) {
        std::size_t end = output.out.find('\0', start);
        if (end == std::string::npos) {
            end = output.out.size();
        }
        if (end > start) {
            files.push_back(output.out.substr(start, end - start));
        }
        start = end + 1;
    }
    return files;
}

std::vector<std::string> ProcessLocalGit::tags_at(const std::string& commit) {
    std::vector<std::string> tags;
    if (is_option_like(commit)) {
        return tags;
    }
    const Output output = run({"tag", "--list", "--points-at", commit});
    if (output.exit_status != 0) {
        return tags;
    }
    std::size_t start = 0;
    while (start < output.out.size()) {
        std::size_t end = output.out.find('\n', start);
        if (end == std::string::npos) {
            end = output.out.size();
        }
        const std::string tag = trim(output.out.substr(start, end - start));
        if (!tag.empty()) {
            tags.push_back(tag);
        }
        start = end + 1;
    }
    return tags;
}

bool ProcessLocalGit::is_ancestor(const std::string& ancestor, const std::string& descendant) {
    if (is_option_like(ancestor) || is_option_like(descendant)) {
        return false;
    }
    // Exit 0: ancestor; 1: not; anything else (unknown commit): not known.
    return run({"merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant})
               .exit_status == 0;
}

bool ProcessLocalGit::path_exists(const std::string& rev, const std::string& path) {
    if (is_option_like(rev)) {
        return false;
    }
    std::string relative = path;
    while (relative.starts_with("./")) {
        relative.erase(0, 2);
    }
    while (!relative.empty() && relative.back() == '/') {
        relative.pop_back();
    }
    return run({"cat-file", "-e", rev + ":" + relative}).exit_status == 0;
}

} // namespace smo
