#include "smo/errors.hpp"
#include "stage_fixture.hpp"
#include "support/fake_switch.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

const char* const k_package_json =
    R"({"name":"demo","scripts":{"build":"node build.js","db:rollback":"node scripts/migrate.js down"}})";

Context& with_plan(TestRig& rig, MigrationPlan plan) {
    Context& context = given_connected(rig);
    context.state.migration_plan = plan;
    if (plan != MigrationPlan::none_added) {
        context.state.added_migrations = {"db/migrations/20260418_add_orders.js"};
    }
    return context;
}

StageOutcome run_stage(TestRig& rig) {
    return make_migration_check_stage()->run(rig.context());
}

} // namespace

TEST_CASE("migration-check: nothing added, nothing run", "[stages][migration-check]") {
    TestRig rig;
    with_plan(rig, MigrationPlan::none_added);
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::skipped);
    CHECK(outcome.detail == "no migrations between tags");
    CHECK(rig.shell.commands.empty());
}

TEST_CASE("migration-check: auto runs db_rollback in the live tree, as the detached switch's "
          "first step",
          "[stages][migration-check]") {
    TestRig rig;
    Context& context = with_plan(rig, MigrationPlan::run_auto);
    FakeSwitch target;
    target.install(rig.shell);
    SECTION("ok") {
        target.progress = {"begin=db_rollback\n", "done=db_rollback\n", "done=aside\n"};
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::ok);
        CHECK(target.launches == 1);
        CHECK(target.launched.find("bash -c '\\''npm run db:rollback'\\''") != std::string::npos);
        CHECK(target.journal.find("smo-journal 1\n") == 0); // written before anything ran
        CHECK(context.state.migrations_rolled_back);
        CHECK(context.state.journal_open);
    }
    SECTION("failed: exit 5, still on the from-release") {
        rig.shell.on("tail -n 6", 0, "Error: SQLITE_BUSY: database is locked\n");
        target.progress = {"begin=db_rollback\nfailed=db_rollback 44\nresult=failed\n"};
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::failed);
        CHECK(outcome.detail.find("down migration failed") != std::string::npos);
        CHECK(outcome.detail.find("SQLITE_BUSY") != std::string::npos);
        CHECK(outcome.detail.find("live app still on v1.4.2") != std::string::npos);
        CHECK_FALSE(context.state.migrations_rolled_back);
    }
    SECTION("already done by an interrupted run: not run twice") {
        context.state.journal_open = true;
        context.state.journal.done = {"db_rollback"};
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::skipped);
        CHECK(outcome.detail.find("interrupted run") != std::string::npos);
        CHECK(target.launches == 0);
        CHECK(context.state.migrations_rolled_back);
    }
}

TEST_CASE("migration-check: a drill checks the script exists and runs nothing",
          "[stages][migration-check]") {
    TestRig rig;
    Context& context = with_plan(rig, MigrationPlan::run_auto);
    rig.options.dry_run = true;
    SECTION("present") {
        rig.shell.on("cat '/opt/apps/eo-mena/package.json'", 0, k_package_json);
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::ok);
        CHECK(outcome.detail.find("would run `npm run db:rollback`") != std::string::npos);
        CHECK(outcome.detail.find("script \"db:rollback\" exists") != std::string::npos);
    }
    SECTION("missing") {
        rig.shell.on("cat '/opt/apps/eo-mena/package.json'", 0, R"({"scripts":{"start":"x"}})");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::drill_failed);
        CHECK(outcome.detail.find("no \"db:rollback\" script") != std::string::npos);
    }
    SECTION("not an npm script") {
        rig.config.env.rollback.commands.db_rollback = "npx knex migrate:rollback";
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(rig.shell.commands.empty());
    }
    CHECK_FALSE(rig.shell.ran("&& npm run db:rollback"));
    CHECK_FALSE(rig.shell.ran("knex"));
    CHECK_FALSE(context.state.migrations_rolled_back);
}

