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

// True while `pid` exists and is not a zombie.
bool process_alive(pid_t pid);

// "cmd: exit N\nstdout:\n...\nstderr:\n..." for failure messages.
std::string describe(const ProcessSpec& spec, const ProcessResult& result);

} // namespace smo::integration
