#include "smo/records/rollback_record.hpp"
#include "smo/release_list.hpp"
#include "support/sample_report.hpp"
#include "support/test_context.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using smo::test::sample_report;
using smo::test::TestRig;

namespace {

const std::string k_v140 = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";
const std::string k_v141 = "b2c5d82f00112233445566778899aabbccddeeff";
const std::string k_v142 = "c3d4e5f60718293a4b5c6d7e8f90112233445566";
const std::string k_v143 = "d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4";

void deploy(TestRig& rig, const std::string& date, const std::string& tag,
            const std::string& commit, const std::string& status = "success") {
    rig.files.files["/repo/docs/deploys/" + date + "-" + tag + ".md"] =
        "---\ntag: " + tag + "\ncommit: " + commit.substr(0, 7) +
        "\nenv: production\nstatus: " + status + "\n---\n# Deploy " + tag + "\n";
}

ReleaseList listed(TestRig& rig) {
    return list_releases(rig.options, rig.config, rig.files, rig.git);
}

} // namespace

TEST_CASE("list: newest first, live marked, the pick is the previous good release", "[list]") {
    TestRig rig;
    deploy(rig, "2026-04-01", "v1.4.0", k_v140);
    deploy(rig, "2026-04-10", "v1.4.1", k_v141);
    deploy(rig, "2026-04-18", "v1.4.2", k_v142);
    rig.git.commits = {{"v1.4.0", k_v140}, {"v1.4.1", k_v141}, {"v1.4.2", k_v142}};
    const ReleaseList list = listed(rig);
    REQUIRE(list.releases.size() == 3);
    CHECK(list.releases[0].tag == "v1.4.2");
    CHECK(list.releases[0].state == "live");
    CHECK(list.releases[0].commit == k_v142);
    CHECK(list.releases[0].date == "2026-04-18");
    CHECK_FALSE(list.releases[0].chosen);
    CHECK(list.releases[1].tag == "v1.4.1");
    CHECK(list.releases[1].state == "good");
    CHECK(list.releases[1].chosen);
    CHECK(list.releases[2].state == "good");
    CHECK_FALSE(list.releases[2].chosen);
    CHECK(release_list_json(list)["releases"][1] == nlohmann::json{{"tag", "v1.4.1"},
                                                                   {"commit", k_v141},
                                                                   {"date", "2026-04-10"},
                                                                   {"state", "good"},
                                                                   {"chosen", true}});
    const std::string text = render_release_list(list);
    CHECK_THAT(text, Catch::Contains("→ v1.4.1  b2c5d82  2026-04-10  good  ← a rollback would"));
    CHECK_THAT(text, Catch::Contains("  v1.4.2  c3d4e5f  2026-04-18  live\n"));
}

TEST_CASE("list: rolled back from, failed, and a tag missing locally", "[list]") {
    TestRig rig;
    deploy(rig, "2026-04-01", "v1.4.0", k_v140);
    deploy(rig, "2026-04-10", "v1.4.1", k_v141);
    deploy(rig, "2026-04-18", "v1.4.2", k_v142);
    rig.files.files["/repo/docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md"] =
        "---\nkind: rollback\nenv: production\nfrom_tag: v1.4.2\nto_tag: v1.4.1\ntag: v1.4.1\n"
        "commit: " +
        k_v141 + "\noutcome: success\nstarted_at: 2026-04-19T03:12:09Z\n---\n";
    deploy(rig, "2026-04-20", "v1.4.3", k_v143, "failed");
    rig.git.commits = {{"v1.4.1", k_v141}, {"v1.4.2", k_v142}, {"v1.4.3", k_v143}};
    const ReleaseList list = listed(rig);
    REQUIRE(list.releases.size() == 4);
    CHECK(list.releases[0].tag == "v1.4.3");
    CHECK(list.releases[0].state == "failed");
    CHECK(list.releases[1].tag == "v1.4.1");
    CHECK(list.releases[1].state == "live");
    CHECK(list.releases[1].date == "2026-04-19");
    CHECK(list.releases[2].tag == "v1.4.2");
    CHECK(list.releases[2].state == "rolled back from");
    CHECK(list.releases[3].tag == "v1.4.0");
    CHECK_THAT(list.releases[3].state, Catch::StartsWith("skipped: tag not in the local"));
    CHECK(list.releases[3].commit == "a0a0a0a"); // the records' commit
}

