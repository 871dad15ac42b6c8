#pragma once

#include "support/process.hpp"
#include "support/sandbox.hpp"

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

// Fault injection for the crash-safety tests (docs/safety.md): slow steps
// that say when they start, following the binary's --json stage events, and
// killing the SSH sessions of a sandbox's sshd (the connection drops, the
// daemon keeps listening).
namespace smo::integration {

std::string read_text(const std::filesystem::path& path);

// Sets deploy.production.rollback.commands.<name> in the operator's project.json.
void set_rollback_command(const Sandbox& sandbox, const std::string& name, const std::string& text);

// Reads the binary's output until `path` exists (false when it exited first
// or `limit` passed).
bool wait_for_path(SpawnedProcess& process, const std::filesystem::path& path,
                   std::chrono::seconds limit = std::chrono::minutes(4));

// Reads the binary's output until its --json stdout holds a `stage` event
// with this number and status (false when it exited first or `limit` passed).
bool wait_for_stage_event(SpawnedProcess& process, int number, const std::string& status,
                          std::chrono::seconds limit = std::chrono::minutes(4));

// Pids of every process below the sandbox's sshd listener: the sessions and
// what they run.
std::vector<pid_t> ssh_session_pids(const Sandbox& sandbox);

// SIGKILLs the sshd processes serving sessions (the direct children of the
// listener) and returns how many; the listener stays up.
int kill_ssh_sessions(const Sandbox& sandbox);

// The last written docs/deploys/*-rollback-<from>-to-<to>*.md of the operator, or "".
std::filesystem::path rollback_record(const Sandbox& sandbox, const std::string& from,
                                      const std::string& to);

// The line of `text` that starts with `start`, or "".
std::string line_starting(const std::string& text, const std::string& start);

// The binary's --json stdout, one event per line; a line that is not JSON
// fails the test, naming it.
std::vector<nlohmann::json> json_lines(const std::string& out);

// `sandbox.remote(command)`'s stdout without the trailing newline.
std::string remote_text(const Sandbox& sandbox, const std::string& command);

} // namespace smo::integration
