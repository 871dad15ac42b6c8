// A build that writes its own absolute directory into its output, as Next.js
// `output: 'standalone'` does (server.js, required-server-files.json): built
// in the staging tree and moved into the live one, the release boots only
// because stage 6 rewrote the staging path (docs/stages.md). Offline: the
// sandbox's demo app with --baked-root stands in for Next.js.
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace smo::integration;

namespace {

// Polls /api/health until it answers 200 with `commit`, for up to 30 s.
bool serves_commit(const Sandbox& sandbox, const std::string& commit) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        const HttpResponse health = sandbox.health();
        if (health.status == 200 &&
            health.body.find("\"commit\":\"" + commit + "\"") != std::string::npos) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
}

} // namespace

TEST_CASE("a build that bakes its own path boots from the live tree after the staged rollback",
          "[rollback][integration][baked]") {
    Sandbox sandbox({"--bad", "500", "--baked-root"});
    const std::string live = sandbox.live_path().string();
    // The live release names the tree it was built in.
    REQUIRE_THAT(sandbox.remote("cat dist/server-files.json").out,
                 Catch::Contains("\"appDir\":\"" + live + "\""));

    const ProcessResult run = sandbox.run_binary({"--json"});
    INFO(run.out);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("staging path rewritten to the live path in 1 file(s): "
                                        "dist/server-files.json"));

    const std::string v110 = sandbox.value("COMMIT_V1_1_0");
    CHECK_THAT(sandbox.remote("cat dist/server-files.json").out,
               Catch::Contains("\"appDir\":\"" + live + "\""));
    // No file of the live tree names the staging area any more.
    const ProcessResult left = sandbox.remote("grep -rlF .smo-rollback/ dist; echo done");
    CHECK(left.out == "done\n");
    // The next start (a crash, a reboot) boots from the live tree too: the
    // staging tree is gone.
    REQUIRE(sandbox.remote("pm2 restart smo-demo").exit_code == 0);
    CHECK(serves_commit(sandbox, v110));
}
