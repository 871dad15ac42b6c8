#include "smo/remote/live_checks.hpp"
#include "smo/remote/standby.hpp"
#include "smo/remote/status_probe.hpp"
#include "smo/status.hpp"
#include "support/fake_reply.hpp"
#include "support/test_context.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using smo::test::reply_of;
using smo::test::TestRig;
using namespace smo::remote;

namespace {

const std::string k_v141 = "b2c5d82f00112233445566778899aabbccddeeff";
const std::string k_v142 = "c3d4e5f60718293a4b5c6d7e8f90112233445566";

std::string probe_reply(const std::string& head, const std::string& changes,
                        const std::string& lock) {
    return reply_of({remote::k_head, head, remote::k_status}) + changes +
           reply_of({remote::k_lock}) + lock +
           reply_of({remote::k_now_ms, "1765000060000", remote::k_pm2}) +
           "[PM2] Spawning PM2 daemon\n"
           "[{\"name\":\"eo-main\",\"pid\":77,\"pm2_env\":{\"status\":\"online\","
           "\"restart_time\":4,\"pm_uptime\":1765000018000}}]\n";
}

LiveStatus read(TestRig& rig) {
    return read_live_status(rig.config, rig.target, rig.shell, rig.http, rig.git, rig.files);
}

} // namespace

TEST_CASE("status: one GET, one read-only command, every key of the JSON", "[status]") {
    TestRig rig;
    rig.files.files["/repo/docs/deploys/2026-04-18-v1.4.2.md"] =
        "---\ntag: v1.4.2\ncommit: c3d4e5f\nenv: production\nstatus: success\n---\n";
    rig.files.files["/repo/docs/deploys/2026-04-19-rollback-v1.4.3-to-v1.4.2.md"] =
        "---\nkind: rollback\nenv: production\nfrom_tag: v1.4.3\nto_tag: v1.4.2\ntag: v1.4.2\n"
        "commit: c3d4e5f\noutcome: success\n---\n";
    rig.http.reply(200, R"({"status":"ok","commit":"c3d4e5f"})");
    rig.shell.on(remote::k_head, 0, probe_reply(k_v142, "", ""));
    const LiveStatus status = read(rig);
    CHECK(rig.http.requests.size() == 1);
    REQUIRE(rig.shell.commands.size() == 1);
    for (const char* changing : {"mkdir", "rm ", "mv ", "checkout", "reload", "touch"}) {
        CHECK(rig.shell.commands[0].find(changing) == std::string::npos);
    }
    const nlohmann::json json = live_status_json(status);
    CHECK(json["live_tag"] == "v1.4.2");
    CHECK(json["live_commit"] == k_v142);
    CHECK(json["served_commit"] == "c3d4e5f");
    CHECK(json["healthy"] == true);
    CHECK(json["tree_clean"] == true);
    CHECK(json["pm2"] ==
          nlohmann::json{{"status", "online"}, {"restarts", 4}, {"uptime_seconds", 42}});
    CHECK(json["lock"].is_null());
    CHECK(json["prepared"].is_null());
    CHECK(json["journal"].is_null());
    CHECK(json["last_rollback"]["from"] == "v1.4.3");
    CHECK(json["last_rollback"]["to"] == "v1.4.2");
    CHECK(json["last_rollback"]["outcome"] == "success");
    const std::string text = render_live_status(status);
    CHECK_THAT(text, Catch::Contains("Live:        v1.4.2 (c3d4e5f)\n"));
    CHECK_THAT(text, Catch::Contains("Serving:     c3d4e5f — healthy\n"));
    CHECK_THAT(text, Catch::Contains("PM2:         online, 4 restart(s), up 42s\n"));
}

