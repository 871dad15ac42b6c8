#include "stage_fixture.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

// What stage 1 leaves: short commits from the records.
Context& after_identify(TestRig& rig) {
    rig.git.commits["v1.4.1"] = k_to_commit;
    rig.git.commits["v1.4.2"] = k_from_commit;
    rig.git.commits[k_from_commit.substr(0, 7)] = k_from_commit;
    Context& context = rig.context();
    context.report.from_tag = "v1.4.2";
    context.report.from_commit = k_from_commit.substr(0, 7);
    context.report.to_tag = "v1.4.1";
    context.report.to_commit = k_to_commit.substr(0, 7);
    return context;
}

void migrations_added(TestRig& rig, std::vector<std::string> files) {
    rig.git.added[{k_to_commit, k_from_commit}] = std::move(files);
}

StageOutcome run_stage(TestRig& rig) {
    return make_preflight_stage()->run(rig.context());
}

} // namespace

TEST_CASE("preflight: full commits, remote paths, and no migrations means stage 7 skips",
          "[stages][preflight]") {
    TestRig rig;
    Context& context = after_identify(rig);
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(context.report.to_commit == k_to_commit);
    CHECK(context.report.from_commit == k_from_commit);
    CHECK(context.state.paths.staging == k_staging);
    CHECK(context.state.paths.aside == k_aside);
    CHECK(context.state.migration_plan == MigrationPlan::none_added);
    // Files present at from and absent at to: the diff runs from to → from.
    REQUIRE(rig.git.diff_requests.size() == 1);
    CHECK(rig.git.diff_requests[0].first == k_to_commit + ".." + k_from_commit);
    CHECK(rig.git.diff_requests[0].second == "db/migrations");
    CHECK(outcome.detail.find("no migrations added") != std::string::npos);
    CHECK(rig.shell.commands.empty());
    CHECK(rig.http.requests.empty());
}

TEST_CASE("preflight: the to-tag must resolve locally and agree with the records",
          "[stages][preflight]") {
    TestRig rig;
    after_identify(rig);
    SECTION("missing") {
        rig.git.commits.erase("v1.4.1");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::usage);
        CHECK(outcome.detail.find("tag v1.4.1 does not resolve") != std::string::npos);
    }
    SECTION("different") {
        rig.context().report.to_commit = "1234567";
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("1234567") != std::string::npos);
        CHECK(outcome.detail.find("b2c5d82") != std::string::npos);
    }
    SECTION("unknown to the records: taken from the local tag") {
        rig.context().report.to_commit.clear();
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(rig.context().report.to_commit == k_to_commit);
    }
    SECTION("the same commit as what runs") {
        rig.git.commits["v1.4.1"] = k_from_commit;
        rig.context().report.to_commit.clear();
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::usage);
        CHECK(outcome.detail.find("nothing to roll back") != std::string::npos);
    }
}

TEST_CASE("preflight: names that reach remote commands are validated", "[stages][preflight]") {
    TestRig rig;
    after_identify(rig);
    SECTION("pm2 name") {
        rig.config.env.pm2_name = "eo main;reboot";
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::usage);
        CHECK(outcome.detail.find("deploy.production.pm2_name") != std::string::npos);
    }
    SECTION("path") {
        rig.config.env.path = "apps/eo-mena";
        CHECK(run_stage(rig).exit_code == ExitCode::usage);
    }
    SECTION("env file") {
        rig.config.env.rollback.env_files = {".env", "../../etc/passwd"};
        CHECK(run_stage(rig).exit_code == ExitCode::usage);
    }
    SECTION("from tag") {
        rig.context().report.from_tag = "-v1";
        CHECK(run_stage(rig).exit_code == ExitCode::usage);
    }
}

