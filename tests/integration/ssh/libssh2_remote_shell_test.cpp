// Libssh2RemoteShell against a real OpenSSH sshd on loopback: connecting,
// host keys and authentication. Commands: libssh2_remote_shell_commands_test.cpp.
#include "smo/adapters/libssh2_remote_shell.hpp"
#include "smo/errors.hpp"
#include "ssh/sshd_fixture.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <sstream>
#include <sys/stat.h>

using namespace smo;
using namespace smo::integration;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// Connects and runs `echo hi`: the proof that a connection is fully usable.
void expect_echo_hi(const SshTarget& target) {
    Libssh2RemoteShell shell;
    shell.connect(target);
    CommandResult result = shell.run("echo hi", std::chrono::seconds(20));
    CHECK(result.out == "hi\n");
    CHECK(result.succeeded());
    shell.disconnect();
}

// The TransportError text of a connect that must fail.
std::string connect_error(const SshTarget& target) {
    Libssh2RemoteShell shell;
    try {
        shell.connect(target);
    } catch (const TransportError& error) {
        return error.what();
    }
    FAIL("connect() succeeded but should have been refused");
    return {};
}

// The base64 field of an OpenSSH .pub file.
std::string public_key_base64(const std::filesystem::path& pub) {
    std::istringstream words(read_file(pub));
    std::string type;
    std::string key;
    words >> type >> key;
    return key;
}

// Every test starts with no agent and no passphrase from the caller's shell.
struct CleanEnv {
    ScopedEnv agent{"SSH_AUTH_SOCK", std::nullopt};
    ScopedEnv passphrase{"SMO_SSH_PASSPHRASE", std::nullopt};
};

