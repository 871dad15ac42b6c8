#include "smo/remote/build.hpp"
#include "smo/remote/lock.hpp"
#include "stage_fixture.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;
using smo::remote::k_before;
using smo::remote::k_before_failed;
using smo::remote::k_binary;
using smo::remote::k_built;
using smo::remote::k_rewrote;
using smo::remote::k_searched;
using smo::remote::k_text;

namespace {

StageOutcome run_stage(TestRig& rig) {
    return make_build_stage()->run(rig.context());
}

} // namespace

TEST_CASE("build: builds in staging and records the outputs", "[stages][build]") {
    TestRig rig;
    Context& context = given_connected(rig);
    // The build's own output comes between the listings and may look like
    // anything.
    rig.shell.on("npm run build", 0,
                 reply_of({k_before, "!! .env", "!! node_modules/", "!! not-an-output/", k_built,
                           "!! .env", "!! dist/", "!! node_modules/", "!! .env.local"}));
    rig.shell.on(k_searched, 0, reply_of({k_searched}));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    REQUIRE(rig.shell.commands.size() == 2);
    const std::string status =
        "git -C '" + k_staging + "' status --porcelain --ignored --untracked-files=normal";
    CHECK(rig.shell.commands[0] ==
          remote::with_heartbeat(context.state.paths,
                                 "echo smo:before\n" + status +
                                     " || echo smo:before-failed\n(\ncd '" + k_staging +
                                     "' && npm run build\n) && echo smo:built && " + status));
    CHECK(context.state.build_outputs == std::vector<std::string>{"dist"});
    CHECK(outcome.detail.find("outputs: dist") != std::string::npos);
    // The outputs are searched for the staging path; none names it.
    CHECK(
        rig.shell.commands[1].find("grep -rlF --exclude-dir=cache --exclude-dir=node_modules -e '" +
                                   k_staging + "' -e \"$S\" -- 'dist'") != std::string::npos);
    CHECK_FALSE(rig.shell.ran("node -e"));
    CHECK(context.report.warnings.empty());
}

TEST_CASE("build: the staging path baked into text outputs is rewritten to the live path",
          "[stages][build]") {
    TestRig rig;
    given_connected(rig);
    rig.shell.on("npm run build", 0, reply_of({k_before, k_built, "!! .next/"}));
    rig.shell.on(k_searched, 0,
                 reply_of({std::string(k_text) + ".next/required-server-files.json",
                           std::string(k_text) + ".next/server/app.js", k_searched}));
    rig.shell.on("node -e", 0,
                 reply_of({std::string(k_rewrote) + ".next/required-server-files.json",
                           std::string(k_rewrote) + ".next/server/app.js"}));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    const auto rewrites = rig.shell.commands_with("node -e");
    REQUIRE(rewrites.size() == 1);
    CHECK(rewrites[0].find("'" + k_staging +
                           "' '/opt/apps/eo-mena' \"$S\" \"$L\" -- "
                           "'.next/required-server-files.json' "
                           "'.next/server/app.js'") != std::string::npos);
    CHECK_THAT(outcome.detail,
               Catch::EndsWith("; staging path rewritten to the live path in 2 file(s): "
                               ".next/required-server-files.json, .next/server/app.js"));
}

TEST_CASE("build: the staging path baked into a binary output halts, naming in-place",
          "[stages][build]") {
    TestRig rig;
    given_connected(rig);
    rig.shell.on("npm run build", 0, reply_of({k_before, k_built, "!! build/"}));
    rig.shell.on(k_searched, 0, reply_of({std::string(k_binary) + "build/app.node", k_searched}));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::halted);
    CHECK_THAT(outcome.detail, Catch::Contains("binary files (build/app.node)"));
    CHECK_THAT(outcome.detail, Catch::Contains("set rollback.strategy to \"in-place\""));
    CHECK_FALSE(rig.shell.ran("node -e"));
}

