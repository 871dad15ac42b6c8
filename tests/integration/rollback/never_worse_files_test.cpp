// Never make it worse, on the files of the target (docs/safety.md): the
// checkout never overwrites an ignored live file, and the switch swaps only
// build outputs, never the users' data; asides rotate, never reused.
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>

using namespace smo::integration;

namespace {

// "sha256  path" lines of the users' files, in a stable order.
std::string user_files(const Sandbox& sandbox) {
    return sandbox
        .remote("find uploads logs -type f ! -name build.log ! -name .keep | sort | "
                "xargs sha256sum")
        .out;
}

std::string live_env_secret(const Sandbox& sandbox) {
    return trim(sandbox.remote("grep '^SECRET=' .env").out);
}

} // namespace

TEST_CASE("an old release that tracked .env halts before anything changes",
          "[rollback][integration][safety]") {
    Sandbox sandbox({"--bad", "500", "--tracked-env"});
    REQUIRE(live_env_secret(sandbox) == "SECRET=sandbox-secret-do-not-print");
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    const ProcessResult run = sandbox.run_binary({"--auto"});
    INFO(run.err);
    CHECK(run.exit_code == 3);
    CHECK(run.err.find("[4/12] checkout-prev") != std::string::npos);
    CHECK(run.err.find("v1.1.0 tracks the env file(s) .env (committed by mistake?)") !=
          std::string::npos);
    CHECK(run.err.find("[7/12]") == std::string::npos);
    // HEAD, every file by hash (.env included), the served build, the PM2
    // process, the schema, the work area: exactly as before.
    CHECK(TargetSnapshot::take(sandbox) == before);
    CHECK(live_env_secret(sandbox) == "SECRET=sandbox-secret-do-not-print");
}

TEST_CASE("the switch keeps the users' files and rotates the asides",
          "[rollback][integration][safety]") {
    Sandbox sandbox({"--bad", "500", "--uploads"});
    const std::string users_before = user_files(sandbox);
    REQUIRE(users_before.find("uploads/avatars/42.png") != std::string::npos);
    REQUIRE(users_before.find("logs/access.log") != std::string::npos);
    // Asides of earlier rollbacks, one of them from the same release (v1.2.0).
    REQUIRE(
        sandbox
            .remote("set -e; a=../.smo-rollback/live/asides; for d in "
                    "20260101T000000Z-v0.9.0 20260201T000000Z-v1.0.0 "
                    "20260301T000000Z-v1.2.0; do mkdir -p $a/$d/uploads; echo $d > "
                    "$a/$d/uploads/user-file; done; mkdir -p ../.smo-rollback/live/aside-v1.2.0 "
                    "&& echo legacy > ../.smo-rollback/live/aside-v1.2.0/user-file")
            .exit_code == 0);
    const Pm2Process pm2_before = sandbox.pm2_describe();

    const ProcessResult run = sandbox.run_binary({"--auto"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.err.find("left in place (rollback.keep): logs, uploads") != std::string::npos);
    CHECK(run.err.find("swapped in node_modules, dist (") != std::string::npos);

    CHECK(trim(sandbox.remote("git rev-parse HEAD").out) == sandbox.value("COMMIT_V1_1_0"));
    const HttpResponse health = sandbox.health();
    CHECK(health.status == 200);
    CHECK(health.body.find("\"commit\":\"" + sandbox.value("COMMIT_V1_1_0") + "\"") !=
          std::string::npos);
    CHECK(sandbox.pm2_describe().pid != pm2_before.pid); // reloaded
    CHECK(user_files(sandbox) == users_before);          // every user file, same bytes
    CHECK(live_env_secret(sandbox) == "SECRET=sandbox-secret-do-not-print");

    // keep_releases 3: this run's aside and the two newest earlier ones; the
    // old-style aside and anything not made by the tool stay.
    const std::string asides =
        sandbox.remote("ls -1 ../.smo-rollback/live/asides | sed 's/^[0-9]*T[0-9]*Z-/STAMP-/'").out;
    CHECK(asides == "STAMP-v1.0.0\nSTAMP-v1.2.0\nSTAMP-v1.2.0\n");
    CHECK(sandbox
              .remote("test -f ../.smo-rollback/live/asides/20260301T000000Z-v1.2.0/uploads/"
                      "user-file")
              .exit_code == 0);
    CHECK(
        sandbox.remote("test -e ../.smo-rollback/live/asides/20260101T000000Z-v0.9.0").exit_code !=
        0);
    CHECK(sandbox.remote("test -f ../.smo-rollback/live/aside-v1.2.0/user-file").exit_code == 0);
    const std::string newest =
        "../.smo-rollback/live/asides/" +
        trim(sandbox.remote("ls -1 ../.smo-rollback/live/asides | sort | tail -n 1").out);
    INFO(newest);
    CHECK(sandbox.remote("test -f '" + newest + "/dist/build-info.json'").exit_code == 0);
    CHECK(sandbox.remote("test -e '" + newest + "/uploads'").exit_code != 0);
}
