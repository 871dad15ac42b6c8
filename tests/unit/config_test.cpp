#include "smo/config.hpp"
#include "smo/errors.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace smo {
namespace {

const std::string k_file = ".smorch/project.json";

// docs/configuration.md's sample, verbatim, with keys of another tool mixed in.
const char* const k_full_sample = R"({
  "project": "eo-mena",
  "owner": "someone else's key",
  "deploy": {
    "rollback_sla_seconds": 120,
    "strategy_of_smo_deploy": {"whatever": true},
    "production": {
      "host": "eo-prod",
      "tailscale_ip": "100.89.148.62",
      "path": "/opt/apps/eo-mena",
      "pm2_name": "eo-main",
      "branch": "main",
      "health_url": "https://entrepreneursoasis.me/api/health",
      "rollback_sla_seconds": 90,
      "migration_reversibility": "auto",
      "smoke_tests": ["/", "/login"],
      "ssh": { "user": "deploy", "port": 22, "identity_file": "~/.ssh/id_ed25519",
               "known_hosts": "~/.ssh/known_hosts" },
      "rollback": {
        "strategy": "staged",
        "migrations_dir": "db/migrations",
        "env_files": [".env", ".env.local", ".env.production"],
        "keep": ["uploads", "public/uploads/", "storage"],
        "keep_releases": 5,
        "settle_seconds": 10,
        "health_timeout_seconds": 60,
        "health_stable_polls": 3,
        "remote_shell": "bash -lc",
        "commands": { "install": "npm ci --production", "build": "npm run build",
                      "db_rollback": "npm run db:rollback", "reload": "pm2 reload {pm2_name}" }
      }
    }
  },
  "telegram": { "chat_id": "311453473" }
})";

const char* const k_minimal = R"({"deploy": {"production": {
  "host": "eo-prod", "path": "/opt/apps/eo-mena", "pm2_name": "eo-main",
  "health_url": "http://127.0.0.1:3000/health"}}})";

nlohmann::json minimal() {
    return nlohmann::json::parse(k_minimal);
}

// set_dotted(j, "rollback.settle_seconds", v) sets j["rollback"]["settle_seconds"].
void set_dotted(nlohmann::json& json, const std::string& dotted, const nlohmann::json& value) {
    std::string pointer = "/" + dotted;
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    json[nlohmann::json::json_pointer(pointer)] = value;
}

ProjectConfig parse(const nlohmann::json& json, const std::string& env = "production") {
    return parse_project_config(json.dump(), k_file, env);
}

