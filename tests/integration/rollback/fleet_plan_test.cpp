// --plan on a fleet (docs/configuration.md "Fleets"): every host of a sandbox
// of two is named with its own address and path, and the migrations host.
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace smo::integration;

TEST_CASE("fleet plan: every host is named with its port and path, and the migrations host",
          "[fleet][plan][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "500"});
    const ProcessResult plan = sandbox.run_binary({"--plan"});
    INFO(plan.out << plan.err);
    CHECK(plan.exit_code == 0);
    CHECK(plan.out.find("  web-1  ") != std::string::npos);
    CHECK(plan.out.find(":" + sandbox.value("HOST2_SSH_PORT") + " " +
                        sandbox.value("HOST2_LIVE_PATH") + ", pm2 ") != std::string::npos);
    CHECK(plan.out.find(" " + sandbox.value("LIVE_PATH") + ", pm2 ") != std::string::npos);
    CHECK(plan.out.find("the down migration once, on web-1\n") != std::string::npos);
}

TEST_CASE("fleet plan --json: the result carries every host with its target and the migrations "
          "host",
          "[fleet][plan][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "500"});
    const ProcessResult plan = sandbox.run_binary({"--plan", "--json"});
    INFO(plan.out << plan.err);
    CHECK(plan.exit_code == 0);
    std::istringstream lines(plan.out);
    std::string line;
    nlohmann::json result;
    while (std::getline(lines, line)) {
        result = line.empty() ? result : nlohmann::json::parse(line);
    }
    CHECK(result["event"] == "result");
    CHECK(result["to"] == "v1.1.0");
    REQUIRE(result["hosts"].size() == 2);
    const auto& web1 = result["hosts"][0];
    const auto& web2 = result["hosts"][1];
    CHECK(web1["name"] == "web-1");
    CHECK(web1["path"] == sandbox.value("LIVE_PATH"));
    CHECK(web1["runs_migrations"] == true);
    CHECK(web2["name"] == "web-2");
    CHECK(web2["port"] == std::stoi(sandbox.value("HOST2_SSH_PORT")));
    CHECK(web2["path"] == sandbox.value("HOST2_LIVE_PATH"));
    CHECK(web2["address"] == web1["address"]);
    CHECK(web2["runs_migrations"] == false);
    CHECK(web2["pm2_name"].is_string());
    CHECK(web2["health_url"].get<std::string>().find(sandbox.value("HOST2_APP_PORT")) !=
          std::string::npos);
}
