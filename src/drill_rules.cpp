#include "smo/drill_rules.hpp"

#include "smo/records/render_util.hpp"

#include <fmt/format.h>

namespace smo {

ExitCode drill_exit_code(ExitCode found) {
    if (found == ExitCode::success || found == ExitCode::usage || found == ExitCode::interrupted) {
        return found;
    }
    return ExitCode::drill_failed;
}

std::string drill_failure_reason(const RunReport& report) {
    for (const auto& stage : report.stages) {
        if (stage.status == StageStatus::failed) {
            return "check " + stage.name + " failed: " + stage.detail;
        }
    }
    if (report.prediction_basis.empty()) {
        return "no rollback time prediction";
    }
    if (report.predicted_seconds > report.sla_seconds) {
        return fmt::format("predicted rollback time {}s is over the SLA of {}s",
                           format_seconds(report.predicted_seconds), report.sla_seconds);
    }
    if (report.exit_code != ExitCode::success && report.exit_code != ExitCode::drill_failed) {
        const std::string stage = report.failed_stage.empty() ? "" : " at " + report.failed_stage;
        return std::string("run ended ") + outcome_of(report) + stage;
    }
    return {};
}

bool drill_passed(const RunReport& report) {
    return drill_failure_reason(report).empty();
}

void settle_drill_verdict(RunReport& report, const RunReport& final_report) {
    if (report.exit_code != ExitCode::success || drill_passed(final_report)) {
        return;
    }
    report.exit_code = ExitCode::drill_failed;
    for (const auto& stage : final_report.stages) {
        if (stage.status == StageStatus::failed) {
            report.failed_stage = stage.name;
            break;
        }
    }
    report.failure_reason = drill_failure_reason(final_report);
}

} // namespace smo
