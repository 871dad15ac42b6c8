// The drill's rules (smo/drill_rules.hpp): the exit code of a finding, the
// verdict, and the verdict settled after the last stage.
#include "smo/drill_rules.hpp"
#include "support/sample_report.hpp"

#include <catch2/catch.hpp>

using smo::ExitCode;

TEST_CASE("drill rules: a finding is exit 6, a typo and Ctrl-C stay what they are", "[drill]") {
    CHECK(smo::drill_exit_code(ExitCode::halted) == ExitCode::drill_failed);
    CHECK(smo::drill_exit_code(ExitCode::sev1) == ExitCode::drill_failed);
    CHECK(smo::drill_exit_code(ExitCode::failed) == ExitCode::drill_failed);
    CHECK(smo::drill_exit_code(ExitCode::drill_failed) == ExitCode::drill_failed);
    CHECK(smo::drill_exit_code(ExitCode::usage) == ExitCode::usage);
    CHECK(smo::drill_exit_code(ExitCode::interrupted) == ExitCode::interrupted);
    CHECK(smo::drill_exit_code(ExitCode::success) == ExitCode::success);
}

TEST_CASE("drill verdict: every check passed and the prediction is within the SLA", "[drill]") {
    auto report = smo::test::sample_report();
    report.kind = smo::RunKind::drill;
    report.predicted_seconds = 80;
    report.prediction_basis = "defaults";
    CHECK(smo::drill_passed(report));
    CHECK(smo::drill_failure_reason(report).empty());

    report.predicted_seconds = 90.5;
    CHECK_FALSE(smo::drill_passed(report));
    CHECK(smo::drill_failure_reason(report) ==
          "predicted rollback time 90.5s is over the SLA of 90s");

    report.predicted_seconds = 80;
    report.stages[5].status = smo::StageStatus::failed;
    report.stages[5].detail = "npm run build: exit 1";
    CHECK(smo::drill_failure_reason(report) == "check build failed: npm run build: exit 1");

    report.stages[5].status = smo::StageStatus::ok;
    report.exit_code = smo::ExitCode::interrupted;
    report.failed_stage = "install";
    CHECK(smo::drill_failure_reason(report) == "run ended interrupted at install");

    report.exit_code = smo::ExitCode::success;
    report.prediction_basis.clear();
    CHECK(smo::drill_failure_reason(report) == "no rollback time prediction");
}

TEST_CASE("drill rules: a verdict failed after the stages ends the run with exit 6", "[drill]") {
    auto report = smo::test::sample_report();
    report.kind = smo::RunKind::drill;
    report.exit_code = ExitCode::success;
    report.prediction_basis = "defaults";
    report.predicted_seconds = 120;
    auto run = report;
    run.failed_stage.clear();
    smo::settle_drill_verdict(run, report);
    CHECK(run.exit_code == ExitCode::drill_failed);
    CHECK(run.failure_reason == "predicted rollback time 120.0s is over the SLA of 90s");
    CHECK(run.failed_stage.empty()); // no stage failed: the prediction did

    report.predicted_seconds = 80;
    report.stages.push_back(
        {12, "telegram", smo::StageStatus::failed, 0.1, "getMe failed: HTTP 401: Unauthorized"});
    run = report;
    smo::settle_drill_verdict(run, report);
    CHECK(run.exit_code == ExitCode::drill_failed);
    CHECK(run.failed_stage == "telegram");
    CHECK(run.failure_reason == "check telegram failed: getMe failed: HTTP 401: Unauthorized");
    smo::settle_drill_verdict(run, report); // idempotent
    CHECK(run.exit_code == ExitCode::drill_failed);

    // A run that already failed keeps its own exit code and reason.
    run = report;
    run.exit_code = ExitCode::interrupted;
    run.failure_reason = "Ctrl-C";
    smo::settle_drill_verdict(run, report);
    CHECK(run.exit_code == ExitCode::interrupted);
    CHECK(run.failure_reason == "Ctrl-C");
}