TEST_CASE("list: no records is an answer, not an error", "[list]") {
    TestRig rig;
    const ReleaseList list = listed(rig);
    CHECK(list.releases.empty());
    CHECK_THAT(list.choice_note, Catch::Contains("no usable deploy record"));
    CHECK(release_list_json(list) == nlohmann::json{{"releases", nlohmann::json::array()}});
    CHECK_THAT(render_release_list(list), Catch::Contains("No release to go back to"));
}

namespace {

void make_fleet(TestRig& rig, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        FleetHost host{name, rig.config.env};
        host.env.path = "/opt/apps/" + name;
        rig.config.hosts.push_back(host);
    }
    rig.config.env.host.clear();
    rig.config.env.tailscale_ip.clear();
}

std::vector<std::string> hosts_of(const ReleaseList& list, const std::string& tag) {
    for (const auto& release : list.releases) {
        if (release.tag == tag) {
            return release.hosts;
        }
    }
    return {"(not listed)"};
}

} // namespace

TEST_CASE("list: a fleet environment lists the same releases as one host", "[list][fleet]") {
    TestRig rig;
    deploy(rig, "2026-04-10", "v1.4.1", k_v141);
    deploy(rig, "2026-04-18", "v1.4.2", k_v142);
    rig.git.commits = {{"v1.4.1", k_v141}, {"v1.4.2", k_v142}};
    const std::string single = render_release_list(listed(rig));
    CHECK(single.find("hosts:") == std::string::npos);
    CHECK_FALSE(release_list_json(listed(rig))["releases"][0].contains("hosts"));
    make_fleet(rig, {"web-1", "web-2"});
    const ReleaseList list = listed(rig);
    REQUIRE(list.releases.size() == 2);
    CHECK(list.releases[0].state == "live");
    CHECK(list.releases[1].chosen);
    // The deploy record has no hosts table: it put every host on v1.4.2.
    CHECK(hosts_of(list, "v1.4.2") == std::vector<std::string>{"web-1", "web-2"});
    CHECK(hosts_of(list, "v1.4.1").empty());
    std::string expected = single;
    const std::string live_line = "live";
    expected.insert(expected.find(live_line) + live_line.size(), "  hosts: web-1, web-2");
    CHECK(render_release_list(list) == expected);
}

TEST_CASE("list: on a fleet, each release names the hosts the newest fleet record left on it",
          "[list][fleet]") {
    TestRig rig;
    deploy(rig, "2026-04-10", "v1.4.1", k_v141);
    deploy(rig, "2026-04-18", "v1.4.2", k_v142);
    rig.git.commits = {{"v1.4.1", k_v141}, {"v1.4.2", k_v142}};
    RunReport report = sample_report();
    report.from_commit = k_v142;
    report.to_commit = k_v141;
    report.exit_code = ExitCode::sev1;
    report.hosts = {{"web-1", k_host_switched, k_v142, k_v141, k_v141, 40.0, ""},
                    {"web-2", "failed at health-check", k_v142, k_v141, k_v142, 50.0, "500"},
                    {"web-4", "failed at reload", k_v142, k_v141, "", 9.0, "lost"}};
    rig.files.files["/repo/" + report.log_path] = render_rollback_record(report);
    make_fleet(rig, {"web-1", "web-2", "web-3", "web-4"});

    const ReleaseList list = listed(rig);
    CHECK(hosts_of(list, "v1.4.1") == std::vector<std::string>{"web-1"});
    // web-3 is in no fleet record: the newest deploy put it on v1.4.2; the
    // record does not say what web-4 serves, so it is named nowhere.
    CHECK(hosts_of(list, "v1.4.2") == std::vector<std::string>{"web-2", "web-3"});
    const std::string text = render_release_list(list);
    INFO(text);
    CHECK(text.find("  b2c5d82  2026-04-19  good  hosts: web-1  ←") != std::string::npos);
    CHECK(text.find("  hosts: web-2, web-3") != std::string::npos);
    const auto json = release_list_json(list);
    CHECK(json["releases"][0]["hosts"] == nlohmann::json::array({"web-1"}));
    CHECK(json["releases"][1]["hosts"] == nlohmann::json::array({"web-2", "web-3"}));
}
