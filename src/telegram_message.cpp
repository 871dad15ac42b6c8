// The alert texts: one per outcome, first line as docs/stages.md words it, then the
// facts an on-call engineer needs to act on from a phone.
#include "smo/drill_rules.hpp"
#include "smo/records/host_table.hpp"
#include "smo/records/prediction.hpp"
#include "smo/records/render_util.hpp"
#include "smo/records/rollback_record.hpp"
#include "smo/telegram.hpp"

#include <fmt/format.h>

namespace smo {

namespace {

// Reasons come from stages and may or may not end a sentence.
std::string sentence(const std::string& text) {
    if (text.empty()) {
        return "no reason recorded.";
    }
    const char last = text.back();
    return last == '.' || last == '?' || last == '!' ? text : text + ".";
}

std::string stage_or_unknown(const RunReport& report) {
    return report.failed_stage.empty() ? std::string("an unknown stage") : report.failed_stage;
}

// What the summary's Live: line says when no stage described the target.
std::string state_or_unknown(const RunReport& report) {
    return report.target_state.empty() ? live_line(report) : report.target_state;
}

std::string tags(const RunReport& report) {
    return tag_or_unknown(report.from_tag) + " → " + tag_or_unknown(report.to_tag);
}

std::string first_line(const RunReport& report) {
    switch (report.exit_code) {
    case ExitCode::success: {
        const long seconds = whole_seconds(report.seconds);
        const std::string sla =
            report.within_sla() ? fmt::format("within SLA {}s", report.sla_seconds)
                                : fmt::format("SLA BREACHED by {}s", seconds - report.sla_seconds);
        if (!report.hosts.empty()) {
            return fmt::format("⚠️ {} rolled back {} {} on {} in {}s ({})", report.project,
                               hosts_fraction(report), tags(report), report.env, seconds, sla);
        }
        return fmt::format("⚠️ {} rolled back {} on {} in {}s ({})", report.project,
                           tags(report), report.env, seconds, sla);
    }
    case ExitCode::halted:
        return fmt::format("⛔ {} rollback on {} halted at {}: {} Live app unchanged.",
                           report.project, report.env, stage_or_unknown(report),
                           sentence(report.failure_reason));
    case ExitCode::sev1:
        return fmt::format("🚨 SEV1 {} on {}: no known-good version. Rollback {} failed at {}: {} "
                           "Target is running: {}.",
                           report.project, report.env, tags(report), stage_or_unknown(report),
                           sentence(report.failure_reason), state_or_unknown(report));
    case ExitCode::interrupted:
        return fmt::format("⏹ {} rollback {} on {} interrupted (Ctrl-C) at {}. Target is "
                           "running: {}.",
                           report.project, tags(report), report.env, stage_or_unknown(report),
                           state_or_unknown(report));
    default:
        return fmt::format("❌ {} rollback {} on {} failed at {}: {} Target is running: {}.",
                           report.project, tags(report), report.env, stage_or_unknown(report),
                           sentence(report.failure_reason), state_or_unknown(report));
    }
}

std::string drill_message(const RunReport& report) {
    const bool passed = drill_passed(report);
    std::string out = fmt::format("🧪 {} rollback drill on {}: {}", report.project, report.env,
                                  passed ? "PASS" : "FAIL");
    if (!passed) {
        out += " — " + drill_failure_reason(report);
    }
    out += "\n";
    out += "From: " + tags(report) + "\n";
    if (!report.prediction_basis.empty()) {
        out += fmt::format("Predicted rollback time: {}s (SLA {}s; {})\n",
                           whole_seconds(report.predicted_seconds), report.sla_seconds,
                           report.prediction_basis);
    }
    if (!report.log_path.empty()) {
        out += "Log: " + report.log_path + "\n";
    }
    return out;
}

} // namespace

std::string telegram_message(const RunReport& raw_report) {
    const RunReport report = flattened(raw_report);
    if (report.kind == RunKind::drill) {
        return drill_message(report);
    }
    std::string out = first_line(report) + "\n";
    if (!report.hosts.empty()) {
        out += "Hosts: " + hosts_line(report) + "\n";
    }
    if (!report.to_commit.empty()) {
        out += "Commit: " + short_commit(report.to_commit) + "\n";
    }
    if (report.exit_code == ExitCode::success && !report.health_summary.empty()) {
        out += "Health check: " + report.health_summary + "\n";
    }
    if (report.exit_code != ExitCode::success) {
        out +=
            fmt::format("Time: {}s (SLA {}s)\n", whole_seconds(report.seconds), report.sla_seconds);
    }
    if (!report.triggered_by.empty()) {
        out += "Triggered by: " + report.triggered_by + "\n";
    }
    if (!report.log_path.empty()) {
        out += "Log: " + report.log_path + "\n";
    }
    if (!report.incident.empty()) {
        out += "Post-mortem: " + report.incident + "\n";
    }
    return out;
}

} // namespace smo
