#include "smo/fleet_status.hpp"
#include "smo/remote/live_checks.hpp"
#include "smo/remote/status_probe.hpp"
#include "support/fake_reply.hpp"
#include "support/test_context.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using smo::test::FakeHttpClient;
using smo::test::FakeRemoteShell;
using smo::test::reply_of;
using smo::test::TestRig;

namespace {

const std::string k_v141 = "b2c5d82f00112233445566778899aabbccddeeff";
const std::string k_v142 = "c3d4e5f60718293a4b5c6d7e8f90112233445566";

std::string probe_reply(const std::string& head, const std::string& pm2_status) {
    return reply_of({remote::k_head, head, remote::k_status, remote::k_lock, remote::k_now_ms,
                     "1765000060000", remote::k_pm2}) +
           "[{\"name\":\"eo-main\",\"pid\":77,\"pm2_env\":{\"status\":\"" + pm2_status +
           "\",\"restart_time\":1,\"pm_uptime\":1765000018000}}]\n";
}

// Two hosts: web-1 healthy on v1.4.2, web-2 whose app is stopped, still on v1.4.1.
struct FleetRig {
    TestRig rig;
    FakeRemoteShell shell1, shell2;
    FakeHttpClient http1, http2;
    SshTarget target1, target2;

    FleetRig() {
        auto& config = rig.config;
        FleetHost one{"web-1", config.env};
        FleetHost two{"web-2", config.env};
        one.env.health_url = "http://10.0.0.1:3000/api/health";
        two.env.health_url = "http://10.0.0.2:3000/api/health";
        config.hosts = {one, two};
        target1.label = "web-1";
        target2.label = "web-2";
        rig.files.files["/repo/docs/deploys/2026-04-18-v1.4.2.md"] =
            "---\ntag: v1.4.2\ncommit: c3d4e5f\nenv: production\nstatus: success\n---\n";
        rig.git.commits["v1.4.1"] = k_v141;
        http1.reply(200, R"({"status":"ok","commit":"c3d4e5f"})");
        shell1.on(remote::k_head, 0, probe_reply(k_v142, "online"));
        http2.reply_unreachable();
        shell2.on(remote::k_head, 0, probe_reply(k_v141, "stopped"));
    }

    std::vector<HostStatus> read() {
        const std::vector<FleetHostPorts> ports = {{shell1, http1, target1},
                                                   {shell2, http2, target2}};
        return read_fleet_status(rig.config, ports, rig.git, rig.files);
    }
};

} // namespace

TEST_CASE("fleet status: every host is read on its own session and health URL", "[fleet][status]") {
    FleetRig fleet;
    const auto hosts = fleet.read();
    REQUIRE(hosts.size() == 2);
    CHECK(fleet.http1.requests.at(0).url == "http://10.0.0.1:3000/api/health");
    CHECK(fleet.http2.requests.at(0).url == "http://10.0.0.2:3000/api/health");
    CHECK(fleet.shell1.connected_to->label == "web-1");
    CHECK(fleet.shell2.connected_to->label == "web-2");
    CHECK(hosts[0].name == "web-1");
    CHECK(hosts[0].status.healthy);
    CHECK(hosts[1].name == "web-2");
    CHECK_FALSE(hosts[1].status.healthy);
    CHECK(hosts[1].status.pm2_status == "stopped");
    CHECK(fleet_status_exit_code(hosts) == 0);
}

TEST_CASE("fleet status: the JSON has one object per host and the fleet is healthy only if "
          "every host is",
          "[fleet][status]") {
    FleetRig fleet;
    const nlohmann::json json = fleet_status_json(fleet.read());
    REQUIRE(json["hosts"].size() == 2);
    CHECK(json["hosts"][0]["name"] == "web-1");
    CHECK(json["hosts"][0]["live_tag"] == "v1.4.2");
    CHECK(json["hosts"][0]["healthy"] == true);
    CHECK(json["hosts"][1]["name"] == "web-2");
    CHECK(json["hosts"][1]["live_commit"] == k_v141);
    CHECK(json["hosts"][1]["pm2"]["status"] == "stopped");
    CHECK(json["hosts"][1]["healthy"] == false);
    CHECK(json["healthy"] == false);
    CHECK(json.contains("last_rollback"));
    CHECK_FALSE(json["hosts"][0].contains("last_rollback"));
}

TEST_CASE("fleet status: the human output has a row per host", "[fleet][status]") {
    FleetRig fleet;
    const std::string text = render_fleet_status(fleet.rig.config, fleet.read());
    CHECK_THAT(text, Catch::Contains("2 hosts: web-1, web-2"));
    CHECK_THAT(text, Catch::Contains("  web-1  live v1.4.2 (c3d4e5f), serving c3d4e5f, healthy, "
                                     "PM2 online (1 restart(s)), lock free, no standby\n"));
    CHECK_THAT(text, Catch::Contains("  web-2  live v1.4.1 (b2c5d82), serving unknown, NOT "
                                     "healthy, PM2 stopped"));
}

TEST_CASE("fleet status: a host not reached is named and the exit is 5", "[fleet][status]") {
    FleetRig fleet;
    fleet.shell2.connect_error = "Connection refused";
    fleet.rig.config.env.rollback.parallel = 2;
    const auto hosts = fleet.read();
    CHECK(hosts[0].status.unreachable.empty());
    CHECK(hosts[1].status.unreachable == "Connection refused");
    CHECK(fleet_status_exit_code(hosts) == 5);
    CHECK_THAT(render_fleet_status(fleet.rig.config, hosts),
               Catch::Contains("web-2  live unknown (unknown), serving unknown, NOT healthy, "
                               "not reached: Connection refused\n"));
}
