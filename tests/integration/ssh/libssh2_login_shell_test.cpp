// The login shell paid once per session (src/adapters/libssh2_login_env.hpp),
// against a real OpenSSH sshd whose user has a profile that counts its runs.
#include "smo/adapters/libssh2_remote_shell.hpp"
#include "ssh/sshd_fixture.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <sstream>

using namespace smo;
using namespace smo::integration;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

namespace {

// An sshd whose user's ~/.bash_profile appends a line to a counter file,
// prints a greeting, exports a variable and puts a directory of its own on
// PATH (as nvm does): everything a command may need from the login shell.
struct WithProfile {
    ScopedEnv agent{"SSH_AUTH_SOCK", std::nullopt};
    ScopedEnv passphrase{"SMO_SSH_PASSPHRASE", std::nullopt};
    SshdFixture sshd;
    Libssh2RemoteShell shell;

    explicit WithProfile(const std::string& extra_profile = "") {
        const auto home = sshd.ssh_dir() / "home";
        std::filesystem::create_directories(home / "tools");
        write_file(home / "tools" / "nodeish", "#!/bin/sh\necho nodeish-ran\n");
        std::filesystem::permissions(home / "tools" / "nodeish", std::filesystem::perms::owner_all);
        write_file(home / ".bash_profile", "echo run >> \"$HOME/profile-runs\"\n"
                                           "echo 'Welcome to the target'\n"
                                           "export SMO_FROM_PROFILE='set by the profile'\n"
                                           "export PATH=\"$HOME/tools:$PATH\"\n" +
                                               extra_profile);
    }

    int profile_runs() const {
        std::istringstream lines(read_file(sshd.ssh_dir() / "home" / "profile-runs"));
        int count = 0;
        for (std::string line; std::getline(lines, line);) {
            ++count;
        }
        return count;
    }

    SshTarget target(const std::string& remote_shell = "bash -lc") const {
        SshTarget target = sshd.target();
        target.remote_shell = remote_shell;
        return target;
    }
};

} // namespace

TEST_CASE("ssh: the login profile runs once per session and every command gets its environment",
          "[ssh][login]") {
    WithProfile ssh;
    ssh.shell.connect(ssh.target());
    for (int i = 0; i < 5; ++i) {
        CommandResult result =
            ssh.shell.run("printf '%s|' \"$SMO_FROM_PROFILE\"; nodeish", seconds(20));
        INFO("command " << i << ": " << result.err);
        CHECK(result.succeeded());
        // The profile's greeting is not mixed into any command's output.
        CHECK(result.out == "set by the profile|nodeish-ran\n");
    }
    CHECK(ssh.profile_runs() == 1);

    // A new session pays its login shell again, once.
    ssh.shell.disconnect();
    ssh.shell.connect(ssh.target());
    CHECK(ssh.shell.run("nodeish", seconds(20)).out == "nodeish-ran\n");
    CHECK(ssh.shell.run("nodeish", seconds(20)).out == "nodeish-ran\n");
    CHECK(ssh.profile_runs() == 2);
}

TEST_CASE("ssh: exit codes, signals and timeouts are the same after the login shell is paid",
          "[ssh][login]") {
    WithProfile ssh;
    ssh.shell.connect(ssh.target());
    CHECK(ssh.shell.run("exit 3", seconds(20)).exit_status == 3);
    CHECK(ssh.shell.run("kill -9 $$", seconds(20)).exit_signal == "KILL");
    CommandResult slow = ssh.shell.run("sleep 30", seconds(1));
    CHECK(slow.timed_out);
    CommandResult both = ssh.shell.run("echo out; echo err >&2; exit 4", seconds(20));
    CHECK(both.out == "out\n");
    CHECK(both.err == "err\n");
    CHECK(both.exit_status == 4);
    CHECK(ssh.profile_runs() == 1);
}

TEST_CASE("ssh: a profile that hangs times out the first command and not the session",
          "[ssh][login]") {
    WithProfile ssh(
        "if [ ! -e \"$HOME/hung-once\" ]; then touch \"$HOME/hung-once\"; sleep 30; fi\n");
    ssh.shell.connect(ssh.target());
    const auto start = Clock::now();
    CommandResult first = ssh.shell.run("echo never", seconds(2));
    CHECK(Clock::now() - start < seconds(15));
    CHECK(first.timed_out);
    CHECK(first.out.find("never") == std::string::npos);
    // The next command tries the login shell again, and it answers this time.
    CHECK(ssh.shell.run("nodeish", seconds(20)).out == "nodeish-ran\n");
    CHECK(ssh.shell.run("nodeish", seconds(20)).out == "nodeish-ran\n");
    CHECK(ssh.profile_runs() == 2);
}

TEST_CASE("ssh: a remote_shell without a login option never runs the profile", "[ssh][login]") {
    WithProfile ssh;
    ssh.shell.connect(ssh.target("bash -c"));
    CommandResult result = ssh.shell.run("printf '%s' \"${SMO_FROM_PROFILE-unset}\"", seconds(20));
    CHECK(result.out == "unset");
    CHECK_FALSE(std::filesystem::exists(ssh.sshd.ssh_dir() / "home" / "profile-runs"));
}
