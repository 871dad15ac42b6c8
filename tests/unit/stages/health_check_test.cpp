#include "smo/errors.hpp"
#include "stage_fixture.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

StageOutcome run_stage(TestRig& rig) {
    return make_health_check_stage()->run(rig.context());
}

} // namespace

TEST_CASE("health-check: stable polls turn green and stop the SLA clock",
          "[stages][health-check]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.clock.advance(std::chrono::seconds(40)); // stages 1-9
    rig.http.reply(200, health_body(k_to_commit));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.http.requests.size() == 3);
    CHECK(context.report.health_summary == "200 OK (commit matched)");
    CHECK(context.state.health_summary == "200 OK (commit matched)");
    // Good answers are re-checked a quarter second apart, not a second.
    CHECK(rig.clock.sleeps ==
          std::vector<std::chrono::milliseconds>(2, std::chrono::milliseconds(250)));
    CHECK(context.report.seconds == Approx(40.5));
    CHECK(context.report.target_state == "v1.4.1 (b2c5d82) live and healthy");
}

TEST_CASE("health-check: a bad poll restarts the count", "[stages][health-check]") {
    TestRig rig;
    given_connected(rig);
    rig.http.reply(200, health_body(k_to_commit));
    rig.http.reply(503, health_body(k_to_commit));
    rig.http.reply(200, health_body(k_to_commit));
    rig.http.reply(200, health_body(k_to_commit, "degraded"));
    rig.http.reply(200, health_body(k_to_commit));
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(rig.http.requests.size() == 7);
}

TEST_CASE("health-check: after a bad answer the next poll waits a full second",
          "[stages][health-check]") {
    TestRig rig;
    given_connected(rig);
    rig.http.reply(502, "Bad Gateway");
    rig.http.reply(200, health_body(k_to_commit));
    rig.http.reply(200, health_body(k_to_commit));
    rig.http.reply(200, health_body(k_to_commit));
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(rig.clock.sleeps == std::vector<std::chrono::milliseconds>{
                                  std::chrono::seconds(1), std::chrono::milliseconds(250),
                                  std::chrono::milliseconds(250)});
}

TEST_CASE("health-check: never healthy within the timeout is SEV1 with the last reading",
          "[stages][health-check]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.config.env.rollback.health_timeout_seconds = 60;
    SECTION("wrong commit") {
        rig.http.reply(200, health_body(k_from_commit));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::sev1);
        CHECK(outcome.detail.find("last: 200 OK (commit c3d4e5f, expected b2c5d82)") !=
              std::string::npos);
    }
    SECTION("down") {
        rig.http.reply_unreachable("Connection refused");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::sev1);
        CHECK(outcome.detail.find("no answer: Connection refused") != std::string::npos);
    }
    CHECK(rig.clock.now() - context.started == std::chrono::seconds(60));
    CHECK(rig.http.requests.size() == 61);
    CHECK(context.report.health_summary.empty());
    CHECK(context.report.seconds == 0);
    CHECK(context.report.target_state.find("unhealthy") != std::string::npos);
}

TEST_CASE("health-check: a drill expects the current commit", "[stages][health-check]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.options.dry_run = true;
    SECTION("current") {
        rig.http.reply(200, health_body(k_from_commit));
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(context.report.health_summary == "200 OK (commit matched)");
        CHECK(context.report.seconds == 0); // the drill's time is the pipeline's
    }
    SECTION("something else") {
        rig.config.env.rollback.health_timeout_seconds = 5;
        rig.http.reply(200, health_body(k_to_commit));
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
}

TEST_CASE("health-check: Ctrl-C stops the polling", "[stages][health-check]") {
    TestRig rig;
    Context& context = given_connected(rig);
    std::atomic<bool> flag{true};
    context.interrupt_flag = &flag;
    CHECK_THROWS_AS(run_stage(rig), Interrupted);
    CHECK(rig.http.requests.empty());
}

TEST_CASE("health-check: the last wait ends at the deadline, not an interval past it",
          "[stages][health-check]") {
    TestRig rig;
    given_connected(rig);
    rig.config.env.rollback.health_timeout_seconds = 5;
    // Each answer takes 0.7 s: polls end at 0.7, 2.4, 4.1 s; the wait after
    // the third must stop at 5 s, not sleep on to 5.1 s.
    rig.http.responder = [&](const FakeHttpClient::Request&) {
        rig.clock.advance(std::chrono::milliseconds(700));
        HttpResponse response;
        response.status = 503;
        return response;
    };
    const auto before = rig.clock.now();
    CHECK(run_stage(rig).exit_code == ExitCode::sev1);
    REQUIRE(rig.clock.sleeps.size() == 3);
    CHECK(rig.clock.sleeps.back() == std::chrono::milliseconds(900));
    CHECK(rig.clock.now() - before == std::chrono::milliseconds(5700));
}

TEST_CASE("health-check: a drill fails fast on a live app that answers unhealthy",
          "[stages][health-check]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.options.dry_run = true;
    rig.config.env.rollback.health_timeout_seconds = 60;
    rig.http.reply(500, R"({"status":"error","commit":"c3d4e5f"})");
    const auto start = rig.clock.now();
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::drill_failed);
    CHECK(rig.http.requests.size() == 3); // the stable-poll count, not 60 s of polls
    CHECK(rig.clock.now() - start < std::chrono::seconds(10));
    CHECK_THAT(outcome.detail, Catch::StartsWith("the live app is unhealthy now: 3 bad answers"));
    CHECK(context.report.next == "the live app is unhealthy now — roll back: smo-rollback");
}

TEST_CASE("health-check: each poll is told to the operator as it comes", "[stages][health-check]") {
    TestRig rig;
    given_connected(rig);
    rig.http.reply(500, R"({"status":"error"})");
    rig.http.reply(200, health_body(k_to_commit));
    rig.http.reply(200, health_body(k_to_commit));
    rig.http.reply(200, health_body(k_to_commit));
    CHECK(run_stage(rig).status == StageStatus::ok);
    const auto& polls = rig.reporter.polls;
    REQUIRE(polls.size() == 4);
    CHECK(polls[0].stage == 10);
    CHECK(polls[0].number == 1);
    CHECK_FALSE(polls[0].healthy);
    CHECK(polls[0].http_status == 500);
    CHECK_THAT(polls[0].text, Catch::Contains("500"));
    CHECK(polls[3].number == 4);
    CHECK(polls[3].healthy);
    CHECK(polls[3].commit == k_to_commit.substr(0, 7));
}
