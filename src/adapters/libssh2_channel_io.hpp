#pragma once

// Private to the libssh2 adapter: one command on one channel, non-blocking.
#include "libssh2_internal.hpp"
#include "smo/ports/remote_shell.hpp"

#include <atomic>
#include <cstddef>
#include <string>

namespace smo::libssh2 {

struct ChannelRun {
    LIBSSH2_SESSION* session;
    int fd;
    const SshTarget& target;
    const std::string& command;   // as the caller gave it: for messages
    std::string wire_command;     // what is exec'd: wrap_remote_command(...)
    int timeout_seconds;          // the remote `timeout`
    int grace_seconds;            // local deadline = timeout + grace
    std::size_t max_output_bytes; // per stream; the tail is kept
    const std::atomic<bool>* interrupt;
};

// Opens a channel, execs, reads stdout and stderr together until EOF or the
// local deadline, then collects exit status and signal. Throws TransportError
// when the link is lost (socket error, or no reply to three keepalives).
CommandResult run_channel(const ChannelRun& run);

} // namespace smo::libssh2
