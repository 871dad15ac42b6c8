#include "smo/records/deploy_record.hpp"
#include "smo/records/rollback_record.hpp"
#include "support/sample_report.hpp"

#include <catch2/catch.hpp>

using smo::ExitCode;
using smo::render_rollback_record;
using smo::render_summary;
using smo::test::sample_report;
using smo::test::stopped_report;

TEST_CASE("summary of a good rollback reads as docs/usage.md shows it", "[record]") {
    const std::string expected = "✅ Rollback complete\n"
                                 "Project: eo-mena\n"
                                 "Target: production (eo-prod)\n"
                                 "From: v1.4.2 → To: v1.4.1\n"
                                 "Commit: b2c5d82\n"
                                 "Live: v1.4.1 (b2c5d82) — healthy\n"
                                 "Health check: 200 OK (commit matched)\n"
                                 "Rollback time: 75s (within SLA 90s)\n"
                                 "Log: docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\n"
                                 "Triggered by: /smo-deploy --auto (health check failed)\n"
                                 "Next: /smo-incident to write the post-mortem\n";
    CHECK(render_summary(sample_report()) == expected);
}

TEST_CASE("summary says how far over the SLA and the Telegram result once known", "[record]") {
    auto report = sample_report();
    report.seconds = 97.3;
    report.telegram_result = "sent";
    const std::string expected = "✅ Rollback complete\n"
                                 "Project: eo-mena\n"
                                 "Target: production (eo-prod)\n"
                                 "From: v1.4.2 → To: v1.4.1\n"
                                 "Commit: b2c5d82\n"
                                 "Live: v1.4.1 (b2c5d82) — healthy\n"
                                 "Health check: 200 OK (commit matched)\n"
                                 "Rollback time: 98s (SLA BREACHED by 8s)\n"
                                 "Log: docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\n"
                                 "Triggered by: /smo-deploy --auto (health check failed)\n"
                                 "Telegram: sent\n"
                                 "Next: /smo-incident to write the post-mortem\n";
    CHECK(render_summary(report) == expected);
}

TEST_CASE("summary rounds up: a fraction over the SLA is never shown as within", "[record]") {
    auto report = sample_report();
    report.seconds = 90.2;
    CHECK_THAT(render_summary(report),
               Catch::Contains("Rollback time: 91s (SLA BREACHED by 1s)\n"));
    report.seconds = 90.0;
    CHECK_THAT(render_summary(report), Catch::Contains("Rollback time: 90s (within SLA 90s)\n"));
}

TEST_CASE("summary of a halt names the stage, the reason and the next step", "[record]") {
    auto report = stopped_report(
        ExitCode::halted, 2, "This migration is irreversible. Proceed with forward-fix instead?");
    report.seconds = 1.4;
    report.target_state = "v1.4.2 (c0ffee1), unchanged";
    report.telegram_result = "sent";
    const std::string expected =
        "⛔ Rollback halted — live app unchanged\n"
        "Project: eo-mena\n"
        "Target: production (eo-prod)\n"
        "From: v1.4.2 → To: v1.4.1\n"
        "Live: v1.4.2 (c0ffee1) — NOT healthy: 500 (status \"error\")\n"
        "State: v1.4.2 (c0ffee1), unchanged\n"
        "Stopped at: preflight — This migration is irreversible. Proceed with forward-fix "
        "instead?\n"
        "Health check: not reached\n"
        "Rollback time: 2s (halted, SLA 90s)\n"
        "Log: docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\n"
        "Triggered by: /smo-deploy --auto (health check failed)\n"
        "Telegram: sent\n"
        "Next: forward-fix: /smo-deploy a fix (the migration cannot be rolled back)\n";
    CHECK(render_summary(report) == expected);
}

TEST_CASE("summary headlines per outcome", "[record]") {
    CHECK_THAT(render_summary(stopped_report(ExitCode::sev1, 6, "exit 1")),
               Catch::StartsWith("🚨 SEV1: no known-good version\n"));
    CHECK_THAT(render_summary(stopped_report(ExitCode::failed, 3, "connection refused")),
               Catch::StartsWith("❌ Rollback failed\n"));
    CHECK_THAT(render_summary(stopped_report(ExitCode::interrupted, 5, "interrupted by Ctrl-C")),
               Catch::StartsWith("⏹ Rollback interrupted\n"));
    auto unknown = stopped_report(ExitCode::failed, 1, "no records");
    unknown.from_tag.clear();
    unknown.to_tag.clear();
    unknown.to_commit.clear();
    unknown.log_path.clear();
    CHECK_THAT(render_summary(unknown), Catch::Contains("From: (unknown) → To: (unknown)\n"));
    CHECK_THAT(render_summary(unknown), Catch::Contains("Log: not written\n"));
    CHECK_THAT(render_summary(unknown), !Catch::Contains("Commit:"));
}

