// Libssh2RemoteShell::run against a real OpenSSH sshd on loopback: exit
// status, signals, large output, timeouts, quoting and a lost link.
#include "smo/adapters/libssh2_remote_shell.hpp"
#include "smo/errors.hpp"
#include "ssh/sshd_fixture.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <pthread.h>
#include <random>
#include <thread>

using namespace smo;
using namespace smo::integration;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

namespace {

std::string random_marker() {
    std::random_device device;
    return "smo-marker-" + std::to_string(device()) + std::to_string(device());
}

// Waits up to `limit` for `condition`.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit) {
    const auto until = Clock::now() + limit;
    while (!condition()) {
        if (Clock::now() >= until) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

// A helper thread that is always stopped and joined, even when the test body
// throws (a joinable std::thread would call std::terminate and skip the
// fixture's clean-up, leaving sshd running).
class Helper {
  public:
    template <typename Body>
    explicit Helper(Body body) : m_thread([this, body] { body(m_stop); }) {}
    ~Helper() { join(); }
    Helper(const Helper&) = delete;
    Helper& operator=(const Helper&) = delete;

    void join() {
        m_stop = true;
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }

  private:
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

// Signals every process of the fixture's sessions (not the listener).
void signal_sessions(const SshdFixture& sshd, int signal) {
    for (pid_t pid : sshd.session_pids()) {
        ::kill(pid, signal);
    }
}

// An sshd, a connected shell, and no agent or passphrase from the caller.
struct Connected {
    ScopedEnv agent{"SSH_AUTH_SOCK", std::nullopt};
    ScopedEnv passphrase{"SMO_SSH_PASSPHRASE", std::nullopt};
    SshdFixture sshd;
    Libssh2RemoteShell shell;

    explicit Connected(int keepalive_seconds = 15) {
        SshTarget target = sshd.target();
        target.keepalive_seconds = keepalive_seconds;
        shell.connect(target);
    }
    // A test that froze the sessions (SIGSTOP) and failed half-way must not
    // leave them stopped: continued, they see the connection close and exit.
    ~Connected() { signal_sessions(sshd, SIGCONT); }
    Connected(const Connected&) = delete;
    Connected& operator=(const Connected&) = delete;
};

} // namespace

TEST_CASE("ssh: a non-zero exit is a result, not an error", "[ssh]") {
    Connected ssh;
    CommandResult result = ssh.shell.run("echo out; echo err >&2; exit 7", seconds(20));
    CHECK(result.exit_status == 7);
    CHECK(result.exit_signal.empty());
    CHECK_FALSE(result.timed_out);
    CHECK_FALSE(result.succeeded());
    CHECK(result.out == "out\n");
    CHECK(result.err == "err\n");
}

TEST_CASE("ssh: a command killed by a signal reports the signal", "[ssh]") {
    Connected ssh;
    CommandResult result = ssh.shell.run("kill -9 $$", seconds(20));
    CHECK(result.exit_signal == "KILL");
    CHECK_FALSE(result.timed_out);
    CHECK_FALSE(result.succeeded());
}

TEST_CASE("ssh: a channel that ends its output but never closes is not an exit 0", "[ssh]") {
    // The login shell closes its output and lives on: the server sends EOF at
    // once, but neither an exit status nor its close for 8 s, longer than the
    // client waits for the close. (remote_shell words go out unquoted; that
    // is what lets this test build such a command.)
    ScopedEnv agent{"SSH_AUTH_SOCK", std::nullopt};
    SshdFixture sshd;
    SshTarget target = sshd.target();
    target.remote_shell = "true ; exec >&- 2>&- ; sleep 8 ; true";
    Libssh2RemoteShell shell;
    shell.connect(target);
    const CommandResult result = shell.run("echo never", seconds(20));
    CHECK(result.exit_status != 0);
    CHECK_FALSE(result.succeeded());
}

TEST_CASE("ssh: 5 MB on stdout and 1 MB on stderr at once are read in full", "[ssh]") {
    Connected ssh;
    CommandResult result = ssh.shell.run(
        "head -c 5000000 /dev/zero | tr '\\0' o & head -c 1000000 /dev/zero | tr '\\0' e >&2; wait",
        seconds(60));
    REQUIRE(result.succeeded());
    CHECK(result.out.size() == 5000000);
    CHECK(result.err.size() == 1000000);
    CHECK(result.out.find_first_not_of('o') == std::string::npos);
    CHECK(result.err.find_first_not_of('e') == std::string::npos);
}

TEST_CASE("ssh: output past the cap keeps its tail and says what was dropped", "[ssh]") {
    Connected ssh;
    const std::size_t total = Libssh2RemoteShell::k_max_output_bytes + 1000000;
    CommandResult result = ssh.shell.run("head -c " + std::to_string(total - 4) +
                                             " /dev/zero | tr '\\0' x; printf TAIL",
                                         seconds(60));
    REQUIRE(result.succeeded());
    CHECK_THAT(result.out, StartsWith("[smo: first 1000000 bytes of stdout dropped"));
    CHECK_THAT(result.out, EndsWith("xxTAIL"));
    CHECK(result.out.size() < Libssh2RemoteShell::k_max_output_bytes + 100);
}

TEST_CASE("ssh: a hung command times out and does not survive on the server", "[ssh]") {
    Connected ssh;
    const std::string marker = random_marker();
    const auto start = Clock::now();
    // The child outlives its parent shell unless the whole process group dies.
    CommandResult result =
        ssh.shell.run("bash -c 'exec -a " + marker + " sleep 300'; echo after", seconds(2));
    CHECK(Clock::now() - start < seconds(10));
    CHECK(result.timed_out);
    CHECK_FALSE(result.succeeded());
    CHECK(result.out.find("after") == std::string::npos);
    CHECK(eventually([&] { return processes_with(marker).empty(); }, std::chrono::seconds(5)));

    // The session is still good for the next command.
    CHECK(ssh.shell.run("echo still here", seconds(20)).out == "still here\n");
}

TEST_CASE("ssh: Ctrl-C lets the running command finish, even as signals interrupt the wait",
          "[ssh]") {
    Connected ssh;
    std::atomic<bool> interrupted{true}; // as after Ctrl-C
    ssh.shell.set_interrupt_flag(&interrupted);
    struct sigaction quiet {};
    struct sigaction saved {};
    quiet.sa_handler = [](int) {};
    ::sigaction(SIGUSR1, &quiet, &saved); // no SA_RESTART: poll() sees EINTR
    const pthread_t runner = ::pthread_self();
    CommandResult result;
    {
        Helper pester([runner](const std::atomic<bool>& stop) {
            while (!stop) {
                ::pthread_kill(runner, SIGUSR1);
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
        try {
            result = ssh.shell.run("sleep 1; echo finished", seconds(20));
        } catch (...) {
            pester.join();
            ::sigaction(SIGUSR1, &saved, nullptr);
            throw;
        }
    }
    ::sigaction(SIGUSR1, &saved, nullptr);
    CHECK(result.succeeded());
    CHECK(result.out == "finished\n");
}

TEST_CASE("ssh: one session serves several commands", "[ssh]") {
    Connected ssh;
    for (int i = 0; i < 4; ++i) {
        CommandResult result = ssh.shell.run("echo run-" + std::to_string(i), seconds(20));
        CHECK(result.out == "run-" + std::to_string(i) + "\n");
    }
    CHECK(ssh.sshd.log_lines_with("Accepted publickey") == 1);
}

TEST_CASE("ssh: quotes, $VAR and backticks reach the login shell exactly as given", "[ssh]") {
    Connected ssh;
    const std::string command = "V=val; printf '%s|' 'single $V' \"double $V\" `echo back` "
                                "'it'\\''s' \"$(printf '%s' \"a b\")\"";
    CommandResult result = ssh.shell.run(command, seconds(20));
    CHECK(result.err.empty());
    CHECK(result.out == "single $V|double val|back|it's|a b|");
}

TEST_CASE("ssh: a dropped link throws TransportError naming the command and the host", "[ssh]") {
    Connected ssh;
    Helper killer([&](const std::atomic<bool>& stop) {
        eventually([&] { return stop || !processes_with("sleep 30").empty(); },
                   std::chrono::seconds(10));
        signal_sessions(ssh.sshd, SIGKILL);
    });
    std::string error;
    try {
        ssh.shell.run("sleep 30; echo done", seconds(60));
    } catch (const TransportError& e) {
        error = e.what();
    }
    killer.join();
    CHECK_THAT(error, Contains("`sleep 30; echo done`"));
    CHECK_THAT(error, Contains("127.0.0.1:" + std::to_string(ssh.sshd.port())));
    CHECK_THAT(
        [&] {
            try {
                ssh.shell.run("echo again", seconds(5));
            } catch (const TransportError& e) {
                return std::string(e.what());
            }
            return std::string("no error");
        }(),
        Contains("not connected"));
}

TEST_CASE("ssh: a server that stops answering is detected by keepalives", "[ssh]") {
    Connected ssh(1);
    const std::string marker = random_marker();
    Helper freezer([&](const std::atomic<bool>& stop) {
        eventually([&] { return stop || !processes_with(marker).empty(); },
                   std::chrono::seconds(10));
        if (!stop) {
            signal_sessions(ssh.sshd, SIGSTOP);
        }
    });
    const auto start = Clock::now();
    std::string error;
    try {
        ssh.shell.run("bash -c 'exec -a " + marker + " sleep 60'", seconds(60));
    } catch (const TransportError& e) {
        error = e.what();
    }
    const auto took = Clock::now() - start;
    freezer.join();
    signal_sessions(ssh.sshd, SIGKILL);
    signal_sessions(ssh.sshd, SIGCONT);
    CHECK_THAT(error, Contains("keepalives"));
    CHECK(took < seconds(15));
}
