#pragma once

#include "smo/exit_code.hpp"
#include "smo/stage.hpp"

#include <optional>
#include <string>
#include <vector>

// Everything a run learned, in the form the records, the alert and the final
// summary are rendered from. Renderers are pure functions of this struct.
namespace smo {

// prepare: `smo-rollback prepare`, stages 1–6 and the staged release kept
// (docs/prepare.md). plan: `--plan`, nothing contacted.
enum class RunKind { rollback, drill, prepare, plan };

// "rollback", "drill", "prepare", "plan"
inline const char* to_string(RunKind kind) {
    switch (kind) {
    case RunKind::drill:
        return "drill";
    case RunKind::prepare:
        return "prepare";
    case RunKind::plan:
        return "plan";
    default:
        return "rollback";
    }
}

// What production runs now, as last seen (every summary's `Live:` line, the
// `result` event's target_state).
struct LiveState {
    std::string tag;
    std::string commit;          // the live HEAD (or the records' word for it)
    std::string served_commit;   // what the health endpoint reported last
    std::optional<bool> healthy; // unknown when nothing answered since the last change
    std::string health;          // e.g. "500 (status \"error\")", "no answer: …"
};

struct StageReport {
    int number = 0; // 1..12
    std::string name;
    StageStatus status = StageStatus::skipped;
    double seconds = 0;
    std::string detail;
};

// What a fleet's host was left running (HostOutcome::outcome), besides
// "failed at <stage>".
inline constexpr const char* k_host_switched = "switched";
inline constexpr const char* k_host_already = "already on the to-release";
inline constexpr const char* k_host_not_switched = "not switched";
inline constexpr const char* k_host_not_reached = "not reached";
inline constexpr const char* k_host_checked = "checked (drill)";

// One host of a fleet at the end of the run (docs/records.md).
struct HostOutcome {
    std::string name;
    std::string outcome; // one of the k_host_* words, or "failed at <stage>"
    std::string from_commit;
    std::string to_commit;
    std::string served_commit; // what its health URL reported last, may be empty
    double seconds = 0;        // its own stages 3-10, wall time
    std::string detail;        // why, when it did not switch
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
    // The promise kept: a rollback that ran and ended healthy inside its SLA
    // (never a halt, a failure, a drill or a plan).
    bool finished_within_sla() const {
        return kind == RunKind::rollback && exit_code == ExitCode::success && within_sla();
    }

    std::string triggered_by;
    std::string lock_holder;     // who held the target's lock when this run halted on it
    std::string incident;        // post-mortem path, or "pending — run /smo-incident"
    std::string health_summary;  // e.g. "200 OK (commit matched)"
    std::string target_state;    // what the target is left running, in words
    LiveState live;              // the same, as values (set before stage 11)
    std::string next;            // the concrete next step when a stage knows it
    std::string log_path;        // the rollback record (or drill log)
    std::string telegram_result; // e.g. "sent", "not sent: no TELEGRAM_BOT_TOKEN"
    std::vector<StageReport> stages;
    std::vector<std::string> warnings;
    std::vector<HostOutcome> hosts; // a fleet's hosts; empty for one host

    // Prepare only: where the standby is kept, and when it was built.
    std::string standby_path;
    std::string standby_built_at;

    // Drill only.
    double predicted_seconds = 0;
    std::string prediction_basis;
};

// "success", "halted", "sev1", "failed", "interrupted", "drill_failed", ...
inline const char* outcome_of(const RunReport& report) {
    return outcome_name(report.exit_code);
}

} // namespace smo
