#include "stage_fixture.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

StageOutcome run_stage(TestRig& rig) {
    return make_install_stage()->run(rig.context());
}

Context& staged(TestRig& rig) {
    Context& context = given_connected(rig);
    context.state.staged = true;
    return context;
}

} // namespace

TEST_CASE("install: unchanged package files reuse the live node_modules by hard links",
          "[stages][install]") {
    TestRig rig;
    Context& context = staged(rig);
    rig.shell.on("diff --quiet", 0, "smo:reused\n");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(outcome.detail == "reused live node_modules by hard-link copy: package files unchanged");
    CHECK(context.state.reuse_node_modules);
    REQUIRE(rig.shell.commands.size() == 1);
    CHECK(rig.shell.commands[0] ==
          "if git -C '/opt/apps/eo-mena' diff --quiet '" + k_from_commit + "' '" + k_to_commit +
              "' -- package.json package-lock.json && [ -d '/opt/apps/eo-mena/node_modules' ]; "
              "then cp -al '/opt/apps/eo-mena/node_modules' '" +
              k_staging +
              "/node_modules' && echo smo:reused || echo smo:copy-failed; else echo "
              "smo:install; fi");
    CHECK_FALSE(rig.shell.ran("npm ci"));
}

TEST_CASE("install: changed package files, or no live node_modules, install in staging",
          "[stages][install]") {
    TestRig rig;
    Context& context = staged(rig);
    SECTION("changed") {
        rig.shell.on("diff --quiet", 0, "differ\nmodules\n");
    }
    SECTION("no node_modules") {
        rig.shell.on("diff --quiet", 0, "same\n");
    }
    SECTION("hard links impossible") {
        rig.shell.on("diff --quiet", 0, "same\nmodules\n");
        rig.shell.on("cp -al", 1, "", "cp: cannot create hard link: Invalid cross-device link\n");
    }
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.shell.commands.size() == 2);
    CHECK(rig.shell.commands.back() == "cd '" + k_staging + "' && npm ci --production");
    CHECK_FALSE(context.state.reuse_node_modules);
    CHECK_FALSE(rig.shell.ran("cd '/opt/apps/eo-mena' && npm"));
}

TEST_CASE("install: a failed install is SEV1, or a failed drill", "[stages][install]") {
    TestRig rig;
    staged(rig);
    rig.shell.on("diff --quiet", 0, "smo:install\n");
    rig.shell.on("npm ci", 1, "", "npm ERR! code ERESOLVE\nnpm ERR! unable to resolve\n");
    SECTION("rollback") {
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::sev1);
        CHECK(outcome.detail.find("npm ERR! unable to resolve") != std::string::npos);
        CHECK(outcome.detail.find("live app untouched") != std::string::npos);
    }
    SECTION("drill") {
        rig.options.dry_run = true;
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
}

TEST_CASE("install: in-place strategy installs at stage 8 instead", "[stages][install]") {
    TestRig rig;
    staged(rig);
    rig.config.env.rollback.strategy = Strategy::in_place;
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::skipped);
    CHECK(outcome.detail.find("stage 8") != std::string::npos);
    CHECK(rig.shell.commands.empty());
}
