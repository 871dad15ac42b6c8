#include "smo/remote_replies.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::remote;

TEST_CASE("replies: the staging probe knows a registered worktree", "[remote]") {
    const std::string staging = "/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1";
    const std::string list = "worktree /opt/apps/eo-mena\nHEAD abc\nbranch refs/heads/main\n\n"
                             "worktree /opt/apps/.smo-rollback/eo-mena/staged-v1.4.1\nHEAD def\n"
                             "detached\n";
    const auto registered = parse_staging_probe("present\nreal " + staging + "\n" + list, staging);
    CHECK(registered.present);
    CHECK(registered.registered);

    const auto stranger = parse_staging_probe(
        "present\nreal " + staging + "\nworktree /opt/apps/eo-mena\nHEAD abc\n", staging);
    CHECK(stranger.present);
    CHECK_FALSE(stranger.registered);

    // The live path reached through a symlink: git lists the resolved path.
    const auto via_link =
        parse_staging_probe("present\nreal /srv/apps/.smo-rollback/eo-mena/staged-v1.4.1\n"
                            "worktree /srv/apps/.smo-rollback/eo-mena/staged-v1.4.1\n",
                            staging);
    CHECK(via_link.registered);

    const auto nothing =
        parse_staging_probe("real " + staging + "\nworktree /opt/apps/eo-mena\n", staging);
    CHECK_FALSE(nothing.present);
    CHECK_FALSE(nothing.registered);
}

TEST_CASE("replies: pm2 jlist is read past daemon lines", "[remote]") {
    const std::string out =
        "[PM2] Spawning PM2 daemon with pm2_home=/tmp/pm2\n[PM2] PM2 Successfully daemonized\n"
        R"([{"name":"other","pid":1,"pm2_env":{"status":"online","restart_time":0}},)"
        R"({"name":"eo-main","pid":4321,"pm2_env":{"status":"online","restart_time":3}}])";
    // The daemon banner starts with '[' too: the reader must not stop there.
    const Pm2Process process = find_pm2_process(out, "eo-main");
    CHECK(process.listed);
    CHECK(process.found);
    CHECK(process.status == "online");
    CHECK(process.pid == 4321);
    CHECK(process.restarts == 3);

    const Pm2Process missing = find_pm2_process("[]", "eo-main");
    CHECK(missing.listed);
    CHECK_FALSE(missing.found);

    const Pm2Process stopped = find_pm2_process(
        R"([{"name":"eo-main","pid":0,"pm2_env":{"status":"stopped","restart_time":9}}])",
        "eo-main");
    CHECK(stopped.found);
    CHECK(stopped.status == "stopped");

    CHECK_FALSE(find_pm2_process("command not found", "eo-main").listed);
}

TEST_CASE("replies: tails keep the last lines of a failure", "[remote]") {
    CHECK(tail_of("a\n\nb\nc\nd\n", 2) == "c | d");
    CHECK(tail_of("", 3).empty());
    CHECK(lines_of(" x \r\n\ny\n") == std::vector<std::string>{" x", "y"});
}

TEST_CASE("replies: live checks in one reply", "[remote]") {
    const LiveChecks clean =
        parse_live_checks("smo:status\nsmo:head\nc3d4e5f60718293a4b5c6d7e8f90112233445566\n");
    CHECK(clean.missing_tools.empty());
    CHECK(clean.status_ok);
    CHECK(clean.changes.empty());
    CHECK(clean.head_ok);
    CHECK(clean.head == "c3d4e5f60718293a4b5c6d7e8f90112233445566");

    const LiveChecks dirty = parse_live_checks(
        "smo:missing pm2\nsmo:status\n M server.js\n?? x\nsmo:head\nsmo:head-failed 128\n");
    CHECK(dirty.missing_tools == std::vector<std::string>{"pm2"});
    CHECK(dirty.changes == std::vector<std::string>{" M server.js", "?? x"});
    CHECK_FALSE(dirty.head_ok);

    const LiveChecks broken = parse_live_checks("smo:status\nsmo:status-failed 128\nsmo:head\n");
    CHECK_FALSE(broken.status_ok);
    CHECK_FALSE(parse_live_checks("").status_ok);
}

TEST_CASE("replies: fetch and tag in one reply", "[remote]") {
    const TagCheck found = parse_tag_check("smo:fetch-exit 0\nb2c5d82f0011\n");
    CHECK(found.fetch_exit == 0);
    CHECK(found.tag_commit == "b2c5d82f0011");
    const TagCheck missing = parse_tag_check("smo:fetch-exit 128\nsmo:no-tag\n");
    CHECK(missing.fetch_exit == 128);
    CHECK(missing.tag_commit.empty());
    CHECK(parse_tag_check("").fetch_exit == -1);
    CHECK(has_marker("a\nsmo:built\n", "smo:built"));
    CHECK_FALSE(has_marker("smo:built-not\n", "smo:built"));
}

TEST_CASE("is_network_failure: npm and git network errors, not build errors", "[remote]") {
    using smo::remote::is_network_failure;
    CHECK(is_network_failure("npm ERR! code EAI_AGAIN\n"));
    CHECK(is_network_failure("npm error code ECONNRESET\n"));
    CHECK(is_network_failure("npm ERR! code E502\n"));
    CHECK_FALSE(is_network_failure("npm ERR! code E404\nnpm ERR! 404 Not Found - left-pad\n"));
    CHECK(is_network_failure("fatal: unable to access 'https://x/': Could not resolve host: x\n"));
    CHECK_FALSE(is_network_failure("npm ERR! code ERESOLVE\nnpm ERR! unable to resolve tree\n"));
    CHECK_FALSE(is_network_failure("src/index.ts(3,1): error TS2304: Cannot find name 'x'.\n"));
    CHECK_FALSE(is_network_failure(""));
}

TEST_CASE("text_between: the lines between two markers, in that order only", "[remote]") {
    CHECK(remote::text_between("x\nsmo:a\none\ntwo\n\nsmo:a-end\n", "smo:a", "smo:a-end") ==
          std::string("one\ntwo"));
    CHECK(remote::text_between("smo:a\nsmo:a-end\n", "smo:a", "smo:a-end") == std::string());
    CHECK_FALSE(remote::text_between("smo:a-end\nsmo:a\n", "smo:a", "smo:a-end"));
    CHECK_FALSE(remote::text_between("smo:a\none\n", "smo:a", "smo:a-end"));
}
