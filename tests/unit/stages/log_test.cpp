#include "smo/records/drill_log.hpp"
#include "smo/records/history.hpp"
#include "smo/records/rollback_record.hpp"
#include "smo/records/sla_breach.hpp"
#include "smo/records/trend.hpp"
#include "smo/stages.hpp"
#include "support/sample_report.hpp"
#include "support/test_context.hpp"

#include <catch2/catch.hpp>

using smo::ExitCode;
using smo::StageStatus;
using smo::test::TestRig;

namespace {

const std::string k_record_name = "2026-04-19-rollback-v1.4.2-to-v1.4.1.md";
const std::string k_record = "/repo/docs/deploys/" + k_record_name;
const std::string k_trend = "/repo/docs/deploys/trend.csv";
const std::string k_breaches = "/repo/docs/incidents/sla-breaches.csv";
const std::string k_deploy_record = "/repo/docs/deploys/2026-04-19-v1.4.2.md";
const std::string k_drill_log = "/repo/docs/drill-log.md";

smo::Context& rollback_context(TestRig& rig, smo::RunReport report) {
    auto& context = rig.context();
    report.log_path.clear();
    context.report = std::move(report);
    return context;
}

} // namespace

TEST_CASE("log: a good rollback writes its record and a trend row", "[log-stage]") {
    TestRig rig;
    auto& context = rollback_context(rig, smo::test::sample_report());
    const auto outcome = smo::make_log_stage()->run(context);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(outcome.exit_code == ExitCode::success);
    CHECK(outcome.detail == "docs/deploys/" + k_record_name + "; trend row");
    CHECK(context.report.log_path == "docs/deploys/" + k_record_name);
    REQUIRE(rig.files.files.count(k_record) == 1);
    CHECK(rig.files.files[k_record] == smo::render_rollback_record(context.report));
    CHECK_THAT(rig.files.files[k_record],
               Catch::Contains("Log: docs/deploys/" + k_record_name + "\n"));
    CHECK(rig.files.files[k_trend] ==
          std::string(smo::k_trend_header) + "\n" + smo::render_trend_row(context.report));
    CHECK(rig.files.files.count(k_breaches) == 0);
    CHECK(rig.reporter.warnings.empty());
}

TEST_CASE("log: a second rollback the same day gets -2 and one more trend row", "[log-stage]") {
    TestRig rig;
    rig.files.files[k_record] = "first";
    rig.files.files[k_trend] = std::string(smo::k_trend_header) + "\nold,row"; // no final \n
    auto& context = rollback_context(rig, smo::test::sample_report());
    smo::make_log_stage()->run(context);
    CHECK(rig.files.files[k_record] == "first");
    CHECK(context.report.log_path == "docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md");
    CHECK(rig.files.files.count("/repo/docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md") ==
          1);
    CHECK(rig.files.files[k_trend] ==
          std::string(smo::k_trend_header) + "\nold,row\n" + smo::render_trend_row(context.report));
}

TEST_CASE("log: a rollback over its SLA adds an SLA-breach row", "[log-stage]") {
    TestRig rig;
    auto report = smo::test::sample_report();
    report.seconds = 97.0;
    auto& context = rollback_context(rig, report);
    const auto outcome = smo::make_log_stage()->run(context);
    CHECK_THAT(outcome.detail, Catch::EndsWith("; trend row; SLA-breach row"));
    CHECK(rig.files.files[k_breaches] ==
          std::string(smo::k_sla_breach_header) + "\n" +
              "2026-04-19,03:12:09,smo-rollback,eo-mena,production,v1.4.2,v1.4.1,90,97.0,7.0,"
              "install,docs/deploys/" +
              k_record_name + "\n");
}

TEST_CASE("log: with --auto the failed deploy's record links the rollback", "[log-stage]") {
    TestRig rig;
    rig.options.auto_mode = true;
    rig.files.files[k_deploy_record] = "# Deploy v1.4.2\n";
    auto& context = rollback_context(rig, smo::test::sample_report());
    const auto outcome = smo::make_log_stage()->run(context);
    CHECK_THAT(outcome.detail, Catch::EndsWith("; noted in 2026-04-19-v1.4.2.md"));
    CHECK(rig.files.files[k_deploy_record] ==
          "# Deploy v1.4.2\n\n## Rolled back\n\n- 2026-04-19 03:12:09 UTC: rolled back to v1.4.1 "
          "by smo-rollback (success, 74.2s) — [" +
              k_record_name + "](" + k_record_name + ")\n");
}