TEST_CASE("build: devDependencies are pruned after the build when live has none",
          "[stages][build]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.shell.on("npm run build", 0, reply_of({k_before, k_built}));
    SECTION("asked") {
        context.state.prune_dev_dependencies = true;
        CHECK(run_stage(rig).status == StageStatus::ok);
        REQUIRE(rig.shell.commands.size() == 2);
        CHECK(rig.shell.commands[1] ==
              remote::with_heartbeat(rig.context().state.paths,
                                     "cd '" + k_staging + "' && npm prune --omit=dev"));
    }
    SECTION("not asked") {
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK_FALSE(rig.shell.ran("npm prune"));
    }
}

TEST_CASE("build: a failed build is SEV1 with the live app untouched", "[stages][build]") {
    TestRig rig;
    given_connected(rig);
    rig.shell.on("npm run build", 2, "", "Error: Cannot find module 'vite'\n");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::sev1);
    CHECK(outcome.detail.find("previous tag doesn't build") != std::string::npos);
    CHECK(outcome.detail.find("Cannot find module 'vite'") != std::string::npos);
    CHECK(outcome.detail.find("live app untouched") != std::string::npos);
    CHECK_FALSE(rig.shell.ran("/opt/apps/eo-mena' &&"));
}

TEST_CASE("build: no build command still lists the outputs", "[stages][build]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.config.env.rollback.commands.build.clear();
    rig.shell.on(k_built, 0, reply_of({k_before, k_built, "!! public/assets/"}));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.shell.commands[0] ==
          remote::with_heartbeat(context.state.paths,
                                 "echo smo:before\n" +
                                     remote::staging_ignored(context.state.paths) +
                                     " || echo smo:before-failed\necho smo:built && " +
                                     remote::staging_ignored(context.state.paths)));
    CHECK(context.state.build_outputs == std::vector<std::string>{"public/assets"});
}

TEST_CASE("build: outputs that cannot be listed stop the rollback", "[stages][build]") {
    TestRig rig;
    given_connected(rig);
    SECTION("after the build") {
        rig.shell.on("npm run build", 128, reply_of({k_before, k_built}),
                     "fatal: not a git repository\n");
        CHECK(run_stage(rig).exit_code == ExitCode::failed);
    }
    SECTION("before the build: what the build made cannot be told") {
        rig.shell.on("npm run build", 0,
                     reply_of({k_before, k_before_failed, k_built, "!! dist/"}));
        CHECK(run_stage(rig).exit_code == ExitCode::failed);
        CHECK(rig.context().state.build_outputs.empty());
    }
}

TEST_CASE("build: only what the build created is swapped, never user data", "[stages][build]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.shell.on(
        "npm run build", 0,
        reply_of({k_before, "!! node_modules/", "!! .cache/", k_built, "!! .cache/", "!! dist/",
                  "!! node_modules/", "!! uploads/", "!! logs/", "!! public/", "!! storage/app/"}));
    SECTION("the default rollback.keep") {
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::ok);
        // .cache/ was there before the build (the install made it); public/
        // holds the kept public/uploads; storage/app/ is inside kept storage.
        CHECK(context.state.build_outputs == std::vector<std::string>{"dist"});
        CHECK(outcome.detail.find("outputs: dist; left in place (rollback.keep): uploads, logs, "
                                  "public, storage/app") != std::string::npos);
    }
    SECTION("an empty rollback.keep swaps every entry the build created") {
        rig.config.env.rollback.keep.clear();
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(context.state.build_outputs ==
              std::vector<std::string>{"dist", "uploads", "logs", "public", "storage/app"});
    }
}

TEST_CASE("build: in-place strategy builds at stage 8", "[stages][build]") {
    TestRig rig;
    given_connected(rig);
    rig.config.env.rollback.strategy = Strategy::in_place;
    CHECK(run_stage(rig).status == StageStatus::skipped);
    CHECK(rig.shell.commands.empty());
}