// A passphrase-protected ed25519 key in the fixture, authorised on the server.
std::filesystem::path make_locked_key(const SshdFixture& sshd, const std::string& passphrase) {
    std::filesystem::path key = sshd.ssh_dir() / "locked_ed25519";
    must_run({"ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "locked", "-f", key});
    write_file(sshd.ssh_dir() / "authorized_keys",
               read_file(sshd.ssh_dir() / "authorized_keys") + read_file(key.string() + ".pub"));
    return key;
}

} // namespace

TEST_CASE("ssh: an authorised ed25519 key runs a command with ed25519-only known_hosts and an "
          "ecdsa+ed25519 server",
          "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    REQUIRE(std::filesystem::exists(sshd.ssh_dir() / "ssh_host_ecdsa_key.pub"));
    REQUIRE_THAT(read_file(sshd.known_hosts()), Contains(" ssh-ed25519 "));
    REQUIRE_THAT(read_file(sshd.known_hosts()), !Contains("ecdsa"));
    expect_echo_hi(sshd.target());
}

TEST_CASE("ssh: an ECDSA user key works, and so does an ecdsa-only or hashed known_hosts",
          "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    expect_echo_hi(sshd.target("user_ecdsa"));

    write_file(sshd.known_hosts(),
               "[127.0.0.1]:" + std::to_string(sshd.port()) + " ecdsa-sha2-nistp256 " +
                   public_key_base64(sshd.ssh_dir() / "ssh_host_ecdsa_key.pub") + "\n");
    expect_echo_hi(sshd.target());

    write_file(sshd.known_hosts(),
               "[127.0.0.1]:" + std::to_string(sshd.port()) + " ssh-ed25519 " +
                   public_key_base64(sshd.ssh_dir() / "ssh_host_ed25519_key.pub") + "\n");
    must_run({"ssh-keygen", "-q", "-H", "-f", sshd.known_hosts()});
    REQUIRE_THAT(read_file(sshd.known_hosts()), StartsWith("|1|"));
    expect_echo_hi(sshd.target());
}

TEST_CASE("ssh: a passphrase-protected key works through ssh-agent", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    std::filesystem::path key = make_locked_key(sshd, "pass phrase");
    SshAgent agent(sshd.dir() / "agent.sock");
    agent.add(key, "pass phrase");
    ScopedEnv agent_socket("SSH_AUTH_SOCK", agent.socket().string());
    SshTarget target = sshd.target("no_such_key");
    target.use_agent = true;
    expect_echo_hi(target);

    // The same agent with use_agent off: only the missing file is left.
    target.use_agent = false;
    std::string error = connect_error(target);
    CHECK_THAT(error, Contains("ssh-agent (disabled)"));
    CHECK_THAT(error, Contains("no_such_key (no such file)"));
}

TEST_CASE("ssh: a passphrase-protected key works with SMO_SSH_PASSPHRASE and fails clearly "
          "without it",
          "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    std::filesystem::path key = make_locked_key(sshd, "s3cret");
    SshTarget target = sshd.target("locked_ed25519");
    {
        ScopedEnv passphrase("SMO_SSH_PASSPHRASE", "s3cret");
        expect_echo_hi(target);
    }
    std::string missing = connect_error(target);
    CHECK_THAT(missing, Contains("authentication failed"));
    CHECK_THAT(missing, Contains("encrypted: set SMO_SSH_PASSPHRASE"));
    ScopedEnv wrong("SMO_SSH_PASSPHRASE", "not it");
    CHECK_THAT(connect_error(target), Contains("SMO_SSH_PASSPHRASE is wrong"));
}

TEST_CASE("ssh: a configured identity file is tried before the agent's many keys", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    // Seven keys the server does not know: tried first, they would use up
    // sshd's MaxAuthTries (6) before the identity file got its turn.
    SshAgent agent(sshd.dir() / "agent.sock");
    for (int i = 0; i < 7; ++i) {
        const std::filesystem::path key = sshd.dir() / ("agent_key_" + std::to_string(i));
        must_run({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "agent", "-f", key});
        agent.add(key, "");
    }
    ScopedEnv agent_socket("SSH_AUTH_SOCK", agent.socket().string());
    SshTarget target = sshd.target();
    target.use_agent = true;
    expect_echo_hi(target);
    CHECK(sshd.log_lines_with("Accepted publickey") == 1);
}

TEST_CASE("ssh: a key the server does not know is refused, naming what was tried", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    SshTarget target = sshd.target("other_ed25519");
    std::string error = connect_error(target);
    CHECK_THAT(error, Contains("authentication failed"));
    CHECK_THAT(error, Contains(target.user + "@127.0.0.1:" + std::to_string(sshd.port())));
    CHECK_THAT(error, Contains("other_ed25519 (refused by the server)"));
    CHECK_THAT(error, Contains("ssh-agent (disabled)"));
    CHECK_THAT(error, !Contains("RSA"));
}

TEST_CASE("ssh: an RSA key is explained: libssh2 1.10 cannot sign with rsa-sha2", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    std::string error = connect_error(sshd.target("user_rsa"));
    CHECK_THAT(error, Contains("authentication failed"));
    CHECK_THAT(error, Contains("RSA keys cannot be used here"));
    CHECK_THAT(error, Contains("use an ed25519 or ECDSA key"));
}

TEST_CASE("ssh: RSA host keys are explained: libssh2 1.10 cannot verify rsa-sha2", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    RsaOnlySshd rsa_only(sshd);
    SshTarget target = sshd.target();
    target.port = rsa_only.port();
    target.accept_new_host_key = true; // even trust-on-first-use cannot help
    std::string handshake = connect_error(target);
    CHECK_THAT(handshake, Contains("handshake with 127.0.0.1:" + std::to_string(target.port)));
    CHECK_THAT(handshake, Contains("cannot verify rsa-sha2 host keys"));

    // A known_hosts with only the RSA key is reported before even connecting.
    write_file(sshd.known_hosts(), "[127.0.0.1]:" + std::to_string(target.port) + " ssh-rsa " +
                                       public_key_base64(sshd.ssh_dir() / "ssh_host_rsa_key.pub") +
                                       "\n");
    target.accept_new_host_key = false;
    std::string known = connect_error(target);
    CHECK_THAT(known, Contains("lists only RSA/DSA host keys"));
    CHECK_THAT(known, Contains("ssh-keyscan -t ed25519"));
}

TEST_CASE("ssh: a changed host key is refused with both fingerprints", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    // Same host and type, another key: what a man-in-the-middle would look like.
    write_file(sshd.known_hosts(), "[127.0.0.1]:" + std::to_string(sshd.port()) + " ssh-ed25519 " +
                                       public_key_base64(sshd.ssh_dir() / "other_ed25519.pub") +
                                       "\n");
    std::string error = connect_error(sshd.target());
    CHECK_THAT(error, Contains("[127.0.0.1]:" + std::to_string(sshd.port()) + " has CHANGED"));
    CHECK_THAT(error, Contains("known_hosts says ssh-ed25519 " +
                               keygen_fingerprint(sshd.ssh_dir() / "other_ed25519.pub")));
    CHECK_THAT(error, Contains("server offers " +
                               keygen_fingerprint(sshd.ssh_dir() / "ssh_host_ed25519_key.pub")));
    CHECK_THAT(error, Contains("remove the old line from " + sshd.known_hosts()));
    CHECK(sshd.log_lines_with("Accepted publickey") == 0);
}

TEST_CASE("ssh: an unknown host is refused unless accept_new_host_key, which records it", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    SshTarget target = sshd.target();
    const std::filesystem::path fresh = sshd.dir() / "new-home" / ".ssh" / "known_hosts";
    target.known_hosts_file = fresh.string();

    std::string error = connect_error(target);
    CHECK_THAT(error, Contains("[127.0.0.1]:" + std::to_string(sshd.port()) + " is not in"));
    CHECK_THAT(error, Contains("--accept-new-host-key"));
    CHECK_THAT(error, Contains(keygen_fingerprint(sshd.ssh_dir() / "ssh_host_ed25519_key.pub")));
    CHECK_FALSE(std::filesystem::exists(fresh));

    write_file(sshd.known_hosts(), ""); // an empty file is just as unknown
    CHECK_THAT(connect_error(sshd.target()), Contains("is not in"));

    target.accept_new_host_key = true;
    expect_echo_hi(target);
    CHECK(read_file(fresh) == "[127.0.0.1]:" + std::to_string(sshd.port()) + " ssh-ed25519 " +
                                  public_key_base64(sshd.ssh_dir() / "ssh_host_ed25519_key.pub") +
                                  "\n");
    struct stat info {};
    REQUIRE(::stat(fresh.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(::stat(fresh.parent_path().c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);

    target.accept_new_host_key = false;
    expect_echo_hi(target);
    CHECK(read_file(fresh).size() == read_file(fresh).find('\n') + 1); // still one line
}

TEST_CASE("ssh: accepting a new host key logs its SHA256 fingerprint", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    SshTarget target = sshd.target();
    target.known_hosts_file = (sshd.dir() / "tofu-home" / ".ssh" / "known_hosts").string();
    target.accept_new_host_key = true;
    auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(32);
    const auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("tofu", sink));
    expect_echo_hi(target);
    spdlog::set_default_logger(previous);
    std::string logged;
    for (const std::string& line : sink->last_formatted()) {
        logged += line;
    }
    CHECK_THAT(logged, Contains(keygen_fingerprint(sshd.ssh_dir() / "ssh_host_ed25519_key.pub")));
    CHECK_THAT(logged, Contains("--accept-new-host-key"));
}

TEST_CASE("ssh: a host key on an @revoked known_hosts line is refused", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    const std::string key = public_key_base64(sshd.ssh_dir() / "ssh_host_ed25519_key.pub");
    const std::string name = "[127.0.0.1]:" + std::to_string(sshd.port());
    // The plain line alone would match; the revocation must win.
    write_file(sshd.known_hosts(),
               name + " ssh-ed25519 " + key + "\n@revoked * ssh-ed25519 " + key + " old-key\n");
    const std::string error = connect_error(sshd.target());
    CHECK_THAT(error, Contains("@revoked"));
    CHECK_THAT(error, Contains(keygen_fingerprint(sshd.ssh_dir() / "ssh_host_ed25519_key.pub")));
    CHECK(sshd.log_lines_with("Accepted publickey") == 0);
    // And with --accept-new-host-key it is not added back either.
    SshTarget target = sshd.target();
    target.accept_new_host_key = true;
    write_file(sshd.known_hosts(), "@revoked * ssh-ed25519 " + key + "\n");
    CHECK_THAT(connect_error(target), Contains("@revoked"));
}

TEST_CASE("ssh: a port with nothing listening fails within seconds, naming address:port", "[ssh]") {
    CleanEnv env;
    SshdFixture sshd;
    SshTarget target = sshd.target();
    target.port = unused_port();
    const auto start = std::chrono::steady_clock::now();
    std::string error = connect_error(target);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK_THAT(error, Contains("127.0.0.1:" + std::to_string(target.port)));
}