TEST_CASE("migration-check: manual asks twice, and no means halt", "[stages][migration-check]") {
    TestRig rig;
    Context& context = with_plan(rig, MigrationPlan::ask_manual);
    const std::vector<std::string> both{
        "The database must go back by hand before the switch. The migrations added since "
        "v1.4.1, whose down steps to run:\n"
        "  db/migrations/20260418_add_orders.js\n"
        "They are in the live tree /opt/apps/eo-mena on deploy@100.89.148.62 (still v1.4.2 "
        "(c3d4e5f)); run their down SQL against the production database, newest first.\n"
        "Run manual migration rollback? (y/n)",
        "Confirm the manual SQL rollback is done (y/n)"};
    SECTION("yes, yes") {
        rig.prompt.answers = {true, true};
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(rig.prompt.questions == both);
        CHECK(rig.reporter.prompts == both);
        CHECK(context.state.migrations_rolled_back);
    }
    SECTION("no") {
        rig.prompt.answers = {false};
        CHECK(run_stage(rig).exit_code == ExitCode::halted);
        CHECK(rig.prompt.questions.size() == 1);
    }
    SECTION("yes, then not confirmed") {
        rig.prompt.answers = {true, false};
        CHECK(run_stage(rig).exit_code == ExitCode::halted);
        CHECK_FALSE(context.state.migrations_rolled_back);
    }
    SECTION("input ended") {
        CHECK(run_stage(rig).exit_code == ExitCode::halted);
    }
    SECTION("Ctrl-C at the prompt is an interruption, not a no") {
        std::atomic<bool> interrupted{true}; // the read returned because of SIGINT
        context.interrupt_flag = &interrupted;
        CHECK_THROWS_AS(run_stage(rig), Interrupted);
        CHECK_FALSE(context.state.migrations_rolled_back);
    }
    SECTION("no terminal") {
        rig.prompt.interactive = false;
        CHECK(run_stage(rig).exit_code == ExitCode::halted);
        CHECK(rig.prompt.questions.empty());
    }
    SECTION("--auto never prompts") {
        rig.options.auto_mode = true;
        rig.prompt.answers = {true, true};
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("--auto") != std::string::npos);
        CHECK(rig.prompt.questions.empty());
    }
    SECTION("drill: reported, never asked") {
        rig.options.dry_run = true;
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(rig.prompt.questions.empty());
    }
    // Nothing runs on the target but the journal's writes (before the first
    // question, and once the operator confirmed).
    for (const auto& command : rig.shell.commands) {
        CHECK(command.find("/opt/apps/.smo-rollback/eo-mena/journal") != std::string::npos);
    }
    CHECK_FALSE(rig.shell.ran("db:rollback"));
}

TEST_CASE("migration-check: irreversible halts", "[stages][migration-check]") {
    TestRig rig;
    with_plan(rig, MigrationPlan::irreversible);
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::halted);
    CHECK(outcome.detail.find("irreversible") != std::string::npos);
}

TEST_CASE("migration-check: says how many migrations, not files, it undid",
          "[stages][migration-check]") {
    TestRig rig;
    Context& context = with_plan(rig, MigrationPlan::run_auto);
    context.state.added_migrations = {"db/migrations/003_add_flags.down.sql",
                                      "db/migrations/003_add_flags.up.sql"};
    FakeSwitch target;
    target.install(rig.shell);
    target.progress = {"begin=db_rollback\n", "done=db_rollback\n"};
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(outcome.detail.rfind("`npm run db:rollback` undid 1 migration (003_add_flags) (", 0) ==
          0);
}

TEST_CASE("migration-check: manual journals before the operator touches the database",
          "[stages][migration-check]") {
    TestRig rig;
    Context& context = with_plan(rig, MigrationPlan::ask_manual);
    FakeSwitch target;
    target.install(rig.shell);
    rig.prompt.answers = {true, true};
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(target.journal.find("smo-journal 1\nfrom_tag=v1.4.2\n") == 0);
    CHECK(target.done("db_rollback"));
    CHECK(rig.shell.index_of(remote::k_journal_open) < rig.shell.index_of("done=db_rollback"));
    CHECK(context.state.journal.has_done("db_rollback"));
    CHECK(target.launches == 0); // stage 8 starts the switch
}
