#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

// Running local programs from integration tests: fork/exec with pipes, both
// output streams read together (no deadlock on large output), optional stdin
// text, a deadline that kills the whole process group.
namespace smo::integration {

struct ProcessResult {
    int exit_code = -1; // the exit status, or 128 + signal when killed by one
    std::string out;
    std::string err;
    bool timed_out = false;
};

struct ProcessSpec {
    std::vector<std::string> argv;              // argv[0] is looked up in PATH
    std::string cwd;                            // empty: the current directory
    std::map<std::string, std::string> set_env; // added to (or replacing) the environment
    std::vector<std::string> unset_env;         // removed from the environment
    std::optional<std::string> stdin_text;      // nullopt: stdin is at end of file at once
    std::chrono::milliseconds timeout = std::chrono::minutes(5);
};

// Runs the process to completion. Throws std::runtime_error only when it cannot
// be started at all; a non-zero exit is a result.
ProcessResult run_process(const ProcessSpec& spec);

// Runs the process on a pseudo-terminal of `columns` columns (its stdin, stdout
// and stderr), as from an operator's shell: everything it draws for a terminal
// lands in `out` (with the terminal's \r\n line ends); `err` stays empty.
ProcessResult run_in_terminal(const ProcessSpec& spec, unsigned short columns = 160);

// True while `pid` exists and is not a zombie.
bool process_alive(pid_t pid);

// "cmd: exit N\nstdout:\n...\nstderr:\n..." for failure messages.
std::string describe(const ProcessSpec& spec, const ProcessResult& result);

// Command output without its trailing newlines and spaces.
std::string trim(std::string text);

// What `bash -c command` prints on this machine, trimmed (a fleet sandbox's
// other hosts are directories here; remote_text() reads the first through SSH).
std::string local_text(const std::string& command);

// A process started by spawn_process, for tests that act while it runs (send
// it a signal when something happened). Its output is read only while the
// test calls pump_for or wait_process; pipes hold 64 KiB, so a test that
// waits long for something else pumps meanwhile. Destroying one that was not
// waited for kills its process group and reaps it.
class SpawnedProcess {
  public:
    SpawnedProcess(pid_t pid, int out_fd, int err_fd,
                   std::chrono::steady_clock::time_point deadline)
        : m_pid(pid), m_out_fd(out_fd), m_err_fd(err_fd), m_deadline(deadline) {}
    ~SpawnedProcess();
    SpawnedProcess(const SpawnedProcess&) = delete;
    SpawnedProcess& operator=(const SpawnedProcess&) = delete;

    // Also the id of its process group: kill(-pid(), SIGINT) is a terminal's Ctrl-C.
    pid_t pid() const { return m_pid; }
    // stdout and stderr read so far.
    const ProcessResult& output() const { return m_result; }
    // Reads output for `period` or until both streams close (then true).
    bool pump_for(std::chrono::milliseconds period);

  private:
    friend ProcessResult wait_process(SpawnedProcess& process);

    pid_t m_pid;
    int m_out_fd;
    int m_err_fd;
    std::chrono::steady_clock::time_point m_deadline; // start + spec.timeout
    ProcessResult m_result;
    bool m_reaped = false;
};

// Starts the process in its own process group, stdin at end of file
// (spec.stdin_text must be nullopt). Throws std::runtime_error when it cannot.
SpawnedProcess spawn_process(const ProcessSpec& spec);

// Reads the rest of the output and reaps the process; past spec.timeout the
// process group is killed and timed_out is set.
ProcessResult wait_process(SpawnedProcess& process);

} // namespace smo::integration
