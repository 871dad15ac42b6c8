#include "smo/ssh_target.hpp"

#include <catch2/catch.hpp>

namespace smo {
namespace {

EnvironmentConfig env_with_host(const std::string& host) {
    EnvironmentConfig env;
    env.name = "production";
    env.host = host;
    env.path = "/opt/apps/eo";
    env.pm2_name = "eo";
    env.health_url = "http://127.0.0.1/health";
    return env;
}

const char* const k_ssh_config = R"(
Host eo-prod
    HostName eo-prod.tailnet.ts.net
    User cfg-user
    Port 2222
    IdentityFile ~/.ssh/cfg_key
    IdentityFile %d/.ssh/%r_%h
)";

} // namespace

TEST_CASE("project.json ssh settings come first", "[ssh_target]") {
    EnvironmentConfig env = env_with_host("eo-prod");
    env.ssh.user = "deploy";
    env.ssh.port = 22;
    env.ssh.identity_file = "~/.ssh/id_ed25519";
    env.ssh.known_hosts = "~/.ssh/known_hosts_eo";
    env.rollback.remote_shell = "zsh -lc";
    const SshTarget target = resolve_ssh_target(env, k_ssh_config, "/home/me", "me");
    CHECK(target.label == "eo-prod");
    CHECK(target.address == "eo-prod.tailnet.ts.net");
    CHECK(target.user == "deploy");
    CHECK(target.port == 22);
    CHECK(target.identity_files == std::vector<std::string>{"/home/me/.ssh/id_ed25519"});
    CHECK(target.known_hosts_file == "/home/me/.ssh/known_hosts_eo");
    CHECK(target.remote_shell == "zsh -lc");
    CHECK(target.use_agent);
    CHECK(target.identity_files_first);
    CHECK_FALSE(target.accept_new_host_key);
}

TEST_CASE("~/.ssh/config fills what project.json leaves out", "[ssh_target]") {
    const SshTarget target =
        resolve_ssh_target(env_with_host("eo-prod"), k_ssh_config, "/home/me", "me");
    CHECK(target.address == "eo-prod.tailnet.ts.net");
    CHECK(target.user == "cfg-user");
    CHECK(target.port == 2222);
    CHECK(target.identity_files ==
          std::vector<std::string>{"/home/me/.ssh/cfg_key",
                                   "/home/me/.ssh/cfg-user_eo-prod.tailnet.ts.net"});
    CHECK(target.identity_files_first);
    CHECK(target.known_hosts_file == "/home/me/.ssh/known_hosts");
    CHECK(target.remote_shell == "bash -lc");
}

TEST_CASE("defaults: local user, port 22, the standard key files", "[ssh_target]") {
    const SshTarget target = resolve_ssh_target(env_with_host("web1"), "", "/home/me", "me");
    CHECK(target.label == "web1");
    CHECK(target.address == "web1");
    CHECK(target.user == "me");
    CHECK(target.port == 22);
    CHECK(target.identity_files == std::vector<std::string>{"/home/me/.ssh/id_ed25519",
                                                            "/home/me/.ssh/id_ecdsa",
                                                            "/home/me/.ssh/id_rsa"});
    CHECK_FALSE(target.identity_files_first); // the agent first, then the usual files
}

TEST_CASE("tailscale_ip is the address when set", "[ssh_target]") {
    EnvironmentConfig env = env_with_host("eo-prod");
    env.tailscale_ip = "100.89.148.62";
    const SshTarget target = resolve_ssh_target(env, k_ssh_config, "/home/me", "me");
    CHECK(target.address == "100.89.148.62");
    CHECK(target.label == "eo-prod");
    CHECK(target.user == "cfg-user"); // the alias's block still applies
    CHECK(target.port == 2222);

    EnvironmentConfig ip_only = env_with_host("");
    ip_only.tailscale_ip = "100.64.0.7";
    const SshTarget by_ip =
        resolve_ssh_target(ip_only, "Host 100.64.*\n  User tail\n", "/home/me", "me");
    CHECK(by_ip.label == "100.64.0.7");
    CHECK(by_ip.address == "100.64.0.7");
    CHECK(by_ip.user == "tail");
}

} // namespace smo