TEST_CASE("log: no note without --auto, nor when the live app never changed", "[log-stage]") {
    TestRig rig;
    rig.files.files[k_deploy_record] = "# Deploy v1.4.2\n";
    SECTION("without --auto") {
        smo::make_log_stage()->run(rollback_context(rig, smo::test::sample_report()));
    }
    SECTION("halted before the live tree changed") {
        rig.options.auto_mode = true;
        smo::make_log_stage()->run(
            rollback_context(rig, smo::test::stopped_report(ExitCode::halted, 2, "gate")));
    }
    CHECK(rig.files.files[k_deploy_record] == "# Deploy v1.4.2\n");
}

TEST_CASE("log: a failed reload under --auto still marks the deploy", "[log-stage]") {
    TestRig rig;
    rig.options.auto_mode = true;
    rig.files.files[k_deploy_record] = "# Deploy v1.4.2\n";
    auto& context =
        rollback_context(rig, smo::test::stopped_report(ExitCode::sev1, 10, "unhealthy"));
    context.state.live_changed = true;
    smo::make_log_stage()->run(context);
    CHECK_THAT(rig.files.files[k_deploy_record],
               Catch::Contains("rolled back to v1.4.1 by smo-rollback (sev1, 74.2s)"));
}

TEST_CASE("log: docs/ not writable is a warning, never a failure", "[log-stage]") {
    TestRig rig;
    rig.files.fail_writes = true;
    auto& context = rollback_context(rig, smo::test::sample_report());
    const auto outcome = smo::make_log_stage()->run(context);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(outcome.exit_code == ExitCode::success);
    CHECK(outcome.detail == "record not written: " + k_record +
                                ": Permission denied; "
                                "trend row not written: " +
                                k_trend + ": Permission denied");
    CHECK(context.report.log_path.empty());
    CHECK(context.report.exit_code == ExitCode::success);
    REQUIRE(rig.reporter.warnings.size() == 3);
    CHECK(rig.reporter.warnings[0] == "record not written: " + k_record + ": Permission denied");
    // The account is on the operator's terminal instead.
    CHECK_THAT(rig.reporter.warnings[1], Catch::StartsWith("the rollback record follows:\n---\n"
                                                           "kind: rollback\n"));
    CHECK(context.report.warnings.size() == 2);
    CHECK(rig.files.files.empty());
}

TEST_CASE("log: fills what the pipeline left empty from the clock and docs/incidents",
          "[log-stage]") {
    TestRig rig;
    rig.files.files["/repo/docs/incidents/2026-04-19-checkout-down.md"] = "# Incident";
    rig.options.triggered_by = "ana (pager)";
    auto report = smo::test::sample_report();
    report.started_at_utc.clear();
    report.date.clear();
    report.incident.clear();
    report.triggered_by.clear();
    report.seconds = 0;
    auto& context = rollback_context(rig, report);
    rig.clock.advance(std::chrono::seconds(42)); // the run took 42 s so far
    smo::make_log_stage()->run(context);
    CHECK(context.report.started_at_utc == "2026-04-19T03:12:09Z");
    CHECK(context.report.date == "2026-04-19");
    CHECK(context.report.seconds == Approx(42.0));
    CHECK(context.report.incident == "docs/incidents/2026-04-19-checkout-down.md");
    CHECK(context.report.triggered_by == "ana (pager)");
    CHECK_THAT(rig.files.files[k_record],
               Catch::Contains("incident: \"docs/incidents/2026-04-19-checkout-down.md\"\n"));
}

TEST_CASE("log: a run that never learned its tags still leaves a record", "[log-stage]") {
    TestRig rig;
    auto report = smo::test::stopped_report(ExitCode::failed, 1, "health URL unreachable");
    report.from_tag.clear();
    report.to_tag.clear();
    auto& context = rollback_context(rig, report);
    smo::make_log_stage()->run(context);
    CHECK(context.report.log_path == "docs/deploys/2026-04-19-rollback-unknown-to-unknown.md");
}