TEST_CASE("status: the warm standby and an unfinished rollback's journal", "[status]") {
    TestRig rig;
    rig.http.reply(500, R"({"status":"error","commit":"b2c5d82"})");
    const std::string standby = "smo-prepared 1\nto_tag=v1.4.1\nto_commit=" + k_v141 +
                                "\nfrom_commit=" + k_v142 +
                                "\nconfig=abc\nbuilt_at=2026-04-19T02:00:00Z\nbuilt_by=bob@ci\n"
                                "modules=none\n";
    const std::string journal = "smo-journal 1\nfrom_tag=v1.4.2\nfrom_commit=" + k_v142 +
                                "\nto_tag=v1.4.1\nto_commit=" + k_v141 +
                                "\nopened_at=2026-04-19T03:00:00Z\nholder=ann@laptop pid 7\n"
                                "done=db_rollback\ndone=checkout\n";
    rig.shell.on(remote::k_head, 0,
                 reply_of({k_standby, standby, k_standby_end, k_status_journal, journal,
                           k_status_journal_end}) +
                     probe_reply(k_v142, "", ""));
    const LiveStatus status = read(rig);
    REQUIRE(rig.shell.commands.size() == 1);
    const nlohmann::json json = live_status_json(status);
    CHECK(json["prepared"] == nlohmann::json{{"tag", "v1.4.1"},
                                             {"commit", k_v141},
                                             {"built_at", "2026-04-19T02:00:00Z"}});
    CHECK(json["journal"]["to"] == "v1.4.1");
    CHECK(json["journal"]["steps_done"] == nlohmann::json{"db_rollback", "checkout"});
    CHECK(json["pm2"]["status"] == "online"); // the probe after it is still read
    const std::string text = render_live_status(status);
    CHECK_THAT(text, Catch::Contains("Prepared:    v1.4.1 (b2c5d82), built 2026-04-19T02:00:00Z"));
    CHECK_THAT(text, Catch::Contains("Unfinished:  rollback v1.4.2 → v1.4.1"));

    SECTION("a closed journal is history, not an unfinished rollback") {
        TestRig closed;
        closed.http.reply(200, R"({"status":"ok","commit":"c3d4e5f"})");
        closed.shell.on(
            remote::k_head, 0,
            reply_of({k_standby, "", k_standby_end, k_status_journal,
                      journal + "closed=success 2026-04-19T03:01:00Z\n", k_status_journal_end}) +
                probe_reply(k_v142, "", ""));
        const nlohmann::json other = live_status_json(read(closed));
        CHECK(other["journal"].is_null());
        CHECK(other["prepared"].is_null());
    }
}

TEST_CASE("status: a 500, local changes and a held lock", "[status]") {
    TestRig rig;
    rig.git.commits = {{"v1.4.1", k_v141}};
    rig.http.reply(500, R"({"status":"error","commit":"b2c5d82"})");
    rig.shell.on(
        remote::k_head, 0,
        probe_reply(k_v141, " M src/server.js\n",
                    reply_of({remote::k_age_seconds + std::string("120"),
                              remote::k_owner_user + std::string("ann"),
                              remote::k_owner_host + std::string("laptop"),
                              remote::k_owner_pid + std::string("4242"),
                              remote::k_owner_time + std::string("2026-04-19T03:10:00Z")})));
    const nlohmann::json json = live_status_json(read(rig));
    CHECK(json["live_tag"] == "v1.4.1"); // from the local tags: no record says
    CHECK(json["healthy"] == false);
    CHECK(json["tree_clean"] == false);
    CHECK(json["lock"] ==
          nlohmann::json{{"holder", "ann@laptop pid 4242"}, {"since", "2026-04-19T03:10:00Z"}});
}

TEST_CASE("status: an unreachable target still reports what the app serves", "[status]") {
    TestRig rig;
    rig.http.reply(200, R"({"status":"ok","commit":"c3d4e5f"})");
    rig.shell.connect_error = "ssh deploy@100.89.148.62:22: connection refused";
    const LiveStatus status = read(rig);
    CHECK_THAT(status.unreachable, Catch::Contains("connection refused"));
    const nlohmann::json json = live_status_json(status);
    CHECK(json["served_commit"] == "c3d4e5f");
    CHECK(json["live_commit"].is_null());
    CHECK(json["pm2"].is_null());
    CHECK_THAT(json["error"].get<std::string>(), Catch::Contains("connection refused"));
}
