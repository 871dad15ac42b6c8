#pragma once

#include "smo/ports/remote_shell.hpp"

#include <atomic>
#include <memory>

// The real remote shell: one libssh2 session for the whole run (docs/ssh.md).
//
// connect(): TCP connect bounded by target.connect_timeout_seconds; the host
//   key types that target.known_hosts_file holds for the host are preferred in
//   the handshake, then the key is checked: a changed key is always refused, an
//   unknown one is refused unless target.accept_new_host_key (then appended).
//   Auth: ssh-agent (SSH_AUTH_SOCK), then each existing identity file
//   (passphrase from SMO_SSH_PASSPHRASE, else asked on /dev/tty when stdin is a
//   terminal). Never a password. RSA keys cannot work with libssh2 1.10 against
//   OpenSSH 9 and the error says so.
// run(): one channel per command. The login shell (remote_shell, "bash -lc")
//   runs once per session, on the first command, to capture its environment;
//   later commands run in a plain `bash -c` given that environment (`env -i`)
//   under the same remote `timeout` (docs/ssh.md). stdout and
//   stderr are read together without blocking; the local deadline is the
//   timeout plus a grace period. Each captured stream keeps its last 8 MiB.
//   Keepalives are sent while waiting; no reply for three intervals, or any
//   socket error, throws TransportError.
// Not thread-safe; one instance per run.
namespace smo {

class Libssh2RemoteShell : public RemoteShell {
  public:
    Libssh2RemoteShell();
    ~Libssh2RemoteShell() override;
    Libssh2RemoteShell(const Libssh2RemoteShell&) = delete;
    Libssh2RemoteShell& operator=(const Libssh2RemoteShell&) = delete;

    void connect(const SshTarget& target) override;
    CommandResult run(const std::string& command, std::chrono::seconds timeout) override;
    void disconnect() override;

    // Ctrl-C never abandons a running command (docs/safety.md: stop after the current
    // one); the flag only keeps an interrupted poll() from being mistaken for
    // an error. May be null.
    void set_interrupt_flag(const std::atomic<bool>* flag) { m_interrupt = flag; }

    // Seconds added to a command's timeout before the local side gives up on
    // it (the remote `timeout` should have fired first).
    static constexpr int k_grace_seconds = 5;
    // Per-stream cap on captured output; the tail is kept.
    static constexpr std::size_t k_max_output_bytes = 8 * 1024 * 1024;

  private:
    struct Session;
    std::unique_ptr<Session> m_session;
    const std::atomic<bool>* m_interrupt = nullptr;
};

} // namespace smo