TEST_CASE("log in a drill: prediction from trend history, a drill-log section, no record",
          "[log-stage]") {
    TestRig rig;
    rig.options.dry_run = true;
    const std::string history =
        std::string(smo::k_trend_header) + "\n" +
        "2026-03-01,10:00:00,eo-mena,production,rollback,v1.3.1,v1.3.0,abc1234,success,0,60.0,90,"
        "true,,operator,s1:0.5;s8:2.0;s9:4.0;s10:6.0\n";
    rig.files.files[k_trend] = history;
    auto report = smo::test::sample_report();
    report.kind = smo::RunKind::drill;
    report.stages.resize(10);
    auto& context = rollback_context(rig, report);
    const auto outcome = smo::make_log_stage()->run(context);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(outcome.detail == "docs/drill-log.md");
    // Stages 1–6 (53.1 s) + reload 2 + settle 4 + health 6.
    CHECK(context.report.predicted_seconds == Approx(65.1));
    CHECK(context.report.prediction_basis ==
          "stages 1–6 measured; reload, settle, health: median of 1 past rollback");
    CHECK(context.report.log_path == "docs/drill-log.md");
    CHECK(rig.files.files[k_drill_log] == smo::drill_log_append(context.report, std::nullopt));
    CHECK(rig.files.files[k_trend] == history); // stage 12 writes the drill's row
    CHECK(rig.files.files.count(k_record) == 0);
}

TEST_CASE("log: a rollback from a tag with '/' is read back, and never picked again",
          "[log-stage]") {
    TestRig rig;
    smo::RunReport report = smo::test::sample_report();
    report.from_tag = "release/1.3";
    report.to_tag = "release/1.2";
    auto& context = rollback_context(rig, report);
    CHECK(smo::make_log_stage()->run(context).status == StageStatus::ok);
    const std::string name = "2026-04-19-rollback-release%2F1.3-to-release%2F1.2.md";
    CHECK(rig.files.files.count("/repo/docs/deploys/" + name) == 1);
    const smo::History history = smo::load_history(rig.files, "/repo/docs/deploys", "production");
    CHECK(history.problems.empty());
    CHECK(smo::rolled_back_from(history) == std::vector<std::string>{"release/1.3"});
}

TEST_CASE("log: a retry that meets the same held lock is not recorded again", "[log-stage]") {
    TestRig rig;
    auto halted_on_lock = [] {
        auto report = smo::test::stopped_report(
            ExitCode::halted, 3, "the target is locked by ann@laptop: another rollback is running");
        report.lock_holder = "ann@laptop pid 4242 since 2026-04-19T03:10:00Z";
        return report;
    };
    auto& context = rollback_context(rig, halted_on_lock());
    context.state.lock_fresh = true;
    smo::make_log_stage()->run(context);
    REQUIRE(rig.files.files.count(k_record) == 1);
    CHECK_THAT(
        rig.files.files[k_record],
        Catch::Contains("lock_holder: \"ann@laptop pid 4242 since 2026-04-19T03:10:00Z\"\n"));
    const std::string trend = rig.files.files[k_trend];

    SECTION("the same holder, lock still fresh: no second record, no second trend row") {
        context.report = halted_on_lock();
        context.report.log_path.clear();
        const auto outcome = smo::make_log_stage()->run(context);
        CHECK(context.state.repeated_halt);
        CHECK(context.report.log_path == "docs/deploys/" + k_record_name);
        CHECK_THAT(outcome.detail, Catch::Contains("not recorded again"));
        CHECK(rig.files.files.count(
                  "/repo/docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md") == 0);
        CHECK(rig.files.files[k_trend] == trend);
    }
    SECTION("another holder: a record of its own") {
        context.report = halted_on_lock();
        context.report.lock_holder = "bob@desk pid 7 since 2026-04-19T03:20:00Z";
        smo::make_log_stage()->run(context);
        CHECK_FALSE(context.state.repeated_halt);
        CHECK(rig.files.files.count(
                  "/repo/docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md") == 1);
    }
    SECTION("the lock has gone stale: recorded again") {
        context.report = halted_on_lock();
        context.state.lock_fresh = false;
        smo::make_log_stage()->run(context);
        CHECK(rig.files.files.count(
                  "/repo/docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md") == 1);
    }
}
