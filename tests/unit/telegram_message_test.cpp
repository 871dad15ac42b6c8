#include "smo/telegram.hpp"
#include "support/sample_report.hpp"

#include <catch2/catch.hpp>

using smo::ExitCode;
using smo::telegram_message;
using smo::test::sample_report;
using smo::test::stopped_report;

TEST_CASE("alert for a good rollback within the SLA", "[telegram-text]") {
    CHECK(telegram_message(sample_report()) ==
          "⚠️ eo-mena rolled back v1.4.2 → v1.4.1 on production in 75s (within SLA 90s)\n"
          "Commit: b2c5d82\n"
          "Health check: 200 OK (commit matched)\n"
          "Triggered by: /smo-deploy --auto (health check failed)\n"
          "Log: docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\n"
          "Post-mortem: pending — run /smo-incident\n");
}

TEST_CASE("alert for a good rollback over the SLA", "[telegram-text]") {
    auto report = sample_report();
    report.seconds = 112.4;
    CHECK_THAT(
        telegram_message(report),
        Catch::StartsWith("⚠️ eo-mena rolled back v1.4.2 → v1.4.1 on production in 113s "
                          "(SLA BREACHED by 23s)\n"));
}

TEST_CASE("alert for a SEV1 names the stage, the reason and what the target runs",
          "[telegram-text]") {
    auto report = stopped_report(ExitCode::sev1, 10, "commit c0ffee1 served, expected b2c5d82");
    report.seconds = 95.0;
    report.target_state = "v1.4.1 (b2c5d82) reloaded, unhealthy";
    CHECK(telegram_message(report) ==
          "🚨 SEV1 eo-mena on production: no known-good version. Rollback v1.4.2 → v1.4.1 "
          "failed at health-check: commit c0ffee1 served, expected b2c5d82. Target is running: "
          "v1.4.1 (b2c5d82) reloaded, unhealthy.\n"
          "Commit: b2c5d82\n"
          "Time: 95s (SLA 90s)\n"
          "Triggered by: /smo-deploy --auto (health check failed)\n"
          "Log: docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\n"
          "Post-mortem: pending — run /smo-incident\n");
}

TEST_CASE("alert for a halt says the live app is unchanged", "[telegram-text]") {
    auto report = stopped_report(ExitCode::halted, 2, "lock held by ana@laptop since 03:01");
    report.seconds = 1.2;
    CHECK_THAT(telegram_message(report),
               Catch::StartsWith("⛔ eo-mena rollback on production halted at preflight: lock "
                                 "held by ana@laptop since 03:01. Live app unchanged.\n"));
    // A reason that ends its own sentence gets no second full stop.
    report.failure_reason = "This migration is irreversible. Proceed with forward-fix instead?";
    CHECK_THAT(telegram_message(report),
               Catch::StartsWith("⛔ eo-mena rollback on production halted at preflight: This "
                                 "migration is irreversible. Proceed with forward-fix instead? "
                                 "Live app unchanged.\n"));
}

TEST_CASE("alert for a failure and an interruption", "[telegram-text]") {
    auto failed = stopped_report(ExitCode::failed, 3, "host key for 100.89.148.62 changed");
    failed.target_state = "v1.4.2 (c0ffee1), unchanged";
    CHECK_THAT(telegram_message(failed),
               Catch::StartsWith("❌ eo-mena rollback v1.4.2 → v1.4.1 on production failed at "
                                 "ssh-connect: host key for 100.89.148.62 changed. Target is "
                                 "running: v1.4.2 (c0ffee1), unchanged.\n"));
    auto stopped = stopped_report(ExitCode::interrupted, 5, "interrupted by Ctrl-C");
    stopped.target_state.clear();
    CHECK_THAT(telegram_message(stopped),
               Catch::StartsWith("⏹ eo-mena rollback v1.4.2 → v1.4.1 on production interrupted "
                                 "(Ctrl-C) at install. Target is running: v1.4.2 (c0ffee1) — "
                                 "NOT healthy: 500 (status \"error\").\n"));
}

TEST_CASE("alert text keeps each fact on its line", "[telegram-text]") {
    auto report = stopped_report(ExitCode::failed, 3, "line one\nline two");
    report.from_tag.clear();
    report.to_tag.clear();
    CHECK_THAT(telegram_message(report),
               Catch::StartsWith("❌ eo-mena rollback (unknown) → (unknown) on production failed "
                                 "at ssh-connect: line one line two. Target is running:"));
}

TEST_CASE("alert for a drill gives the verdict", "[telegram-text]") {
    auto report = sample_report();
    report.kind = smo::RunKind::drill;
    report.predicted_seconds = 61.2;
    report.prediction_basis = "stages 1–6 measured; defaults (no rollback history): reload 5.0s, "
                              "settle 10.0s, health 8.0s";
    report.log_path = "docs/drill-log.md";
    CHECK(telegram_message(report) ==
          "🧪 eo-mena rollback drill on production: PASS\n"
          "From: v1.4.2 → v1.4.1\n"
          "Predicted rollback time: 62s (SLA 90s; stages 1–6 measured; defaults (no rollback "
          "history): reload 5.0s, settle 10.0s, health 8.0s)\n"
          "Log: docs/drill-log.md\n");
    report.stages[4].status = smo::StageStatus::failed;
    report.stages[4].detail = "npm ci: exit 1";
    CHECK_THAT(
        telegram_message(report),
        Catch::StartsWith("🧪 eo-mena rollback drill on production: FAIL — check install "
                          "failed: npm ci: exit 1\n"));
}
