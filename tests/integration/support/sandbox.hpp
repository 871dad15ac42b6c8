#pragma once

#include "support/process.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

// The sandbox target (scripts/sandbox/, scripts/sandbox/README.md) for one integration test: up
// in the constructor, down (and removed) in the destructor. Each instance has
// its own directory, ports, sshd and PM2 daemon, so tests may run in parallel.
namespace smo::integration {

struct HttpResponse {
    int status = 0; // 0: nothing answered (refused, reset or timed out)
    std::string body;
};

struct Pm2Process {
    bool found = false; // a process named PM2_NAME exists in the daemon
    int pid = 0;        // 0 when it is not running
    int restarts = 0;   // pm2_env.restart_time
    std::string status; // online, errored, stopped, launching...
};

class Sandbox {
  public:
    // Runs `sandbox.sh up DIR options...` in a fresh mktemp -d /tmp/smo.XXXXXX.
    // Throws std::runtime_error with the script's output when `up` fails (after
    // tearing the partial sandbox down).
    explicit Sandbox(const std::vector<std::string>& options = {});
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    const std::filesystem::path& dir() const { return m_dir; }
    // A key of DIR/sandbox.env (APP_PORT, LIVE_PATH, COMMIT_V1_2_0...); throws
    // std::out_of_range naming the key when it is absent.
    const std::string& value(const std::string& key) const;
    const std::map<std::string, std::string>& values() const { return m_values; }
    std::filesystem::path operator_dir() const { return value("OPERATOR_DIR"); }
    std::filesystem::path live_path() const { return value("LIVE_PATH"); }

    // Runs SMO_BINARY with cwd = the operator clone. The environment is the
    // test's, plus TELEGRAM_BOT_TOKEN and SMO_TELEGRAM_API of the sandbox,
    // HOME = DIR/home (no ~/.ssh/config of the machine leaks in), NO_COLOR=1,
    // no SSH_AUTH_SOCK; `extra_env` comes last and wins.
    // What run_binary runs, for tests that start the binary themselves
    // (spawn_process) to act while it runs.
    ProcessSpec binary_spec(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& extra_env = {}) const;

    ProcessResult run_binary(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& extra_env = {},
                             std::optional<std::string> stdin_text = std::nullopt) const;

    // Runs `bash -lc command` on the target — which is this machine — in the
    // live tree, with the sandbox's PM2_HOME and npm cache, as an SSH session
    // of the sandbox would.
    ProcessResult remote(const std::string& command) const;

    // GET /api/health of the app (raw socket, 3 s timeout).
    HttpResponse health() const;
    // GET of any path on the app's port.
    HttpResponse http_get(const std::string& path) const;

    // The PM2 process of the app, from `pm2 jlist`. Must not be called after
    // down(): any pm2 call starts a daemon.
    Pm2Process pm2_describe() const;

    // Pids of the sandbox's sshd and PM2 daemon (0 when not running).
    int sshd_pid() const;
    int pm2_daemon_pid() const;

    // Stops everything and removes DIR; the destructor does it if not done.
    // Returns the output of `sandbox.sh down`; throws if it failed.
    ProcessResult down();

  private:
    std::filesystem::path m_dir;
    std::map<std::string, std::string> m_values;
    bool m_down = false;
};

// Parses KEY=VALUE lines (blank lines and # comments skipped).
std::map<std::string, std::string> parse_env_lines(const std::string& text);

// A plain HTTP/1.0 GET to 127.0.0.1:port.
HttpResponse http_get_local(int port, const std::string& path, int timeout_ms = 3000);

} // namespace smo::integration
