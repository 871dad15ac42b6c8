// What makes a rollback fast, end to end against the sandbox (issue 16): the
// target's login shell paid once per run, and an `npm version` bump that
// reuses the live node_modules instead of reinstalling.
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace smo::integration;

namespace {

// Lines in target-home/login-shells: one per login shell the target ran.
int login_shells(const Sandbox& sandbox) {
    std::ifstream in(sandbox.dir() / "target-home" / "login-shells");
    int count = 0;
    for (std::string line; std::getline(in, line);) {
        ++count;
    }
    return count;
}

} // namespace

TEST_CASE("an npm version bump reuses node_modules and the login shell runs once per rollback",
          "[rollback][integration][speed]") {
    Sandbox sandbox({"--bad", "500", "--version-bump", "--login-cost", "0.2"});
    // The releases really differ in their package files, in the version only.
    const ProcessResult diff = sandbox.remote(
        "git diff --stat v1.1.0 v1.2.0 -- package.json package-lock.json | tail -n1");
    REQUIRE_THAT(diff.out, Catch::Contains("2 files changed"));
    const int before = login_shells(sandbox);

    const ProcessResult run = sandbox.run_binary({"--json"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("reused live node_modules by hard-link copy: same "
                                        "dependency set"));
    CHECK(login_shells(sandbox) - before == 1);

    const std::string v110 = sandbox.value("COMMIT_V1_1_0");
    CHECK(trim(sandbox.remote("git rev-parse HEAD").out) == v110);
    CHECK(sandbox.remote("git status --porcelain --untracked-files=no").out.empty());
    CHECK(trim(sandbox.remote("node -p \"require('./package.json').version\"").out) == "1.1.0");
    // The reused dependency is there and the app serves the rolled-back commit.
    CHECK(sandbox.remote("test -f node_modules/smo-demo-json/package.json").exit_code == 0);
    const HttpResponse health = sandbox.health();
    CHECK(health.status == 200);
    CHECK_THAT(health.body, Catch::Contains("\"commit\":\"" + v110 + "\""));
}
