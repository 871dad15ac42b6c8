#include "stage_fixture.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

const std::string k_v140 = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";

void record(TestRig& rig, const std::string& date, const std::string& tag,
            const std::string& commit) {
    rig.files.files["/repo/docs/deploys/" + date + "-" + tag + ".md"] =
        "---\ntag: " + tag + "\ncommit: " + commit.substr(0, 7) +
        "\nenv: production\nstatus: success\n---\n# Deploy " + tag + "\n";
    rig.git.commits[tag] = commit;
}

// Three hosts whose health URLs answer `served` (empty: unreachable).
void fleet_of_three(TestRig& rig, const std::map<std::string, std::string>& served) {
    record(rig, "2026-04-01", "v1.4.0", k_v140);
    record(rig, "2026-04-10", "v1.4.1", k_to_commit);
    record(rig, "2026-04-18", "v1.4.2", k_from_commit);
    for (const char* name : {"web-1", "web-2", "web-3"}) {
        FleetHost host{name, rig.config.env};
        host.env.health_url = std::string("http://") + name + ":3000/api/health";
        rig.config.hosts.push_back(host);
    }
    rig.http.responder = [served](const FakeHttpClient::Request& request) {
        HttpResponse response;
        for (const auto& [name, commit] : served) {
            if (request.url.find(name) != std::string::npos && !commit.empty()) {
                response.status = 200;
                response.body = health_body(commit);
                return response;
            }
        }
        response.transport_error = "Couldn't connect to server";
        return response;
    };
}

} // namespace

TEST_CASE("identify-previous on a fleet: every host is read and the newest release served is the "
          "from",
          "[stages][identify-previous][fleet]") {
    TestRig rig;
    fleet_of_three(rig, {{"web-1", k_to_commit}, {"web-2", k_from_commit}, {"web-3", ""}});
    const StageOutcome outcome = make_identify_previous_stage()->run(rig.context());
    REQUIRE(outcome.status == StageStatus::ok);
    const RunReport& report = rig.context().report;
    CHECK(report.from_tag == "v1.4.2");
    CHECK(report.to_tag == "v1.4.1");
    CHECK(rig.http.requests.size() == 3);
    const auto& readings = rig.context().state.host_readings;
    REQUIRE(readings.size() == 3);
    CHECK(readings[0].commit == k_to_commit.substr(0, 7));
    CHECK(readings[0].healthy);
    CHECK(readings[1].commit == k_from_commit.substr(0, 7));
    CHECK(readings[2].commit.empty());
    CHECK(outcome.detail.find("web-1 reports b2c5d82, web-2 reports c3d4e5f, web-3 reports "
                              "nothing") != std::string::npos);
}

TEST_CASE("identify-previous on a fleet: the order of the hosts does not choose the from",
          "[stages][identify-previous][fleet]") {
    TestRig rig;
    fleet_of_three(rig, {{"web-1", k_from_commit}, {"web-2", k_to_commit}, {"web-3", k_v140}});
    REQUIRE(make_identify_previous_stage()->run(rig.context()).status == StageStatus::ok);
    CHECK(rig.context().report.from_tag == "v1.4.2");
    CHECK(rig.context().report.to_tag == "v1.4.1");
}