TEST_CASE("preflight: the migration gate", "[stages][preflight]") {
    TestRig rig;
    Context& context = after_identify(rig);
    migrations_added(rig, {"db/migrations/20260418_add_orders.js"});
    SECTION("auto: stage 7 runs db_rollback") {
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::ok);
        CHECK(context.state.migration_plan == MigrationPlan::run_auto);
        CHECK(context.state.added_migrations ==
              std::vector<std::string>{"db/migrations/20260418_add_orders.js"});
        CHECK(outcome.detail.find("1 migration (20260418_add_orders)") != std::string::npos);
    }
    SECTION("none: halt now with the forward-fix question") {
        rig.config.env.migration_reversibility = Reversibility::none;
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find(
                  "This migration is irreversible. Proceed with forward-fix instead?") == 0);
        CHECK(outcome.detail.find("1 migration (20260418_add_orders)") != std::string::npos);
    }
    SECTION("none in a drill: the drill fails") {
        rig.config.env.migration_reversibility = Reversibility::none;
        rig.options.dry_run = true;
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
    SECTION("manual: asked at stage 7") {
        rig.config.env.migration_reversibility = Reversibility::manual;
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(context.state.migration_plan == MigrationPlan::ask_manual);
    }
    SECTION("manual with --auto: halt now") {
        rig.config.env.migration_reversibility = Reversibility::manual;
        rig.options.auto_mode = true;
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("--auto") != std::string::npos);
    }
    SECTION("manual in a drill: reported, never halted") {
        rig.config.env.migration_reversibility = Reversibility::manual;
        rig.options.dry_run = true;
        rig.options.auto_mode = true;
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(context.state.migration_plan == MigrationPlan::ask_manual);
    }
}

TEST_CASE("preflight: with no migrations added, reversibility does not matter",
          "[stages][preflight]") {
    TestRig rig;
    Context& context = after_identify(rig);
    rig.config.env.migration_reversibility = Reversibility::none;
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(context.state.migration_plan == MigrationPlan::none_added);
}

TEST_CASE("preflight: the migrations directory is detected at the from-commit",
          "[stages][preflight]") {
    TestRig rig;
    Context& context = after_identify(rig);
    rig.config.env.rollback.migrations_dir.clear();
    SECTION("found") {
        rig.git.paths.insert({k_from_commit, "prisma/migrations"});
        rig.git.added[{k_to_commit, k_from_commit}] = {"prisma/migrations/1/migration.sql"};
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(context.state.migrations_dir == "prisma/migrations");
        CHECK(context.state.migration_plan == MigrationPlan::run_auto);
    }
    SECTION("none") {
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::ok);
        CHECK(context.state.migration_plan == MigrationPlan::none_added);
        CHECK(rig.git.diff_requests.empty());
        CHECK(outcome.detail.find("no migrations directory") != std::string::npos);
    }
}

TEST_CASE("preflight: an unknown current commit defers the gate to stage 3",
          "[stages][preflight]") {
    TestRig rig;
    Context& context = after_identify(rig);
    context.report.from_tag.clear();
    context.report.from_commit.clear();
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.git.diff_requests.empty());
    CHECK(outcome.detail.find("stage 3") != std::string::npos);
    CHECK(context.state.paths.aside == k_asides + "/" + k_stamp + "-unknown");
}

TEST_CASE("preflight: an up/down pair is counted as one migration, by name",
          "[stages][preflight]") {
    TestRig rig;
    after_identify(rig);
    migrations_added(
        rig, {"db/migrations/003_add_flags.down.sql", "db/migrations/003_add_flags.up.sql"});
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(outcome.detail.find("1 migration (003_add_flags) added since v1.4.1") !=
          std::string::npos);
}

TEST_CASE("preflight: a release newer than the live one is a deploy, not a rollback",
          "[stages][preflight]") {
    TestRig rig;
    Context& context = after_identify(rig);
    // From v1.4.2 "back" to v1.4.3, whose history holds v1.4.2.
    const std::string v143 = "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3";
    rig.git.commits["v1.4.3"] = v143;
    rig.git.ancestry.insert({k_from_commit, v143});
    context.report.to_tag = "v1.4.3";
    context.report.to_commit.clear();
    rig.options.to_tag = "v1.4.3";
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::usage);
    CHECK(outcome.detail ==
          "v1.4.3 (d4e5f6a) is newer than the live v1.4.2 (c3d4e5f) (the live commit is an "
          "ancestor of it): going there is a deploy, not a rollback; nothing was touched. Deploy "
          "it with /smo-deploy v1.4.3");
    CHECK(rig.git.diff_requests.empty()); // stopped before the migration gate
}

TEST_CASE("preflight: an older release on a side branch is still a rollback",
          "[stages][preflight]") {
    TestRig rig;
    after_identify(rig);
    // v1.4.1 and v1.4.2 are unrelated (a hotfix branch): not a roll-forward.
    CHECK(run_stage(rig).status == StageStatus::ok);
    rig.git.ancestry.insert({k_to_commit, k_from_commit}); // the usual case
    CHECK(run_stage(rig).status == StageStatus::ok);
}
