#include "smo/plan.hpp"
#include "smo/remote/build.hpp"
#include "smo/remote/tag.hpp"
#include "smo/stage_table.hpp"
#include "stage_fixture.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

// What each stage says it would do (Stage::plan) against what it does.
namespace {

const StagePlan& stage_plan(const RunPlan& run, std::string_view name) {
    return run.stages.at(static_cast<std::size_t>(stage_number(name) - 1));
}

// The first command of `plan` containing `text`, or "".
std::string command_with(const StagePlan& plan, const std::string& text) {
    for (const auto& command : plan.commands) {
        if (command.find(text) != std::string::npos) {
            return command;
        }
    }
    return {};
}

std::vector<std::string> every_line(const RunPlan& run) {
    std::vector<std::string> lines;
    for (const auto& plan : run.stages) {
        lines.push_back(plan.summary);
        lines.insert(lines.end(), plan.commands.begin(), plan.commands.end());
    }
    lines.insert(lines.end(), run.clean_up.commands.begin(), run.clean_up.commands.end());
    return lines;
}

// Every command the stage sent is one its plan lists (the run wraps each in
// the lock's heartbeat, so the planned text is a part of it), and every
// command of its plan ran.
void check_run_matches_plan(const FakeRemoteShell& shell, const StagePlan& plan) {
    REQUIRE_FALSE(shell.commands.empty());
    for (const auto& sent : shell.commands) {
        INFO(sent);
        bool planned = false;
        for (const auto& command : plan.commands) {
            planned =
                planned || (!command.starts_with("#") && sent.find(command) != std::string::npos);
        }
        CHECK(planned);
    }
}

} // namespace

TEST_CASE("stage plan: staged strategy, db rollback before the checkout, nothing destructive",
          "[plan][stages]") {
    TestRig rig;
    Context& context = given_release(rig);
    context.state.migration_plan = MigrationPlan::run_auto;
    rig.config.env.rollback.commands.db_rollback = "npm run db:rollback";
    const RunPlan run = plan_run(context);
    REQUIRE(run.stages.size() == static_cast<std::size_t>(k_stage_count));
    CHECK(stage_plan(run, "migration-check").summary.find("first step of the detached switch") !=
          std::string::npos);
    const std::string script = command_with(stage_plan(run, "reload"), "smo_note result=ok");
    REQUIRE_FALSE(script.empty());
    const auto head = script.find("rev-parse HEAD");
    const auto db = script.find("bash -c 'npm run db:rollback'");
    const auto checkout = script.find("checkout --detach '" + k_to_commit + "'");
    const auto reload = script.find("pm2 reload");
    CHECK(head < db);
    CHECK(db < checkout);
    CHECK(checkout < reload);
    CHECK(reload != std::string::npos);
    CHECK_FALSE(command_with(stage_plan(run, "checkout-prev"), "worktree add --detach").empty());
    CHECK_FALSE(command_with(run.clean_up, "rmdir '" + k_lock + "'").empty());
    for (const auto& line : every_line(run)) {
        CHECK(line.find("reset --hard") == std::string::npos);
        CHECK(line.find("git clean") == std::string::npos);
        CHECK(line.find("worktree remove --force '" + k_live + "'") == std::string::npos);
    }
}

