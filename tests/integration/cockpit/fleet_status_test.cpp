// `status` on a fleet (docs/usage.md) against a sandbox of two hosts
// (`sandbox.sh up --hosts 2`): every host is read, each row is that host's.
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace smo::integration;

TEST_CASE("fleet status: every host has its own row and a host whose app is stopped is named "
          "not healthy",
          "[fleet][cockpit][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "good"});
    local_text("env -i HOME=\"$HOME\" PATH=\"$PATH\" PM2_HOME='" + sandbox.value("HOST2_PM2_HOME") +
               "' pm2 stop smo-demo >/dev/null 2>&1");

    const ProcessResult run = sandbox.run_binary({"status", "--json"});
    INFO(run.out);
    INFO(run.err);
    CHECK(run.exit_code == 0);
    REQUIRE(run.out.find('\n') == run.out.size() - 1); // exactly one line
    const nlohmann::json status = nlohmann::json::parse(run.out);
    REQUIRE(status["hosts"].size() == 2);
    const auto& web1 = status["hosts"][0];
    const auto& web2 = status["hosts"][1];
    CHECK(web1["name"] == "web-1");
    CHECK(web1["live_tag"] == "v1.2.0");
    CHECK(web1["live_commit"] == sandbox.value("COMMIT_V1_2_0"));
    CHECK(web1["healthy"] == true);
    CHECK(web1["pm2"]["status"] == "online");
    CHECK(web2["name"] == "web-2");
    CHECK(web2["live_commit"] == sandbox.value("COMMIT_V1_2_0"));
    CHECK(web2["served_commit"].is_null());
    CHECK(web2["healthy"] == false);
    CHECK(web2["pm2"]["status"] == "stopped");
    CHECK(status["healthy"] == false);

    const ProcessResult human = sandbox.run_binary({"status"});
    INFO(human.out);
    CHECK(human.exit_code == 0);
    CHECK(human.out.find("2 hosts: web-1, web-2") != std::string::npos);
    CHECK(human.out.find("web-1  live v1.2.0 (" + sandbox.value("COMMIT_V1_2_0").substr(0, 7) +
                         "), serving " + sandbox.value("COMMIT_V1_2_0").substr(0, 7) +
                         ", healthy, PM2 online") != std::string::npos);
    CHECK(human.out.find("web-2  live v1.2.0 (" + sandbox.value("COMMIT_V1_2_0").substr(0, 7) +
                         "), serving unknown, NOT healthy, PM2 stopped") != std::string::npos);
}