// The message of the ConfigError that parsing `json` throws.
std::string error_of(const nlohmann::json& json, const std::string& env = "production") {
    try {
        parse(json, env);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "(no error)";
}

std::string error_of_text(const std::string& text) {
    try {
        parse_project_config(text, k_file, "production");
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("the full documented sample parses to its values", "[config]") {
    const ProjectConfig config = parse_project_config(k_full_sample, k_file, "production");
    CHECK(config.project == "eo-mena");
    CHECK(config.telegram_chat_id == "311453473");
    const EnvironmentConfig& env = config.env;
    CHECK(env.name == "production");
    CHECK(env.host == "eo-prod");
    CHECK(env.tailscale_ip == "100.89.148.62");
    CHECK(env.path == "/opt/apps/eo-mena");
    CHECK(env.pm2_name == "eo-main");
    CHECK(env.branch == "main");
    CHECK(env.health_url == "https://entrepreneursoasis.me/api/health");
    CHECK(env.rollback_sla_seconds == 90); // the environment's value beats deploy's 120
    CHECK(env.migration_reversibility == Reversibility::automatic);
    CHECK(env.ssh.user == "deploy");
    CHECK(env.ssh.port == 22);
    CHECK(env.ssh.identity_file == "~/.ssh/id_ed25519");
    CHECK(env.ssh.known_hosts == "~/.ssh/known_hosts");
    CHECK(env.rollback.strategy == Strategy::staged);
    CHECK(env.rollback.migrations_dir == "db/migrations");
    CHECK(env.rollback.env_files ==
          std::vector<std::string>{".env", ".env.local", ".env.production"});
    CHECK(env.rollback.keep == std::vector<std::string>{"uploads", "public/uploads", "storage"});
    CHECK(env.rollback.keep_releases == 5);
    CHECK(env.rollback.settle_seconds == 10);
    CHECK(env.rollback.health_timeout_seconds == 60);
    CHECK(env.rollback.health_stable_polls == 3);
    CHECK(env.rollback.remote_shell == "bash -lc");
    CHECK(env.rollback.commands.install == "npm ci --production");
    CHECK(env.rollback.commands.reload == "pm2 reload {pm2_name}");
}

TEST_CASE("a minimal config takes every default", "[config]") {
    const ProjectConfig config = parse(minimal());
    const EnvironmentConfig& env = config.env;
    const EnvironmentConfig defaults;
    CHECK(config.project.empty());
    CHECK(config.telegram_chat_id.empty());
    CHECK(env.tailscale_ip.empty());
    CHECK(env.branch == "main");
    CHECK(env.rollback_sla_seconds == 90);
    CHECK(env.migration_reversibility == Reversibility::automatic);
    CHECK(env.ssh.user.empty());
    CHECK(env.ssh.port == 0);
    CHECK(env.ssh.identity_file.empty());
    CHECK(env.ssh.known_hosts == "~/.ssh/known_hosts");
    CHECK(env.rollback.strategy == Strategy::staged);
    CHECK(env.rollback.migrations_dir.empty()); // auto-detected later
    CHECK(env.rollback.env_files == defaults.rollback.env_files);
    CHECK(env.rollback.keep ==
          std::vector<std::string>{"uploads", "public/uploads", "storage", "data", "logs", "tmp"});
    CHECK(env.rollback.keep_releases == 3);
    CHECK(env.rollback.settle_seconds == 10);
    CHECK(env.rollback.health_timeout_seconds == 60);
    CHECK(env.rollback.health_stable_polls == 3);
    CHECK(env.rollback.command_timeout_seconds == 600);
    CHECK(env.rollback.lock_stale_minutes == 30);
    CHECK(env.rollback.commands.install == "npm ci"); // devDependencies: the build needs them
    CHECK(env.rollback.commands.build == "npm run build");
    CHECK(env.rollback.commands.db_rollback == "npm run db:rollback");
}

TEST_CASE("deploy-level sla and reversibility are defaults for every environment", "[config]") {
    nlohmann::json json = minimal();
    json["deploy"]["rollback_sla_seconds"] = 45;
    json["deploy"]["migration_reversibility"] = "manual";
    json["deploy"]["staging"] = json["deploy"]["production"];
    json["deploy"]["staging"]["rollback_sla_seconds"] = 200;
    json["deploy"]["staging"]["migration_reversibility"] = "none";

    const ProjectConfig production = parse(json, "production");
    CHECK(production.env.rollback_sla_seconds == 45);
    CHECK(production.env.migration_reversibility == Reversibility::manual);
    const ProjectConfig staging = parse(json, "staging");
    CHECK(staging.env.name == "staging");
    CHECK(staging.env.rollback_sla_seconds == 200);
    CHECK(staging.env.migration_reversibility == Reversibility::none);
}

TEST_CASE("optional values: numeric chat id, tailscale_ip alone, in-place, nulls", "[config]") {
    nlohmann::json json = minimal();
    json["telegram"]["chat_id"] = -1001234567;
    json["deploy"]["production"].erase("host");
    json["deploy"]["production"]["tailscale_ip"] = "100.64.0.1";
    json["deploy"]["production"]["path"] = "/srv/app/";
    json["deploy"]["production"]["rollback"] = {{"strategy", "in-place"},
                                                {"migrations_dir", nullptr},
                                                {"settle_seconds", 0},
                                                {"env_files", nlohmann::json::array()}};
    const ProjectConfig config = parse(json);
    CHECK(config.telegram_chat_id == "-1001234567");
    CHECK(config.env.host.empty());
    CHECK(config.env.tailscale_ip == "100.64.0.1");
    CHECK(config.env.path == "/srv/app");
    CHECK(config.env.rollback.strategy == Strategy::in_place);
    CHECK(config.env.rollback.migrations_dir.empty());
    CHECK(config.env.rollback.settle_seconds == 0);
    CHECK(config.env.rollback.env_files.empty());
}

TEST_CASE("config errors name the file, the JSON path and what was expected", "[config]") {
    SECTION("an invalid pm2 name, the exact message") {
        nlohmann::json json = minimal();
        json["deploy"]["production"]["pm2_name"] = "eo main";
        CHECK(error_of(json) == ".smorch/project.json: deploy.production.pm2_name: expected a "
                                "PM2 process name ([A-Za-z0-9._-]+), got \"eo main\"");
    }
    SECTION("missing required keys") {
        for (const char* key : {"path", "pm2_name", "health_url"}) {
            nlohmann::json json = minimal();
            json["deploy"]["production"].erase(key);
            const std::string message = error_of(json);
            CHECK_THAT(message, Catch::StartsWith(k_file + ": deploy.production." + key +
                                                  ": required key is missing; expected"));
        }
        nlohmann::json json = minimal();
        json["deploy"]["production"].erase("host");
        CHECK(error_of(json) == k_file + ": deploy.production: required key is missing; "
                                         "expected \"tailscale_ip\" or \"host\"");
    }
    SECTION("missing environment lists the ones that exist") {
        nlohmann::json json = minimal();
        json["deploy"]["staging"] = json["deploy"]["production"];
        CHECK(error_of(json, "prod") == k_file + ": deploy.prod: no such environment "
                                                 "(environments in the file: production, "
                                                 "staging)");
    }
    SECTION("missing deploy") {
        CHECK_THAT(error_of(nlohmann::json{{"project", "x"}}),
                   Catch::StartsWith(k_file + ": deploy: required key is missing"));
    }
    SECTION("type errors") {
        nlohmann::json json = minimal();
        json["deploy"]["production"]["rollback"]["settle_seconds"] = "ten";
        CHECK(error_of(json) == k_file + ": deploy.production.rollback.settle_seconds: expected "
                                         "an integer from 0 to 86400, got \"ten\"");
        json = minimal();
        json["deploy"]["production"]["ssh"] = "deploy@eo-prod";
        CHECK(error_of(json) ==
              k_file + ": deploy.production.ssh: expected an object, got \"deploy@eo-prod\"");
        json = minimal();
        json["deploy"]["production"]["rollback"]["env_files"] = {".env", 3};
        CHECK_THAT(error_of(json),
                   Catch::StartsWith(k_file + ": deploy.production.rollback.env_files[1]: "
                                              "expected a file path relative to the app (no "
                                              "'.', '..', '.git' or empty parts), got 3"));
        json = minimal();
        json["deploy"]["production"]["rollback"]["keep"] = {"uploads", "../shared"};
        CHECK_THAT(error_of(json),
                   Catch::StartsWith(k_file + ": deploy.production.rollback.keep[1]: "
                                              "expected a path relative to the checkout"));
        json = minimal();
        json["deploy"]["production"]["rollback"]["keep_releases"] = 0;
        CHECK_THAT(error_of(json),
                   Catch::StartsWith(k_file + ": deploy.production.rollback.keep_releases: "
                                              "expected an integer from 1 to 100"));
        json = minimal();
        json["deploy"]["production"]["rollback_sla_seconds"] = 1.5;
        CHECK_THAT(error_of(json),
                   Catch::StartsWith(k_file + ": deploy.production.rollback_sla_seconds: "
                                              "expected an integer"));
        json = minimal();
        json["telegram"] = {{"chat_id", true}};
        CHECK(error_of(json) ==
              k_file + ": telegram.chat_id: expected a chat id (string or integer), got true");
    }
    SECTION("numbers out of range") {
        const std::vector<std::pair<std::string, nlohmann::json>> cases{
            {"rollback.settle_seconds", -1},
            {"rollback.health_timeout_seconds", 0},
            {"rollback.health_stable_polls", 0},
            {"rollback_sla_seconds", 0},
            {"ssh.port", 0},
            {"ssh.port", 65536},
            {"rollback.command_timeout_seconds", 0}};
        for (const auto& [key, value] : cases) {
            nlohmann::json json = minimal();
            set_dotted(json["deploy"]["production"], key, value);
            const std::string message = error_of(json);
            INFO(message);
            CHECK_THAT(message, Catch::StartsWith(k_file + ": deploy.production." + key +
                                                  ": expected an integer from "));
            CHECK_THAT(message, Catch::EndsWith("got " + value.dump()));
        }
        nlohmann::json json = minimal();
        json["deploy"]["rollback_sla_seconds"] = -5;
        CHECK_THAT(error_of(json), Catch::StartsWith(k_file + ": deploy.rollback_sla_seconds: "
                                                              "expected an integer from 1"));
    }
    SECTION("bad enums") {
        nlohmann::json json = minimal();
        json["deploy"]["production"]["migration_reversibility"] = "automatic";
        CHECK(error_of(json) == k_file + ": deploy.production.migration_reversibility: expected "
                                         "\"auto\", \"manual\" or \"none\", got \"automatic\"");
        json = minimal();
        json["deploy"]["migration_reversibility"] = "maybe";
        CHECK_THAT(error_of(json),
                   Catch::StartsWith(k_file + ": deploy.migration_reversibility: expected"));
        json = minimal();
        json["deploy"]["production"]["rollback"]["strategy"] = "in_place";
        CHECK(error_of(json) == k_file + ": deploy.production.rollback.strategy: expected "
                                         "\"staged\" or \"in-place\", got \"in_place\"");
    }
    SECTION("values that would be unsafe on the target") {
        const std::vector<std::pair<std::string, std::string>> cases{
            {"path", "opt/apps/eo"},
            {"path", "/opt/../etc"},
            {"path", "/"},
            {"branch", "main;reboot"},
            {"branch", "-x"},
            {"health_url", "ftp://x/health"},
            {"health_url", "https:///x"},
            {"host", "-oProxyCommand=x"},
            {"tailscale_ip", "1.2.3.4 5"},
            {"pm2_name", "$(reboot)"}};
        for (const auto& [key, value] : cases) {
            nlohmann::json json = minimal();
            json["deploy"]["production"][key] = value;
            const std::string message = error_of(json);
            INFO(message);
            CHECK_THAT(message,
                       Catch::StartsWith(k_file + ": deploy.production." + key + ": expected "));
            CHECK_THAT(message, Catch::Contains(nlohmann::json(value).dump()));
        }
        nlohmann::json json = minimal();
        json["deploy"]["production"]["rollback"]["remote_shell"] = "bash -lc; rm";
        CHECK_THAT(error_of(json),
                   Catch::StartsWith(k_file + ": deploy.production.rollback.remote_shell: "));
        json = minimal();
        json["deploy"]["production"]["rollback"]["commands"]["build"] = "  ";
        CHECK(error_of(json) == k_file + ": deploy.production.rollback.commands.build: expected "
                                         "a non-empty command string, got \"  \"");
        json = minimal();
        json["deploy"]["production"]["rollback"]["migrations_dir"] = "../db";
        CHECK_THAT(error_of(json),
                   Catch::StartsWith(k_file + ": deploy.production.rollback.migrations_dir: "));
    }
    SECTION("not an object at the top") {
        CHECK(error_of(nlohmann::json::array()) ==
              k_file + ": (top level): expected a JSON object, got []");
    }
}

TEST_CASE("invalid JSON is reported with line and column", "[config]") {
    const std::string message = error_of_text("{\n  \"deploy\": {\n    \"production\": {,\n");
    CHECK_THAT(message, Catch::StartsWith(k_file + ": invalid JSON at line 3, column 20: "));
    CHECK_THAT(error_of_text(""), Catch::StartsWith(k_file + ": invalid JSON at line 1"));
}

TEST_CASE("a number no double holds is a config error naming the file, never a crash", "[config]") {
    // Found by the project_config fuzzer: nlohmann throws out_of_range.406.
    const std::string message = error_of_text(R"({"deploy":{"production":{"x":1e73709551615}}})");
    CHECK(message == k_file + ": invalid JSON: number overflow parsing '1e73709551615'");
}

TEST_CASE("find_project_dir walks up to .smorch/project.json", "[config]") {
    const test::TempDir dir;
    dir.write("app/.smorch/project.json", k_minimal);
    std::filesystem::create_directories(dir.path() / "app/src/deep");
    const auto found = find_project_dir(dir.path() / "app/src/deep");
    REQUIRE(found);
    CHECK(*found == dir.path() / "app");
    CHECK(find_project_dir(dir.path()) == std::nullopt);
}

TEST_CASE("load_project_config reads the file and labels errors with its path", "[config]") {
    const test::TempDir dir;
    dir.write("app/.smorch/project.json", k_minimal);
    const ProjectConfig config = load_project_config(dir.path() / "app", "production");
    CHECK(config.project_dir == dir.path() / "app");
    CHECK(config.config_file == dir.path() / "app/.smorch/project.json");
    CHECK(config.project == "app"); // no "project" key: the directory's name
    CHECK(config.env.pm2_name == "eo-main");

    try {
        load_project_config(dir.path() / "app", "staging");
        FAIL("expected a ConfigError");
    } catch (const ConfigError& error) {
        CHECK_THAT(error.what(),
                   Catch::StartsWith((dir.path() / "app/.smorch/project.json").string() +
                                     ": deploy.staging: no such environment"));
        CHECK(error.code() == ExitCode::usage);
    }
    CHECK_THROWS_AS(load_project_config(dir.path() / "missing", "production"), ConfigError);
}

TEST_CASE("to_string names strategies and reversibilities as in project.json", "[config]") {
    CHECK(std::string(to_string(Strategy::staged)) == "staged");
    CHECK(std::string(to_string(Strategy::in_place)) == "in-place");
    CHECK(std::string(to_string(Reversibility::automatic)) == "auto");
    CHECK(std::string(to_string(Reversibility::manual)) == "manual");
    CHECK(std::string(to_string(Reversibility::none)) == "none");
}

TEST_CASE("detect_migrations_dir takes the first existing candidate", "[config]") {
    CHECK(detect_migrations_dir([](const std::string& dir) {
              return dir == "prisma/migrations" || dir == "supabase/migrations";
          }) == "prisma/migrations");
    CHECK(detect_migrations_dir([](const std::string&) { return false; }).empty());
}

TEST_CASE("env_files that preflight would refuse are refused at load", "[config]") {
    for (const std::string bad : {"./.env", "config//.env", ".git/config", "dir/", "a/./b"}) {
        INFO(bad);
        nlohmann::json json = minimal();
        set_dotted(json, "deploy.production.rollback.env_files", {".env", bad});
        CHECK(error_of(json) ==
              k_file +
                  ": deploy.production.rollback.env_files[1]: expected a file path relative "
                  "to the app (no '.', '..', '.git' or empty parts), got \"" +
                  bad + "\"");
    }
    nlohmann::json json = minimal();
    set_dotted(json, "deploy.production.rollback.env_files", {".env", "config/.env.local"});
    CHECK(parse(json).env.rollback.env_files ==
          std::vector<std::string>{".env", "config/.env.local"});
}

} // namespace smo
