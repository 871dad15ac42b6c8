#include "stage_fixture.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

StageOutcome run_stage(TestRig& rig) {
    return make_settle_stage()->run(rig.context());
}

std::chrono::milliseconds slept(const FakeClock& clock) {
    std::chrono::milliseconds total{0};
    for (const auto s : clock.sleeps) {
        total += s;
    }
    return total;
}

} // namespace

TEST_CASE("settle: ends as soon as the app reports the to-commit", "[stages][settle]") {
    TestRig rig;
    given_connected(rig);
    rig.http.reply_unreachable();
    rig.http.reply(200, health_body(k_from_commit));
    rig.http.reply(200, health_body(k_to_commit));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.http.requests.size() == 3);
    // Four polls a second: the app is seen the moment it answers.
    CHECK(rig.clock.sleeps ==
          std::vector<std::chrono::milliseconds>(2, std::chrono::milliseconds(250)));
    CHECK(outcome.detail == "reports b2c5d82 after 0.5s");
}

TEST_CASE("settle: waits at most settle_seconds and never fails", "[stages][settle]") {
    TestRig rig;
    given_connected(rig);
    rig.config.env.rollback.settle_seconds = 10;
    rig.http.reply(502, "Bad Gateway");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(slept(rig.clock) == std::chrono::seconds(10));
    CHECK(rig.http.requests.size() == 41);
    CHECK(outcome.detail == "waited 10.0s; last: 502");
}

TEST_CASE("settle: zero seconds polls once", "[stages][settle]") {
    TestRig rig;
    given_connected(rig);
    rig.config.env.rollback.settle_seconds = 0;
    rig.http.reply_unreachable();
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(rig.http.requests.size() == 1);
    CHECK(rig.clock.sleeps.empty());
}

TEST_CASE("settle: a drill checks that the health URL answers", "[stages][settle]") {
    TestRig rig;
    given_connected(rig);
    rig.options.dry_run = true;
    SECTION("answers") {
        rig.http.reply(200, health_body(k_from_commit));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::ok);
        CHECK(outcome.detail == "the health URL answers: 200 OK (commit matched)");
    }
    SECTION("answers 500: not ok, the health-check decides") {
        rig.http.reply(500, R"({"status":"error","commit":"c3d4e5f"})");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::skipped);
        CHECK(outcome.detail.find("unhealthy") != std::string::npos);
    }
    SECTION("silent") {
        rig.http.reply_unreachable("Connection refused");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::drill_failed);
        CHECK(outcome.detail.find("Connection refused") != std::string::npos);
    }
    CHECK(rig.http.requests.size() == 1);
    CHECK(rig.clock.sleeps.empty());
}

TEST_CASE("settle: each poll is told to the operator, numbered", "[stages][settle]") {
    TestRig rig;
    given_connected(rig);
    rig.http.reply_unreachable();
    rig.http.reply(200, health_body(k_from_commit));
    rig.http.reply(200, health_body(k_to_commit));
    run_stage(rig);
    const auto& polls = rig.reporter.polls;
    REQUIRE(polls.size() == 3);
    CHECK(polls[0].stage == 9);
    CHECK(polls[0].http_status == 0);
    CHECK_FALSE(polls[1].healthy);
    CHECK(polls[1].commit == k_from_commit.substr(0, 7));
    CHECK(polls[2].number == 3);
    CHECK(polls[2].healthy);
}
