#pragma once

#include "smo/ssh_target.hpp"

#include <chrono>
#include <string>

// The remote-shell port: commands on the target. The real adapter is
// Libssh2RemoteShell (the only file that includes libssh2); tests use
// FakeRemoteShell; a drill still uses the real one, since its stages only run
// commands that change nothing live.
namespace smo {

struct CommandResult {
    int exit_status = 0;
    std::string exit_signal; // e.g. "KILL" when the command died by a signal
    bool timed_out = false;  // the local deadline passed or remote `timeout` fired (124)
    std::string out;
    std::string err;

    bool succeeded() const { return exit_status == 0 && exit_signal.empty() && !timed_out; }
};

class RemoteShell {
  public:
    virtual ~RemoteShell() = default;

    // Opens the one session used for the whole run: TCP connect, handshake,
    // host key check against target.known_hosts_file, agent or key auth,
    // keepalives. Throws TransportError saying what was attempted.
    virtual void connect(const SshTarget& target) = 0;

    // Runs `command` through the target's remote_shell (quoted once) under a
    // remote `timeout`. A non-zero exit is data, not an error. Throws
    // TransportError when the link is lost.
    virtual CommandResult run(const std::string& command, std::chrono::seconds timeout) = 0;

    virtual void disconnect() = 0;
};

} // namespace smo
