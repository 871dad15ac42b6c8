#include "output/json_reporter.hpp"
#include "support/fake_clock.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

using namespace smo;

namespace {

// Captures what the reporter writes through a temporary FILE*.
std::vector<nlohmann::json> events_of(const std::function<void(JsonReporter&)>& act,
                                      const Clock* clock = nullptr) {
    std::FILE* file = std::tmpfile();
    JsonReporter reporter(file, clock);
    act(reporter);
    std::rewind(file);
    std::vector<nlohmann::json> events;
    char line[4096];
    while (std::fgets(line, sizeof line, file) != nullptr) {
        events.push_back(nlohmann::json::parse(line));
    }
    std::fclose(file);
    return events;
}

} // namespace

TEST_CASE("json output: writes one object per line with an event field", "[output]") {
    RunReport report;
    report.project = "eo-mena";
    report.env = "production";
    report.from_tag = "v1.4.2";
    report.to_tag = "v1.4.1";
    report.to_commit = "b2c5d82";
    report.seconds = 74.44;
    report.exit_code = ExitCode::success;
    const auto events = events_of([&](JsonReporter& reporter) {
        reporter.start(report);
        reporter.stage_started(3, "ssh-connect");
        reporter.stage_finished({3, "ssh-connect", StageStatus::ok, 0.42, "lock taken"});
        reporter.warning("record docs/deploys/x.md skipped");
        reporter.prompt("Run manual migration rollback? (y/n)");
        reporter.result(report);
    });
    REQUIRE(events.size() == 6);
    CHECK(events[0]["event"] == "start");
    CHECK(events[1]["ts"].is_string());
    CHECK(events[2]["ts"].is_string());
    auto running = events[1];
    running.erase("ts");
    CHECK(running ==
          nlohmann::json{
              {"event", "stage"}, {"n", 3}, {"name", "ssh-connect"}, {"status", "running"}});
    CHECK(events[2]["status"] == "ok");
    CHECK(events[2]["seconds"] == Approx(0.4));
    CHECK(events[2]["detail"] == "lock taken");
    CHECK(events[3]["event"] == "warning");
    CHECK(events[4]["question"] == "Run manual migration rollback? (y/n)");
    const auto& result = events[5];
    CHECK(result["event"] == "result");
    CHECK(result["outcome"] == "success");
    CHECK(result["exit_code"] == 0);
    CHECK(result["from"] == "v1.4.2");
    CHECK(result["to"] == "v1.4.1");
    CHECK(result["commit"] == "b2c5d82");
    CHECK(result["seconds"] == Approx(74.4));
    CHECK(result["within_sla"] == true);
    CHECK(result["failed_stage"].is_null());
}

TEST_CASE("json output: survives invalid UTF-8 from a remote command", "[output]") {
    const auto events = events_of([](JsonReporter& reporter) {
        reporter.stage_finished({6, "build", StageStatus::failed, 1.0, "npm ERR \xff\xfe"});
    });
    REQUIRE(events.size() == 1);
    CHECK(events[0]["status"] == "failed");
}

TEST_CASE("json output: a fleet's stage lines carry the host and the result its hosts",
          "[output][fleet]") {
    RunReport report;
    report.hosts = {{"web-1", "switched", "c0ffee1", "b2c5d82", "b2c5d82", 12.34, ""},
                    {"web-2", "failed at build", "c0ffee1", "b2c5d82", "", 3.0, "exit 1"}};
    StageReport stage;
    stage.number = 6;
    stage.name = "build";
    stage.status = StageStatus::failed;
    const auto events = events_of([&](JsonReporter& reporter) {
        reporter.host_stage_started("web-2", 6, "build");
        reporter.host_stage_finished("web-2", stage);
        reporter.result(report);
    });
    REQUIRE(events.size() == 3);
    CHECK(events[0]["host"] == "web-2");
    CHECK(events[0]["name"] == "build");
    CHECK(events[1]["host"] == "web-2");
    CHECK(events[1]["name"] == "build");
    CHECK(events[1]["status"] == "failed");
    const auto& hosts = events[2]["hosts"];
    REQUIRE(hosts.size() == 2);
    CHECK(hosts[0] == nlohmann::json::parse(R"({"name": "web-1", "outcome": "switched",
        "from_commit": "c0ffee1", "to_commit": "b2c5d82", "served_commit": "b2c5d82",
        "seconds": 12.3, "detail": null})"));
    CHECK(hosts[1]["served_commit"].is_null());
}

