#include "smo/remote/live_checks.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::remote;
using smo::test::reply_of;

TEST_CASE("remote live checks: tools, tree and HEAD in one reply", "[remote][live-checks]") {
    const std::string head = "c3d4e5f60718293a4b5c6d7e8f90112233445566";
    const LiveChecks clean = parse_live_checks(reply_of({k_status, k_head, head}));
    CHECK(clean.missing_tools.empty());
    CHECK(clean.status_ok);
    CHECK(clean.changes.empty());
    CHECK(clean.head_ok);
    CHECK(clean.head == head);

    const LiveChecks dirty =
        parse_live_checks(reply_of({std::string(k_missing) + "pm2", k_status, " M server.js",
                                    "?? x", k_head, std::string(k_head_failed) + " 128"}));
    CHECK(dirty.missing_tools == std::vector<std::string>{"pm2"});
    CHECK(dirty.changes == std::vector<std::string>{" M server.js", "?? x"});
    CHECK_FALSE(dirty.head_ok);

    const LiveChecks broken =
        parse_live_checks(reply_of({k_status, std::string(k_status_failed) + " 128", k_head}));
    CHECK_FALSE(broken.status_ok);
    CHECK_FALSE(parse_live_checks("").status_ok);
}

TEST_CASE("remote live checks: the script prints the markers the parser reads",
          "[remote][live-checks]") {
    const RemotePaths paths = remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1");
    const std::string script = live_checks(paths);
    CHECK(script.find("echo \"" + std::string(k_missing) + "$tool\"") != std::string::npos);
    CHECK(script.find("echo " + std::string(k_status) + "\n" + live_status(paths) + " || echo \"" +
                      k_status_failed + " $?\"") != std::string::npos);
    CHECK(script.find("echo " + std::string(k_head) + "\n" + live_head(paths) + " || echo \"" +
                      k_head_failed + " $?\"") != std::string::npos);
}
