#pragma once

#include "smo/ssh_target.hpp"
#include "support/process.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

// A real OpenSSH sshd on 127.0.0.1 for the SSH adapter's tests
// (scripts/sandbox/sshd.sh start/stop in a fresh mktemp -d directory).
namespace smo::integration {

class SshdFixture {
  public:
    SshdFixture();
    ~SshdFixture();
    SshdFixture(const SshdFixture&) = delete;
    SshdFixture& operator=(const SshdFixture&) = delete;

    int port() const { return m_port; }
    const std::filesystem::path& dir() const { return m_dir; }
    std::filesystem::path ssh_dir() const { return m_dir / "ssh"; }
    std::string known_hosts() const { return (ssh_dir() / "known_hosts").string(); }

    // A target for this sshd logging in with DIR/ssh/<key> only (no agent,
    // no other keys), checked against DIR/ssh/known_hosts.
    SshTarget target(const std::string& key = "user_ed25519") const;

    // The listening sshd and every process below it (the sessions).
    pid_t sshd_pid() const;
    std::vector<pid_t> session_pids() const;
    // Lines of DIR/ssh/sshd.log containing `text`.
    int log_lines_with(const std::string& text) const;

  private:
    std::filesystem::path m_dir;
    int m_port = 0;
};

// Runs a local command (argv, no shell) and fails the test unless it exits 0.
std::string must_run(const std::vector<std::string>& argv);

// `ssh-keygen -lf FILE`'s SHA256:... fingerprint: an independent reference.
std::string keygen_fingerprint(const std::filesystem::path& public_key);

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

// Processes whose command line contains `marker`.
std::vector<pid_t> processes_with(const std::string& marker);
std::vector<pid_t> descendants_of(pid_t pid);

// A port on 127.0.0.1 with nothing listening (bound, then released).
int unused_port();

// A long-running local program (stdin/stdout from /dev/null), SIGTERMed and
// reaped by pid when the object dies.
class ChildProcess {
  public:
    explicit ChildProcess(std::vector<std::string> argv);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

  private:
    pid_t m_pid = -1;
};

// A second sshd beside the fixture's, with only an RSA host key: the kind of
// server libssh2 1.10 cannot verify.
class RsaOnlySshd {
  public:
    explicit RsaOnlySshd(const SshdFixture& base);
    int port() const { return m_port; }

  private:
    int m_port = 0;
    std::unique_ptr<ChildProcess> m_sshd;
};

// An ssh-agent started in the foreground (-D) on its own socket; killed by pid.
class SshAgent {
  public:
    explicit SshAgent(const std::filesystem::path& socket);
    ~SshAgent() = default;
    SshAgent(const SshAgent&) = delete;
    SshAgent& operator=(const SshAgent&) = delete;

    const std::filesystem::path& socket() const { return m_socket; }
    // ssh-add KEY, answering its passphrase prompt through SSH_ASKPASS.
    void add(const std::filesystem::path& key, const std::string& passphrase) const;

  private:
    std::filesystem::path m_socket;
    ChildProcess m_agent;
};

// Sets (or unsets, with nullopt) an environment variable for one scope.
class ScopedEnv {
  public:
    ScopedEnv(std::string name, const std::optional<std::string>& value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

  private:
    std::string m_name;
    std::optional<std::string> m_saved;
};

} // namespace smo::integration