TEST_CASE("json output: one host's result has no hosts key", "[output][fleet]") {
    const auto events = events_of([](JsonReporter& reporter) { reporter.result(RunReport{}); });
    CHECK_FALSE(events[0].contains("hosts"));
}

TEST_CASE("json output: a fleet plan's result names every planned host", "[output][fleet][plan]") {
    RunReport report;
    report.from_tag = "v1.2.0";
    report.to_tag = "v1.1.0";
    const std::vector<PlannedHost> hosts = {
        {"web-1", "deploy", "100.89.1.1", 22, "/opt/a", "eo-main", "http://w1/health", true},
        {"web-2", "deploy", "100.89.1.2", 2222, "/opt/b", "eo-b", "", false}};
    const auto events =
        events_of([&](JsonReporter& reporter) { reporter.plan_result(report, hosts); });
    REQUIRE(events.size() == 1);
    CHECK(events[0]["event"] == "result");
    CHECK(events[0]["to"] == "v1.1.0");
    REQUIRE(events[0]["hosts"].size() == 2);
    CHECK(events[0]["hosts"][0] == nlohmann::json::parse(R"({"name": "web-1", "user": "deploy",
        "address": "100.89.1.1", "port": 22, "path": "/opt/a", "pm2_name": "eo-main",
        "health_url": "http://w1/health", "runs_migrations": true})"));
    CHECK(events[0]["hosts"][1]["port"] == 2222);
    CHECK(events[0]["hosts"][1]["health_url"].is_null());
    CHECK(events[0]["hosts"][1]["runs_migrations"] == false);
}

TEST_CASE("json output: the result carries target_state and next and within_sla only for a "
          "rollback that made it",
          "[output]") {
    RunReport report;
    report.from_tag = "v1.4.2";
    report.to_tag = "v1.4.1";
    report.seconds = 3;
    report.exit_code = ExitCode::halted;
    report.failed_stage = "ssh-connect";
    report.next = "smo-rollback --break-lock";
    report.live = {"v1.4.2", "c0ffee1234567", "c0ffee1", false, "500"};
    const auto events = events_of([&](JsonReporter& reporter) { reporter.result(report); });
    REQUIRE(events.size() == 1);
    CHECK(events[0]["within_sla"] == false);
    CHECK(events[0]["next"] == "smo-rollback --break-lock");
    CHECK(events[0]["target_state"] == nlohmann::json{{"live_tag", "v1.4.2"},
                                                      {"live_commit", "c0ffee1234567"},
                                                      {"served_commit", "c0ffee1"},
                                                      {"healthy", false}});
    report.kind = RunKind::drill;
    report.exit_code = ExitCode::success;
    const auto drill = events_of([&](JsonReporter& reporter) { reporter.result(report); });
    CHECK(drill[0]["within_sla"] == false);
}

TEST_CASE("json output: polls as events, and stage events carry the UTC time they happened",
          "[output]") {
    smo::test::FakeClock clock;
    const auto events = events_of(
        [&](JsonReporter& reporter) {
            reporter.stage_started(10, "health-check");
            clock.advance(std::chrono::milliseconds(1250));
            reporter.poll({10, 1, "500 (status \"error\")", false, 500, "", ""});
            reporter.host_poll("web-2",
                               {10, 2, "200 OK, commit b2c5d82", true, 200, "b2c5d82", ""});
        },
        &clock);
    REQUIRE(events.size() == 3);
    CHECK(events[0]["ts"] == "2026-04-19T03:12:09.000Z");
    CHECK(events[1] == nlohmann::json{{"event", "poll"},
                                      {"n", 10},
                                      {"poll", 1},
                                      {"healthy", false},
                                      {"http_status", 500},
                                      {"commit", nullptr},
                                      {"detail", "500 (status \"error\")"},
                                      {"ts", "2026-04-19T03:12:10.250Z"}});
    CHECK(events[2]["host"] == "web-2");
    CHECK(events[2]["healthy"] == true);
    CHECK(events[2]["commit"] == "b2c5d82");
}
