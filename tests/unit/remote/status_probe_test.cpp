#include "smo/remote/live_checks.hpp"
#include "smo/remote/status_probe.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::remote;
using smo::test::reply_of;

TEST_CASE("remote status probe: head, tree, lock, clock and pm2 in one reply",
          "[remote][status-probe]") {
    const std::string jlist =
        R"([{"name":"eo-main","pid":77,"pm2_env":{"status":"online","restart_time":4}}])";
    const StatusProbe held = parse_status_probe(
        reply_of({k_head, "c3d4e5f6", k_status, " M a.js", k_lock,
                  std::string(k_age_seconds) + "120", std::string(k_owner_user) + "ann", k_now_ms,
                  "1765000060000", k_pm2, jlist}),
        "eo-main");
    CHECK(held.head == "c3d4e5f6");
    CHECK(held.status_ok);
    CHECK(held.changes == std::vector<std::string>{" M a.js"});
    CHECK(held.locked);
    CHECK(held.lock.age_seconds == 120);
    CHECK(held.lock.holder.user == "ann");
    CHECK(held.now_ms == 1765000060000);
    CHECK(held.pm2.found);
    CHECK(held.pm2.pid == 77);

    const StatusProbe failed = parse_status_probe(
        reply_of({k_head, k_head_failed, k_status, k_status_failed, k_lock, k_now_ms, k_pm2}),
        "eo-main");
    CHECK(failed.head.empty());
    CHECK_FALSE(failed.status_ok);
    CHECK_FALSE(failed.locked);
    CHECK_FALSE(failed.pm2.listed);
}

TEST_CASE("remote status probe: read-only, its sections in the parser's order",
          "[remote][status-probe]") {
    const RemotePaths paths = remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1");
    const std::string probe = status_probe(paths);
    std::size_t at = 0;
    for (const char* marker : {k_head, k_status, k_lock, k_now_ms, k_pm2}) {
        const auto found = probe.find("echo " + std::string(marker) + "\n", at);
        REQUIRE(found != std::string::npos);
        at = found;
    }
    for (const char* changing : {"mkdir", "rm ", "mv ", "touch"}) {
        CHECK(probe.find(changing) == std::string::npos);
    }
}
