#include "smo/config_check.hpp"
#include "smo/errors.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace smo;

TEST_CASE("config check: edit distance", "[config-check]") {
    CHECK(edit_distance("strategy", "strategy") == 0);
    CHECK(edit_distance("strategey", "strategy") == 1);
    CHECK(edit_distance("rollback_sla_second", "rollback_sla_seconds") == 1);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("config check: typos in tool-owned sections and near-misses are named with the likely "
          "key",
          "[config-check]") {
    const char* const json = R"({
      "deploy": {
        "rollback_sla_second": 120,
        "production": {
          "path": "/opt/app", "pm2_name": "app", "health_url": "http://x/health",
          "rollback_sla_second": 90,
          "slack_channel": "#ops",
          "ssh": { "user": "deploy", "identty_file": "~/.ssh/id", "proxy": "x" },
          "rollback": { "strategey": "staged", "settle_seconds": 5,
                        "commands": { "instal": "npm ci", "migrate": "x" } }
        },
        "staging": { "rollback": { "strategey": "staged" } }
      }
    })";
    const auto warnings = config_warnings(json, "production");
    const std::vector<std::string> expected{
        "deploy.rollback_sla_second is not a key this tool knows; did you mean "
        "rollback_sla_seconds?",
        "deploy.production.rollback_sla_second is not a key this tool knows; did you mean "
        "rollback_sla_seconds?",
        "deploy.production.ssh.identty_file is not a key this tool knows; did you mean "
        "identity_file?",
        "deploy.production.ssh.proxy is not a key this tool knows (ignored)",
        "deploy.production.rollback.strategey is not a key this tool knows; did you mean "
        "strategy?",
        "deploy.production.rollback.commands.instal is not a key this tool knows; did you mean "
        "install?",
        "deploy.production.rollback.commands.migrate is not a key this tool knows (ignored)"};
    CHECK(warnings == expected); // slack_channel: another tool's key, not a near-miss
    CHECK(config_warnings("not json", "production").empty());
}

TEST_CASE("config check: a fleet's host entries are checked too", "[config-check]") {
    const char* const json = R"({
      "deploy": { "production": {
        "path": "/opt/app", "pm2_name": "app", "health_url": "http://x/health",
        "hosts": [
          { "name": "web-1", "tailscale_ip": "100.89.1.1" },
          { "name": "web-2", "helth_url": "http://web-2/health", "role": "x",
            "ssh": { "prot": 2222 } }
        ],
        "rollback": { "parallel": 2, "migrations_host": "web-1" }
      } }
    })";
    const std::vector<std::string> expected{
        "deploy.production.hosts[1].helth_url is not a key this tool knows; did you mean "
        "health_url?",
        "deploy.production.hosts[1].role is not a key this tool knows (ignored)",
        "deploy.production.hosts[1].ssh.prot is not a key this tool knows; did you mean port?"};
    CHECK(config_warnings(json, "production") == expected);
}

TEST_CASE("config check: a configured key file that is not there is an error naming the key",
          "[config-check]") {
    smo::test::TempDir home;
    home.write(".ssh/id_ed25519", "key");
    const std::string ok = R"({"deploy": {"production": {"ssh": {"identity_file":
        "~/.ssh/id_ed25519"}}}})";
    CHECK_NOTHROW(check_key_files(ok, "p.json", "production", home.path().string(), false));
    const std::string missing_key = R"({"deploy": {"production": {"ssh": {"identity_file":
        "~/.ssh/id_nope"}}}})";
    try {
        check_key_files(missing_key, "p.json", "production", home.path().string(), false);
        FAIL("no error");
    } catch (const ConfigError& error) {
        CHECK_THAT(error.what(), Catch::Contains("p.json: deploy.production.ssh.identity_file"));
        CHECK_THAT(error.what(), Catch::Contains(home.path().string() + "/.ssh/id_nope"));
    }
    const std::string missing_hosts = R"({"deploy": {"production": {"ssh": {"known_hosts":
        "/nonexistent/known_hosts"}}}})";
    CHECK_THROWS_AS(
        check_key_files(missing_hosts, "p.json", "production", home.path().string(), false),
        ConfigError);
    CHECK_NOTHROW(
        check_key_files(missing_hosts, "p.json", "production", home.path().string(), true));
}
