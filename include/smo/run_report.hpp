#pragma once

#include "smo/exit_code.hpp"
#include "smo/stage.hpp"

#include <string>
#include <vector>

// Everything a run learned, in the form the records, the alert and the final
// summary are rendered from. Renderers are pure functions of this struct.
namespace smo {

enum class RunKind { rollback, drill };

struct StageReport {
    int number = 0; // 1..12
    std::string name;
    StageStatus status = StageStatus::skipped;
    double seconds = 0;
    std::string detail;
};

struct RunReport {
    RunKind kind = RunKind::rollback;
    std::string project;
    std::string env;
    std::string target_label;   // e.g. "eo-prod" or "127.0.0.1"
    std::string started_at_utc; // ISO-8601, e.g. 2026-04-19T03:12:09Z
    std::string date;           // YYYY-MM-DD of started_at_utc

    std::string from_tag;
    std::string from_commit;
    std::string to_tag;
    std::string to_commit;

    ExitCode exit_code = ExitCode::success;
    std::string failed_stage;   // name of the stage that failed, empty on success
    std::string failure_reason; // its detail
    double seconds = 0;         // process start to health green (or to the end)
    int sla_seconds = 90;
    bool within_sla() const { return seconds <= sla_seconds; }

    std::string triggered_by;
    std::string incident;        // post-mortem path, or "pending — run /smo-incident"
    std::string health_summary;  // e.g. "200 OK (commit matched)"
    std::string target_state;    // what the target is left running, in words
    std::string log_path;        // the rollback record (or drill log)
    std::string telegram_result; // e.g. "sent", "not sent: no TELEGRAM_BOT_TOKEN"
    std::vector<StageReport> stages;
    std::vector<std::string> warnings;

    // Drill only.
    double predicted_seconds = 0;
    std::string prediction_basis;
};

// "success", "halted", "sev1", "failed", "interrupted", "drill_failed", ...
inline const char* outcome_of(const RunReport& report) {
    return outcome_name(report.exit_code);
}

} // namespace smo
