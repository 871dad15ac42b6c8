#include "smo/remote_replies.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::remote;

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

TEST_CASE("replies: a marker is a whole line", "[remote]") {
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