TEST_CASE("summary of a drill gives the verdict and the prediction", "[record]") {
    auto report = sample_report();
    report.kind = smo::RunKind::drill;
    report.predicted_seconds = 47.6;
    report.prediction_basis = "stages 1–6 measured; reload, settle, health: median of 3 past "
                              "rollbacks";
    report.log_path = "docs/drill-log.md";
    report.triggered_by = "operator";
    report.live = {"v1.4.2", report.from_commit, report.from_commit, true,
                   "200 OK (commit matched)"};
    const std::string expected = "✅ Drill passed\n"
                                 "Project: eo-mena\n"
                                 "Target: production (eo-prod)\n"
                                 "From: v1.4.2 → To: v1.4.1\n"
                                 "Live: v1.4.2 (c0ffee1) — healthy\n"
                                 "Predicted rollback time: 48s (90s SLA) — stages 1–6 measured; "
                                 "reload, settle, health: median of 3 past rollbacks\n"
                                 "Log: docs/drill-log.md\n"
                                 "Triggered by: operator\n"
                                 "Next: nothing — the next drill is due next quarter\n";
    CHECK(render_summary(report) == expected);
}

TEST_CASE("rollback record: front matter, summary, stages, SLA, post-mortem, state, alert",
          "[record]") {
    const std::string expected =
        "---\n"
        "kind: rollback\n"
        "project: \"eo-mena\"\n"
        "env: \"production\"\n"
        "from_tag: \"v1.4.2\"\n"
        "from_commit: \"c0ffee1234567890c0ffee1234567890c0ffee12\"\n"
        "to_tag: \"v1.4.1\"\n"
        "to_commit: \"b2c5d82aa1b2c3d4e5f60718293a4b5c6d7e8f90\"\n"
        "tag: \"v1.4.1\"\n"
        "commit: \"b2c5d82aa1b2c3d4e5f60718293a4b5c6d7e8f90\"\n"
        "date: \"2026-04-19\"\n"
        "deployed_at: \"2026-04-19T03:12:09Z\"\n"
        "started_at: \"2026-04-19T03:12:09Z\"\n"
        "outcome: success\n"
        "exit_code: 0\n"
        "seconds: 74.2\n"
        "sla_seconds: 90\n"
        "within_sla: true\n"
        "failed_stage: \"\"\n"
        "triggered_by: \"/smo-deploy --auto (health check failed)\"\n"
        "incident: \"pending — run /smo-incident\"\n"
        "telegram: \"\"\n"
        "---\n"
        "\n"
        "# Rollback v1.4.2 → v1.4.1 on production\n"
        "\n"
        "```text\n"
        "✅ Rollback complete\n"
        "Project: eo-mena\n"
        "Target: production (eo-prod)\n"
        "From: v1.4.2 → To: v1.4.1\n"
        "Commit: b2c5d82\n"
        "Live: v1.4.1 (b2c5d82) — healthy\n"
        "Health check: 200 OK (commit matched)\n"
        "Rollback time: 75s (within SLA 90s)\n"
        "Log: docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\n"
        "Triggered by: /smo-deploy --auto (health check failed)\n"
        "Next: /smo-incident to write the post-mortem\n"
        "```\n"
        "\n"
        "## Releases\n"
        "\n"
        "- From: v1.4.2 (c0ffee1234567890c0ffee1234567890c0ffee12)\n"
        "- To: v1.4.1 (b2c5d82aa1b2c3d4e5f60718293a4b5c6d7e8f90)\n"
        "- Started: 2026-04-19T03:12:09Z\n"
        "- Triggered by: /smo-deploy --auto (health check failed)\n"
        "\n"
        "## Stages\n"
        "\n"
        "| # | stage | status | seconds | detail |\n"
        "|---:|---|---|---:|---|\n"
        "| 1 | identify-previous | ok | 0.4 |  |\n"
        "| 2 | preflight | ok | 0.3 |  |\n"
        "| 3 | ssh-connect | ok | 0.6 |  |\n"
        "| 4 | checkout-prev | ok | 2.1 |  |\n"
        "| 5 | install | ok | 31.5 | npm ci --production |\n"
        "| 6 | build | ok | 18.2 |  |\n"
        "| 7 | migration-check | skipped | 0.0 | no migrations added between v1.4.1 and v1.4.2 |\n"
        "| 8 | reload | ok | 1.9 |  |\n"
        "| 9 | settle | ok | 6.0 |  |\n"
        "| 10 | health-check | ok | 6.4 | 200 OK, commit b2c5d82 on 3 polls |\n"
        "| 11 | log | running | — | writing this record |\n"
        "| 12 | telegram | running | — | pending |\n"
        "\n"
        "## SLA\n"
        "\n"
        "74.2s against an SLA of 90s: within SLA (15.8s to spare).\n"
        "Slowest stage: install (31.5s).\n"
        "\n"
        "## Post-mortem\n"
        "\n"
        "pending — run /smo-incident\n"
        "\n"
        "## Target state\n"
        "\n"
        "v1.4.1 (b2c5d82), healthy\n"
        "\n"
        "## Telegram\n"
        "\n"
        "pending (the alert is sent after this record)\n";
    CHECK(render_rollback_record(sample_report()) == expected);
}

