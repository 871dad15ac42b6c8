// Stage 3's healthy-live gate (src/stages/healthy_live.cpp), through the
// ssh-connect stage and the fakes.
#include "smo/remote/live_checks.hpp"
#include "smo/remote/lock.hpp"
#include "stage_fixture.hpp"
#include "stages/stage_support.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

// Stage 1 saw the live release healthy and serving `served`; the target's
// HEAD is v1.4.2; 2_add_email would be undone.
Context& given_healthy_live(TestRig& rig, const std::string& served = k_from_commit) {
    Context& context = given_release(rig);
    context.state.served_commit = served.substr(0, 7);
    context.state.served_healthy = true;
    context.state.added_migrations = {"db/migrations/2_add_email.up.sql",
                                      "db/migrations/2_add_email.down.sql"};
    rig.shell.on("if mkdir", 0, smo::test::reply_of({smo::remote::k_acquired}));
    rig.shell.on(smo::remote::k_status, 0,
                 smo::test::reply_of({smo::remote::k_status, smo::remote::k_head, k_from_commit}));
    return context;
}

StageOutcome run_stage(TestRig& rig) {
    return make_ssh_connect_stage()->run(rig.context());
}

const char* const k_question =
    "v1.4.2 is healthy. Roll back to v1.4.1 anyway (undoes 2_add_email)? [y/N]";

} // namespace

TEST_CASE("healthy live: --auto halts, nobody asked, nothing run after the checks",
          "[stages][ssh-connect][healthy]") {
    TestRig rig;
    given_healthy_live(rig);
    rig.options.auto_mode = true;
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::halted);
    CHECK(outcome.detail.find("v1.4.2 (c3d4e5f) answers healthy") != std::string::npos);
    CHECK(outcome.detail.find("--auto never rolls back a healthy release") != std::string::npos);
    CHECK(outcome.detail.find("re-run with --yes") != std::string::npos);
    CHECK(rig.prompt.questions.empty());
    CHECK(rig.shell.commands.size() == 2); // the lock and the live checks only
}

TEST_CASE("healthy live: no terminal and no --yes halts", "[stages][ssh-connect][healthy]") {
    TestRig rig;
    given_healthy_live(rig);
    rig.prompt.interactive = false;
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::halted);
    CHECK(outcome.detail.find("no terminal to ask") != std::string::npos);
    CHECK(rig.prompt.questions.empty());
}

TEST_CASE("healthy live: at a terminal the operator decides", "[stages][ssh-connect][healthy]") {
    TestRig rig;
    given_healthy_live(rig);
    SECTION("yes: on with the rollback") {
        rig.prompt.answers = {true};
        CHECK(run_stage(rig).status == StageStatus::ok);
    }
    SECTION("no: halted") {
        rig.prompt.answers = {false};
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("the operator said no") != std::string::npos);
    }
    SECTION("input ended: halted") {
        CHECK(run_stage(rig).exit_code == ExitCode::halted);
    }
    REQUIRE(rig.prompt.questions.size() == 1);
    CHECK(rig.prompt.questions[0] == k_question);
    REQUIRE(rig.reporter.prompts.size() == 1);
    CHECK(rig.reporter.prompts[0] == k_question);
}

TEST_CASE("healthy live: --yes answers in advance, even with --auto",
          "[stages][ssh-connect][healthy]") {
    TestRig rig;
    given_healthy_live(rig);
    rig.options.yes = true;
    rig.options.auto_mode = true;
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(rig.prompt.questions.empty());
    REQUIRE(rig.reporter.warnings.size() == 1);
    CHECK(rig.reporter.warnings[0].find("rolling back anyway (--yes)") != std::string::npos);
}

TEST_CASE("healthy live: an unhealthy, unreachable or mismatched app is rolled back unasked",
          "[stages][ssh-connect][healthy]") {
    TestRig rig;
    rig.options.auto_mode = true;
    SECTION("unhealthy (500 or status error at stage 1)") {
        given_healthy_live(rig).state.served_healthy = false;
    }
    SECTION("unreachable") {
        Context& context = given_healthy_live(rig);
        context.state.served_healthy = false;
        context.state.served_commit.clear();
    }
    SECTION("healthy, but serving another commit than the live HEAD (a stale build)") {
        given_healthy_live(rig, k_to_commit);
    }
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code != ExitCode::halted);
    CHECK(rig.prompt.questions.empty());
}

TEST_CASE("healthy live: a drill never asks", "[stages][ssh-connect][healthy]") {
    TestRig rig;
    given_healthy_live(rig);
    rig.options.dry_run = true;
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(rig.prompt.questions.empty());
}

TEST_CASE("healthy live: the question without migrations to undo", "[stages][healthy]") {
    TestRig rig;
    Context& context = given_release(rig);
    CHECK(stages::healthy_question(context) ==
          "v1.4.2 is healthy. Roll back to v1.4.1 anyway? [y/N]");
}
