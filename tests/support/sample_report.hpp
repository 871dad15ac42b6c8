#pragma once

#include "smo/run_report.hpp"

#include <string>
#include <utility>
#include <vector>

namespace smo::test {

// A rollback of eo-mena v1.4.2 → v1.4.1 on production that went well: the
// fixture the record, trend and alert renderers are golden-tested with. Tests
// change the fields their case is about.
inline RunReport sample_report() {
    RunReport report;
    report.kind = RunKind::rollback;
    report.project = "eo-mena";
    report.env = "production";
    report.target_label = "eo-prod";
    report.started_at_utc = "2026-04-19T03:12:09Z";
    report.date = "2026-04-19";
    report.from_tag = "v1.4.2";
    report.from_commit = "c0ffee1234567890c0ffee1234567890c0ffee12";
    report.to_tag = "v1.4.1";
    report.to_commit = "b2c5d82aa1b2c3d4e5f60718293a4b5c6d7e8f90";
    report.exit_code = ExitCode::success;
    report.seconds = 74.2;
    report.sla_seconds = 90;
    report.triggered_by = "/smo-deploy --auto (health check failed)";
    report.incident = "pending — run /smo-incident";
    report.health_summary = "200 OK (commit matched)";
    report.target_state = "v1.4.1 (b2c5d82), healthy";
    report.live = {"v1.4.1", report.to_commit, report.to_commit, true, "200 OK (commit matched)"};
    report.log_path = "docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md";
    const std::vector<std::pair<const char*, double>> stages{
        {"identify-previous", 0.4}, {"preflight", 0.3}, {"ssh-connect", 0.6},
        {"checkout-prev", 2.1},     {"install", 31.5},  {"build", 18.2},
        {"migration-check", 0.0},   {"reload", 1.9},    {"settle", 6.0},
        {"health-check", 6.4}};
    int number = 1;
    for (const auto& [name, seconds] : stages) {
        StageReport stage;
        stage.number = number++;
        stage.name = name;
        stage.status = StageStatus::ok;
        stage.seconds = seconds;
        report.stages.push_back(stage);
    }
    report.stages[6].status = StageStatus::skipped;
    report.stages[6].detail = "no migrations added between v1.4.1 and v1.4.2";
    report.stages[4].detail = "npm ci --production";
    report.stages[9].detail = "200 OK, commit b2c5d82 on 3 polls";
    return report;
}

// The same run stopped at `stage` (1-based) with `outcome`: later stages are
// dropped, the stopping one failed with `reason`.
inline RunReport stopped_report(ExitCode code, int stage, const std::string& reason) {
    RunReport report = sample_report();
    report.stages.resize(static_cast<size_t>(stage));
    report.stages.back().status = StageStatus::failed;
    report.stages.back().detail = reason;
    report.exit_code = code;
    report.failed_stage = report.stages.back().name;
    report.failure_reason = reason;
    report.health_summary.clear();
    if (stage < 8) { // the live tree was never touched: the broken from-release runs
        report.live = {"v1.4.2", report.from_commit, report.from_commit, false,
                       "500 (status \"error\")"};
    }
    return report;
}

} // namespace smo::test
