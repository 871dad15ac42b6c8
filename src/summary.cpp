#include "smo/summary.hpp"

#include <cmath>
#include <fmt/format.h>

namespace smo {

namespace {

long whole_seconds(double seconds) {
    return std::lround(seconds);
}

std::string headline(const RunReport& report) {
    const std::string where = report.failed_stage.empty() ? "" : " at " + report.failed_stage;
    if (report.kind == RunKind::drill) {
        return report.exit_code == ExitCode::success ? "✅ Drill passed" : "❌ Drill failed" + where;
    }
    switch (report.exit_code) {
    case ExitCode::success:
        return "✅ Rollback complete";
    case ExitCode::halted:
        return "⛔ Rollback halted" + where + ": live app unchanged";
    case ExitCode::sev1:
        return "🚨 SEV1: no known-good version (" + report.failed_stage + ")";
    case ExitCode::interrupted:
        return "⏹ Rollback interrupted" + where;
    default:
        return "❌ Rollback failed" + where;
    }
}

std::string short_commit(const std::string& commit) {
    return commit.substr(0, 7);
}

std::string or_unknown(const std::string& text) {
    return text.empty() ? "unknown" : text;
}

} // namespace

std::string render_sla_verdict(const RunReport& report) {
    const long seconds = whole_seconds(report.seconds);
    if (report.within_sla()) {
        return fmt::format("{}s (within SLA {}s)", seconds, report.sla_seconds);
    }
    const long over = std::max(1L, seconds - report.sla_seconds);
    return fmt::format("{}s (SLA BREACHED by {}s)", seconds, over);
}

std::string render_summary(const RunReport& report) {
    std::string text = headline(report) + "\n";
    auto line = [&](const char* key, const std::string& value) {
        if (!value.empty()) {
            text += fmt::format("{}: {}\n", key, value);
        }
    };
    line("Project", report.project);
    line("Target", report.env + " (" + report.target_label + ")");
    line("From", or_unknown(report.from_tag) + " → To: " + or_unknown(report.to_tag));
    line("Commit", short_commit(report.to_commit));
    if (!report.failed_stage.empty()) {
        line("Reason", report.failure_reason);
    }
    line("Health check", report.health_summary);
    if (report.kind == RunKind::drill) {
        line("Drill time", fmt::format("{}s", whole_seconds(report.seconds)));
        if (report.predicted_seconds > 0) {
            line("Predicted rollback time",
                 fmt::format("{}s against SLA {}s ({})", whole_seconds(report.predicted_seconds),
                             report.sla_seconds, report.prediction_basis));
        }
    } else {
        line("Rollback time", render_sla_verdict(report));
    }
    line("Target state", report.exit_code == ExitCode::success ? "" : report.target_state);
    line("Log", report.log_path);
    line("Triggered by", report.triggered_by);
    line("Telegram", report.telegram_result);
    if (report.kind == RunKind::rollback) {
        line("Next", report.exit_code == ExitCode::halted
                         ? "fix the cause above, or forward-fix; nothing was changed"
                         : "/smo-incident to write the post-mortem");
    }
    return text;
}

} // namespace smo