TEST_CASE("stage plan: in-place strategy builds in the live tree after the down migration",
          "[plan][stages]") {
    TestRig rig;
    Context& context = given_release(rig);
    rig.config.env.rollback.strategy = Strategy::in_place;
    rig.config.env.rollback.commands.install = "npm ci";
    rig.config.env.rollback.commands.build = "npm run build";
    rig.config.env.rollback.commands.db_rollback = "npm run db:rollback";
    context.state.migration_plan = MigrationPlan::run_auto;
    const RunPlan run = plan_run(context);
    const std::string script = command_with(stage_plan(run, "reload"), "smo_note result=ok");
    REQUIRE_FALSE(script.empty());
    const auto db = script.find("npm run db:rollback");
    const auto checkout = script.find("checkout --detach");
    const auto install = script.find("bash -c 'npm ci'");
    const auto build = script.find("bash -c 'npm run build'");
    REQUIRE(build != std::string::npos);
    CHECK(db < checkout);
    CHECK(checkout < install);
    CHECK(install < build);
    // Stages 5 and 6 say why they run nothing, in the words their run() skips with.
    CHECK(stage_plan(run, "install").commands.empty());
    CHECK(stage_plan(run, "install").summary == make_install_stage()->run(context).detail);
    CHECK(stage_plan(run, "build").summary == make_build_stage()->run(context).detail);
    for (const auto& line : every_line(run)) {
        CHECK(line.find("worktree add") == std::string::npos);
        CHECK(line.find("mv -T") == std::string::npos);
    }
}

TEST_CASE("stage plan: no migrations means stage 7 runs nothing", "[plan][stages]") {
    TestRig rig;
    Context& context = given_release(rig);
    context.state.migration_plan = MigrationPlan::none_added;
    rig.config.env.rollback.commands.db_rollback = "npm run db:rollback";
    const RunPlan run = plan_run(context);
    CHECK(stage_plan(run, "migration-check").commands.empty());
    CHECK(stage_plan(run, "migration-check").summary.find("nothing runs") != std::string::npos);
    for (const auto& line : every_line(run)) {
        CHECK(line.find("db:rollback") == std::string::npos);
    }
}

TEST_CASE("stage plan: checkout-prev runs what its plan lists", "[plan][stages]") {
    TestRig rig;
    Context& context = given_connected(rig);
    const StagePlan plan = make_checkout_prev_stage()->plan(context);
    rig.shell.on(
        "fetch --tags origin", 0,
        reply_of({remote::k_fetch_exit + std::string("0"), k_to_commit, remote::k_tracked_env,
                  remote::k_overwrites, remote::k_overwrites_done}));
    rig.shell.on("worktree add", 0, "HEAD is now at b2c5d82 v1.4.1\n");
    REQUIRE(make_checkout_prev_stage()->run(context).status == StageStatus::ok);
    CHECK(rig.shell.commands.size() == 3); // fetch, standby probe, worktree add
    check_run_matches_plan(rig.shell, plan);
}

TEST_CASE("stage plan: install runs what its plan lists", "[plan][stages]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.config.env.rollback.commands.install = "npm ci";
    context.state.secret_values = std::vector<std::string>{}; // the warning reads no env files
    const StagePlan plan = make_install_stage()->plan(context);
    // No package files could be read: the probe, then the install.
    REQUIRE(make_install_stage()->run(context).status == StageStatus::ok);
    CHECK(rig.shell.commands.size() == 2);
    check_run_matches_plan(rig.shell, plan);
}

TEST_CASE("stage plan: build runs what its plan lists", "[plan][stages]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.config.env.rollback.commands.build = "npm run build";
    const StagePlan plan = make_build_stage()->plan(context);
    rig.shell.on("npm run build", 0, reply_of({remote::k_before, remote::k_built, "!! dist/"}));
    rig.shell.on(remote::k_searched, 0, reply_of({remote::k_searched}));
    REQUIRE(make_build_stage()->run(context).status == StageStatus::ok);
    CHECK(rig.shell.commands.size() == 2); // build and list, search the outputs
    // The plan cannot know the outputs: it names a placeholder where the run
    // names "dist"; the rest of the search is the same text.
    const std::string planned_search = command_with(plan, "<each build output>");
    REQUIRE_FALSE(planned_search.empty());
    CHECK(rig.shell.commands[1].find(planned_search.substr(0, planned_search.find("'<each"))) !=
          std::string::npos);
    CHECK(rig.shell.commands[0].find(command_with(plan, remote::k_built)) != std::string::npos);
}
