#include "smo/config.hpp"
#include "smo/errors.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace smo {
namespace {

const std::string k_file = ".smorch/project.json";

// docs/configuration.md's fleet example.
nlohmann::json fleet() {
    return nlohmann::json::parse(R"({"project": "eo-mena", "deploy": {"production": {
      "path": "/opt/apps/eo-mena", "pm2_name": "eo-main",
      "health_url": "https://eo.me/api/health",
      "ssh": {"user": "deploy", "port": 22},
      "hosts": [
        {"name": "web-1", "tailscale_ip": "100.89.1.1",
         "health_url": "http://100.89.1.1:3000/api/health"},
        {"name": "web-2", "tailscale_ip": "100.89.1.2",
         "health_url": "http://100.89.1.2:3000/api/health", "path": "/srv/eo-mena",
         "ssh": {"port": 2222}}
      ],
      "rollback": {"parallel": 4, "migrations_host": "web-2", "settle_seconds": 5}}}})");
}

ProjectConfig parse(const nlohmann::json& json) {
    return parse_project_config(json.dump(), k_file, "production");
}

std::string error_of(const nlohmann::json& json) {
    try {
        parse(json);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("config hosts: each entry is the environment with its overrides", "[config][fleet]") {
    const ProjectConfig config = parse(fleet());
    REQUIRE(config.hosts.size() == 2);
    const auto& web1 = config.hosts[0];
    const auto& web2 = config.hosts[1];
    CHECK(web1.name == "web-1");
    CHECK(web1.env.name == "production");
    CHECK(web1.env.tailscale_ip == "100.89.1.1");
    CHECK(web1.env.path == "/opt/apps/eo-mena");
    CHECK(web1.env.health_url == "http://100.89.1.1:3000/api/health");
    CHECK(web1.env.ssh.port == 22);
    CHECK(web2.env.path == "/srv/eo-mena");
    CHECK(web2.env.ssh.port == 2222);
    CHECK(web2.env.ssh.user == "deploy"); // the rest of ssh inherited
    CHECK(web2.env.pm2_name == "eo-main");
    CHECK(web2.env.rollback.settle_seconds == 5);
    CHECK(web2.env.rollback.parallel == 4);
    CHECK(web2.env.rollback.migrations_host == "web-2");
    CHECK(config.env.tailscale_ip == "100.89.1.1"); // the first host stands for the env
}

TEST_CASE("config hosts: no hosts key is one host, exactly as before", "[config][fleet]") {
    nlohmann::json json = fleet();
    auto& env = json["deploy"]["production"];
    env.erase("hosts");
    env["host"] = "eo-prod";
    const ProjectConfig config = parse(json);
    CHECK(config.hosts.empty());
    CHECK(config.env.host == "eo-prod");
    CHECK(config.env.rollback.parallel == 4);
}

TEST_CASE("config hosts: an entry's address replaces the environment's", "[config][fleet]") {
    nlohmann::json json = fleet();
    json["deploy"]["production"]["tailscale_ip"] = "100.64.0.9";
    json["deploy"]["production"]["hosts"][1].erase("tailscale_ip");
    json["deploy"]["production"]["hosts"][1]["host"] = "web-2-alias";
    const ProjectConfig config = parse(json);
    CHECK(config.hosts[1].env.host == "web-2-alias");
    CHECK(config.hosts[1].env.tailscale_ip.empty());
}

TEST_CASE("config hosts: errors name the host entry or the environment key", "[config][fleet]") {
    nlohmann::json json = fleet();
    json["deploy"]["production"]["hosts"][1]["ssh"]["port"] = 0;
    CHECK(error_of(json).find("deploy.production.hosts[1].ssh.port: expected an integer") !=
          std::string::npos);

    json = fleet();
    json["deploy"]["production"]["hosts"][0].erase("name");
    CHECK(error_of(json).find("deploy.production.hosts[0].name: required key is missing") !=
          std::string::npos);

    json = fleet();
    json["deploy"]["production"]["hosts"][1]["name"] = "web-1";
    CHECK(error_of(json).find("\"web-1\" names two hosts") != std::string::npos);

    json = fleet();
    json["deploy"]["production"]["hosts"] = nlohmann::json::array();
    CHECK(error_of(json).find("deploy.production.hosts: expected a non-empty array") !=
          std::string::npos);

    json = fleet();
    json["deploy"]["production"]["rollback"]["migrations_host"] = "db-1";
    CHECK(error_of(json).find("deploy.production.rollback.migrations_host: \"db-1\" is none of "
                              "the hosts (web-1, web-2)") != std::string::npos);

    // A bad key of the environment itself is named where it is.
    json = fleet();
    json["deploy"]["production"]["rollback"]["settle_seconds"] = "ten";
    CHECK(error_of(json).find("deploy.production.rollback.settle_seconds") != std::string::npos);

    json = fleet();
    json["deploy"]["production"]["rollback"]["parallel"] = 0;
    CHECK(error_of(json).find("deploy.production.rollback.parallel") != std::string::npos);

    json = fleet();
    json["deploy"]["production"]["hosts"][0].erase("tailscale_ip");
    CHECK(error_of(json).find("deploy.production.hosts[0]: required key is missing; expected "
                              "\"tailscale_ip\" or \"host\"") != std::string::npos);
}

} // namespace smo