TEST_CASE("rollback record of a SEV1: not-run stages, breach, warnings, alert result", "[record]") {
    auto report = stopped_report(ExitCode::sev1, 10, "commit c0ffee1 served, expected b2c5d82");
    report.seconds = 131.0;
    report.target_state = "v1.4.1 (b2c5d82) reloaded but unhealthy";
    report.warnings = {"staging kept at /opt/apps/.smo-rollback/eo-mena/staged-v1.4.1"};
    report.telegram_result = "failed: HTTP 500 (4 attempts in 7.0s)";
    report.incident = "docs/incidents/2026-04-19-checkout-down.md";
    smo::StageReport log;
    log.number = 11;
    log.name = "log";
    log.status = smo::StageStatus::ok;
    log.seconds = 0.1;
    report.stages.push_back(log);
    const std::string record = render_rollback_record(report);
    CHECK_THAT(record, Catch::Contains("outcome: sev1\nexit_code: 4\nseconds: 131.0\n"
                                       "sla_seconds: 90\nwithin_sla: false\n"
                                       "failed_stage: \"health-check\"\n"));
    CHECK_THAT(record, Catch::Contains("telegram: \"failed: HTTP 500 (4 attempts in 7.0s)\"\n"));
    CHECK_THAT(record, Catch::Contains("🚨 SEV1: no known-good version\n"));
    CHECK_THAT(record, Catch::Contains("| 10 | health-check | failed | 6.4 | commit c0ffee1 "
                                       "served, expected b2c5d82 |\n"
                                       "| 11 | log | ok | 0.1 |  |\n"
                                       "| 12 | telegram | skipped | — | failed: HTTP 500 (4 "
                                       "attempts in 7.0s) |\n"));
    CHECK_THAT(record, Catch::Contains("131.0s against an SLA of 90s: SLA BREACHED by 41.0s.\n"));
    CHECK_THAT(record, Catch::Contains("## Post-mortem\n\ndocs/incidents/2026-04-19-checkout-"
                                       "down.md\n"));
    CHECK_THAT(record, Catch::Contains("## Target state\n\nv1.4.1 (b2c5d82) reloaded but "
                                       "unhealthy\n"));
    CHECK_THAT(record, Catch::Contains("## Warnings\n\n- staging kept at "
                                       "/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1\n\n"));
    CHECK_THAT(record, Catch::EndsWith("## Telegram\n\nfailed: HTTP 500 (4 attempts in 7.0s)\n"));
}

TEST_CASE("rollback record of a run stopped early shows the stages it never ran", "[record]") {
    const auto report = stopped_report(ExitCode::failed, 3, "connection refused");
    const std::string record = render_rollback_record(report);
    CHECK_THAT(record, Catch::Contains("| 3 | ssh-connect | failed | 0.6 | connection refused |\n"
                                       "| 4 | checkout-prev | — | — | not run |\n"));
    CHECK_THAT(record, Catch::Contains("| 10 | health-check | — | — | not run |\n"));
}

TEST_CASE("rollback record: the pipeline's not-run placeholders read as not reached", "[record]") {
    auto report = stopped_report(ExitCode::failed, 3, "connection refused");
    for (int number = 4; number <= 10; ++number) {
        smo::StageReport placeholder;
        placeholder.number = number;
        placeholder.name = "stage-" + std::to_string(number);
        placeholder.status = smo::StageStatus::skipped;
        placeholder.detail = "not run";
        report.stages.push_back(placeholder);
    }
    const std::string record = render_rollback_record(report);
    CHECK_THAT(record, Catch::Contains("| 4 | stage-4 | — | — | not run |\n"));
    CHECK_THAT(record, Catch::Contains("| 10 | stage-10 | — | — | not run |\n"));
}

TEST_CASE("values from records and config cannot break the front matter", "[record]") {
    auto report = sample_report();
    report.triggered_by = "ops: \"night\" shift\n---\nkind: deploy # not really";
    report.incident = "docs/incidents/a|b.md";
    const std::string record = render_rollback_record(report);
    CHECK_THAT(record, Catch::Contains("triggered_by: \"ops: \\\"night\\\" shift\\n---\\nkind: "
                                       "deploy # not really\"\n"));
    // The front matter still closes where it should: exactly two "---" lines.
    size_t dashes = 0;
    for (size_t at = record.find("---\n"); at != std::string::npos;
         at = record.find("---\n", at + 1)) {
        if (at == 0 || record[at - 1] == '\n') {
            ++dashes;
        }
    }
    CHECK(dashes == 2);
}

