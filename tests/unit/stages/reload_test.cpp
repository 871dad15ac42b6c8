#include "stage_fixture.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

Context& built(TestRig& rig) {
    Context& context = given_connected(rig);
    context.state.staged = true;
    context.state.build_outputs = {"dist"};
    return context;
}

StageOutcome run_stage(TestRig& rig) {
    return make_reload_stage()->run(rig.context());
}

} // namespace

// What activate prints when it got through `count` of its steps.
std::string reached(int count) {
    const char* markers[] = {"smo:aside-ready\n", "smo:checked-out\n", "smo:swapped\n",
                             "smo:reloaded\n"};
    std::string out;
    for (int i = 0; i < count; ++i) {
        out += markers[i];
    }
    return out;
}

TEST_CASE("reload: staged: aside, checkout, swap and reload in one script", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    rig.shell.on("smo:aside-ready", 0, reached(4));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    REQUIRE(rig.shell.commands.size() == 1);
    const std::string& script = rig.shell.commands[0];
    const auto at = [&](const std::string& text) {
        const auto found = script.find(text);
        CHECK(found != std::string::npos);
        return found;
    };
    // A new aside of its own: nothing removed, an existing one never reused.
    const auto aside = at("mkdir -p '" + k_asides + "' && mkdir '" + k_aside + "' || exit 40");
    CHECK(script.find("rm ") == std::string::npos);
    const auto checkout =
        at("git -C '/opt/apps/eo-mena' checkout --detach '" + k_to_commit + "' || exit 41");
    const auto modules_out =
        at("mv -T '/opt/apps/eo-mena/node_modules' '" + k_aside + "/node_modules'");
    const auto modules_in =
        at("mv -T '" + k_staging + "/node_modules' '/opt/apps/eo-mena/node_modules'");
    const auto dist_out = at("mv -T '/opt/apps/eo-mena/dist' '" + k_aside + "/dist'");
    const auto dist_in = at("mv -T '" + k_staging + "/dist' '/opt/apps/eo-mena/dist'");
    const auto reload = at("(\ncd '/opt/apps/eo-mena' && pm2 reload 'eo-main'\n) || exit 43");
    CHECK(aside < checkout);
    CHECK(checkout < modules_out);
    CHECK(modules_out < modules_in);
    CHECK(modules_in < dist_out);
    CHECK(dist_out < dist_in);
    CHECK(dist_in < reload);
    CHECK(context.state.live_changed);
    CHECK(context.state.reloaded);
    CHECK(context.report.target_state == "v1.4.1 (b2c5d82) reloaded under PM2 eo-main");
    CHECK(no_destructive_git(rig.shell));
}

TEST_CASE("reload: the aside area cannot be prepared: nothing changed", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    rig.shell.on("smo:aside-ready", 40, "", "rm: cannot remove: Permission denied\n");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::failed);
    CHECK(outcome.detail.find("live tree untouched") != std::string::npos);
    CHECK_FALSE(context.state.live_changed);
}

TEST_CASE("reload: a refused checkout leaves the live tree untouched", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    rig.shell.on("smo:aside-ready", 41, reached(1),
                 "error: Your local changes to the following files would be overwritten by "
                 "checkout:\n\tserver.js\nAborting\n");
    rig.shell.on("rev-parse HEAD", 0, k_from_commit + "\n");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::failed);
    CHECK(outcome.detail.find("live tree untouched, still v1.4.2") != std::string::npos);
    CHECK(outcome.detail.find("Aborting") != std::string::npos);
    CHECK_FALSE(context.state.live_changed);
    CHECK(rig.shell.commands.size() == 2);
}

TEST_CASE("reload: a checkout that failed half-way says the state is unknown", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    rig.shell.on("smo:aside-ready", 41, reached(1), "fatal: unable to write new index file\n");
    rig.shell.on("rev-parse HEAD", 0, k_to_commit + "\n");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::failed);
    CHECK(outcome.detail.find("state unknown") != std::string::npos);
    CHECK(context.state.live_changed);
}

TEST_CASE("reload: a refused checkout after a down migration says so", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    context.state.migrations_rolled_back = true;
    rig.shell.on("smo:aside-ready", 41, reached(1), "error: would be overwritten\n");
    rig.shell.on("rev-parse HEAD", 0, k_from_commit + "\n");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.detail.find("database was already rolled back") != std::string::npos);
    CHECK(context.report.target_state.find("database was already rolled back") !=
          std::string::npos);
}

