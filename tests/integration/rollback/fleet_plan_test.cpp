// --plan on a fleet (docs/configuration.md "Fleets"): every host of a sandbox
// of two is named with its own address and path, and the migrations host.
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>

using namespace smo::integration;

TEST_CASE("fleet plan: every host is named with its port and path, and the migrations host",
          "[fleet][plan][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "500"});
    const ProcessResult plan = sandbox.run_binary({"--plan"});
    INFO(plan.out << plan.err);
    CHECK(plan.exit_code == 0);
    CHECK(plan.out.find("  web-1  ") != std::string::npos);
    CHECK(plan.out.find(":" + sandbox.value("HOST2_SSH_PORT") + " " +
                        sandbox.value("HOST2_LIVE_PATH") + ", pm2 ") != std::string::npos);
    CHECK(plan.out.find(" " + sandbox.value("LIVE_PATH") + ", pm2 ") != std::string::npos);
    CHECK(plan.out.find("the down migration once, on web-1\n") != std::string::npos);
}