TEST_CASE("the history parser reads a rollback record back as the rollback it was", "[record]") {
    const auto report = sample_report();
    const auto parsed = smo::parse_deploy_record("2026-04-19-rollback-v1.4.2-to-v1.4.1.md",
                                                 render_rollback_record(report));
    REQUIRE(std::holds_alternative<smo::DeployEvent>(parsed));
    const auto& event = std::get<smo::DeployEvent>(parsed);
    CHECK(event.kind == smo::EventKind::rollback);
    CHECK(event.from_tag == "v1.4.2");
    CHECK(event.tag == "v1.4.1");
    CHECK(event.commit == report.to_commit);
    CHECK(event.env == "production");
    CHECK(event.date == "2026-04-19");
    CHECK(event.deployed_at == "2026-04-19T03:12:09Z");
    CHECK(event.successful);

    auto halted = stopped_report(ExitCode::halted, 2, "lock held by ops@laptop");
    const auto parsed_halt = smo::parse_deploy_record("2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md",
                                                      render_rollback_record(halted));
    REQUIRE(std::holds_alternative<smo::DeployEvent>(parsed_halt));
    CHECK_FALSE(std::get<smo::DeployEvent>(parsed_halt).successful);
}

TEST_CASE("summary of a SEV1 at build says the from-release still runs, and what to do",
          "[record]") {
    auto report = stopped_report(ExitCode::sev1, 6, "npm run build: exit 1");
    report.seconds = 41.0;
    report.target_state = "live app untouched: still v1.4.2 (c0ffee1)";
    const std::string summary = render_summary(report);
    CHECK_THAT(summary, Catch::Contains("State: live app untouched: still v1.4.2 (c0ffee1)\n"));
    CHECK_THAT(summary, Catch::Contains("Live: v1.4.2 (c0ffee1) — NOT healthy: 500 (status "
                                        "\"error\")\n"));
    CHECK_THAT(summary, !Catch::Contains("Commit:"));
    CHECK_THAT(summary, !Catch::Contains("within SLA"));
    CHECK_THAT(summary, Catch::Contains("Rollback time: 41s (sev1, SLA 90s)\n"));
    CHECK_THAT(summary, Catch::Contains("Next: forward-fix now, or go further back: smo-rollback "
                                        "list, then smo-rollback --to <an older good tag>"));
}

TEST_CASE("summary: the next step is the exact command where there is one", "[record]") {
    auto locked = stopped_report(ExitCode::halted, 3, "the target is locked by ann@laptop");
    locked.next = "smo-rollback --break-lock";
    CHECK_THAT(render_summary(locked), Catch::EndsWith("Next: smo-rollback --break-lock\n"));
    auto changed_key = stopped_report(
        ExitCode::failed, 3,
        "host key for [127.0.0.1]:2222 has CHANGED: known_hosts says ...; refusing (possible "
        "man-in-the-middle). If the change is expected, remove the old line from /h/known_hosts "
        "(ssh-keygen -R '[127.0.0.1]:2222' -f /h/known_hosts) and connect again");
    CHECK_THAT(smo::next_step(changed_key),
               Catch::Contains("ssh-keygen -R '[127.0.0.1]:2222' -f /h/known_hosts and "
                               "smo-rollback --accept-new-host-key"));
    auto typo =
        stopped_report(ExitCode::usage, 2, "tag v9.9.9 does not resolve in the local repository");
    CHECK_THAT(smo::next_step(typo), Catch::StartsWith("smo-rollback list"));
    auto nobody = stopped_report(ExitCode::failed, 3, "connection refused");
    nobody.live = {};
    CHECK_THAT(render_summary(nobody), Catch::Contains("Live: unknown (the target was not "
                                                       "reached)\n"));
}

TEST_CASE("summary of a drill during an incident: the path is ready, the live app is not",
          "[record]") {
    auto report = stopped_report(ExitCode::drill_failed, 10, "the live app is unhealthy now");
    report.kind = smo::RunKind::drill;
    report.next = "the live app is unhealthy now — roll back: smo-rollback";
    const std::string summary = render_summary(report);
    CHECK_THAT(summary, Catch::Contains("Rollback path: ready (stages 1–8 passed); the live app "
                                        "is unhealthy now\n"));
    CHECK_THAT(summary, Catch::EndsWith("Next: the live app is unhealthy now — roll back: "
                                        "smo-rollback\n"));
    auto broken_build = stopped_report(ExitCode::drill_failed, 6, "npm run build: exit 1");
    broken_build.kind = smo::RunKind::drill;
    CHECK_THAT(render_summary(broken_build), !Catch::Contains("Rollback path: ready"));
}