TEST_CASE("reload: a failed swap or reload fails with the target's state", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    SECTION("swap") {
        rig.shell.on("smo:aside-ready", 42, reached(2), "mv: cannot move: Directory not empty\n");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::failed);
        CHECK(context.state.live_changed);
        CHECK_FALSE(context.state.reloaded);
        CHECK(context.report.target_state.find("swap incomplete") != std::string::npos);
    }
    SECTION("reload") {
        rig.shell.on("smo:aside-ready", 43, reached(3), "[PM2][ERROR] Process eo-main not found\n");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::failed);
        CHECK(outcome.detail.find("Process eo-main not found") != std::string::npos);
        CHECK(context.report.target_state.find("reload failed") != std::string::npos);
        CHECK_FALSE(context.state.reloaded);
    }
    SECTION("timed out during the reload") {
        rig.shell.on("smo:aside-ready", 124, reached(3), "");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.detail.find("timed out") != std::string::npos);
        CHECK(context.report.target_state.find("reload failed") != std::string::npos);
    }
    CHECK(rig.shell.commands.size() == 1);
}

TEST_CASE("reload: in-place is the literal runbook in the live tree", "[stages][reload]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.config.env.rollback.strategy = Strategy::in_place;
    SECTION("ok") {
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(rig.shell.commands ==
              std::vector<std::string>{
                  "git -C '/opt/apps/eo-mena' checkout --detach '" + k_to_commit + "'",
                  "cd '/opt/apps/eo-mena' && npm ci", "cd '/opt/apps/eo-mena' && npm run build",
                  "cd '/opt/apps/eo-mena' && pm2 reload 'eo-main'"});
        CHECK(context.state.reloaded);
    }
    SECTION("build fails: SEV1, the tree is changed") {
        rig.shell.on("npm run build", 1, "", "build exploded\n");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::sev1);
        CHECK(context.state.live_changed);
        CHECK_FALSE(rig.shell.ran("pm2 reload"));
    }
}

TEST_CASE("reload: the down migration runs before the checkout, in both strategies",
          "[stages][reload][migration-check]") {
    for (const Strategy strategy : {Strategy::staged, Strategy::in_place}) {
        TestRig rig;
        Context& context = built(rig);
        rig.config.env.rollback.strategy = strategy;
        context.state.migration_plan = MigrationPlan::run_auto;
        context.state.added_migrations = {"db/migrations/2.js"};
        rig.shell.on("smo:aside-ready", 0, reached(4));
        REQUIRE(make_migration_check_stage()->run(context).status == StageStatus::ok);
        REQUIRE(run_stage(rig).status == StageStatus::ok);
        const int down = rig.shell.index_of("npm run db:rollback");
        const int checkout = rig.shell.index_of("checkout --detach");
        REQUIRE(down >= 0);
        CHECK(down < checkout);
        CHECK(rig.shell.commands[down] == "cd '/opt/apps/eo-mena' && npm run db:rollback");
    }
}

TEST_CASE("reload: the pm2 name is quoted into the operator's reload text", "[stages][reload]") {
    TestRig rig;
    built(rig);
    rig.config.env.pm2_name = "eo.main_v2-blue";
    rig.config.env.rollback.commands.reload = "pm2 reload {pm2_name} --update-env && pm2 save";
    rig.shell.on("smo:aside-ready", 0, reached(4));
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(rig.shell.commands.back().find(
              "(\ncd '/opt/apps/eo-mena' && pm2 reload 'eo.main_v2-blue' --update-env && pm2 "
              "save\n) || exit 43") != std::string::npos);
}

TEST_CASE("reload: a drill only checks the PM2 process", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    rig.options.dry_run = true;
    SECTION("online") {
        rig.shell.on(
            "pm2 jlist", 0,
            R"([{"name":"eo-main","pid":811,"pm2_env":{"status":"online","restart_time":2}}])");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::ok);
        CHECK(outcome.detail.find("online (pid 811, 2 restarts)") != std::string::npos);
    }
    SECTION("stopped") {
        rig.shell.on("pm2 jlist", 0,
                     R"([{"name":"eo-main","pid":0,"pm2_env":{"status":"stopped"}}])");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::drill_failed);
        CHECK(outcome.detail.find("stopped") != std::string::npos);
    }
    SECTION("absent") {
        rig.shell.on("pm2 jlist", 0, "[]");
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
    SECTION("pm2 fails") {
        rig.shell.on("pm2 jlist", 127, "", "pm2: command not found\n");
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
    CHECK(rig.shell.commands == std::vector<std::string>{"pm2 jlist"});
    CHECK_FALSE(context.state.live_changed);
}
