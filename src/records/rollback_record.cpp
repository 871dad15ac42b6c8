#include "smo/records/rollback_record.hpp"

#include "smo/records/host_table.hpp"
#include "smo/records/render_util.hpp"

#include <fmt/format.h>

namespace smo {

namespace {

const char* headline(const RunReport& report) {
    if (report.kind == RunKind::drill) {
        return report.exit_code == ExitCode::success ? "✅ Drill passed" : "❌ Drill failed";
    }
    switch (report.exit_code) {
    case ExitCode::success:
        return "✅ Rollback complete";
    case ExitCode::halted:
        return "⛔ Rollback halted — live app unchanged";
    case ExitCode::sev1:
        return "🚨 SEV1: no known-good version";
    case ExitCode::interrupted:
        return "⏹ Rollback interrupted";
    default:
        return "❌ Rollback failed";
    }
}

std::string sla_phrase(const RunReport& report) {
    if (report.exit_code != ExitCode::success) {
        // Nothing was rolled back in time: no "within SLA" for a failure.
        return fmt::format("{}, SLA {}s", outcome_of(report), report.sla_seconds);
    }
    if (report.within_sla()) {
        return fmt::format("within SLA {}s", report.sla_seconds);
    }
    return fmt::format("SLA BREACHED by {}s", whole_seconds(report.seconds) - report.sla_seconds);
}

std::string or_text(const std::string& value, const char* fallback) {
    return value.empty() ? std::string(fallback) : value;
}

void add_failure_lines(std::string& out, const RunReport& report) {
    if (report.exit_code == ExitCode::success) {
        return;
    }
    if (!report.failed_stage.empty()) {
        out += "Stopped at: " + report.failed_stage;
        out += report.failure_reason.empty() ? "\n" : " — " + report.failure_reason + "\n";
    } else if (!report.failure_reason.empty()) {
        out += "Reason: " + report.failure_reason + "\n";
    }
}

} // namespace

std::string live_line(const RunReport& report) {
    const LiveState& live = report.live;
    if (live.tag.empty() && live.commit.empty()) {
        return "unknown (the target was not reached)";
    }
    std::string out = tag_or_unknown(live.tag);
    if (!live.commit.empty()) {
        out += " (" + short_commit(live.commit) + ")";
    }
    if (!live.healthy) {
        return out + " — health unknown" + (live.health.empty() ? "" : ": " + live.health);
    }
    return out + (*live.healthy ? " — healthy" : " — NOT healthy: " + live.health);
}

namespace {

// A drill that failed only on the live app's health: the path itself works.
bool rollback_path_ready(const RunReport& report) {
    if (report.exit_code == ExitCode::success ||
        (report.failed_stage != "settle" && report.failed_stage != "health-check")) {
        return false;
    }
    for (const auto& stage : report.stages) {
        if (stage.number <= 8 && stage.status == StageStatus::failed) {
            return false;
        }
    }
    return true;
}

// The to-commit only once it is live: a halt changed nothing.
bool to_commit_live(const RunReport& report) {
    if (report.to_commit.empty() || report.kind != RunKind::rollback) {
        return false;
    }
    return report.exit_code == ExitCode::success || report.live.commit == report.to_commit;
}

} // namespace

std::string render_summary(const RunReport& raw_report) {
    const RunReport report = flattened(raw_report);
    std::string out = std::string(headline(report)) + "\n";
    out += "Project: " + report.project + "\n";
    out += "Target: " + target_line(report) + "\n";
    if (!report.hosts.empty() && report.kind == RunKind::drill) {
        out += "Hosts: " + hosts_line(report) + "\n";
    } else if (!report.hosts.empty()) {
        out += "Hosts: " + hosts_fraction(report) + " on the to-release — " + hosts_line(report) +
               "\n";
    }
    out += "From: " + tag_or_unknown(report.from_tag) + " → To: " + tag_or_unknown(report.to_tag) +
           "\n";
    if (to_commit_live(report)) {
        out += "Commit: " + short_commit(report.to_commit) + "\n";
    }
    out += "Live: " + live_line(report) + "\n";
    if (report.exit_code != ExitCode::success && !report.target_state.empty()) {
        // The stage's own words on what it left (untouched, reloaded but
        // unhealthy, the database already rolled back): the Live: line only
        // says what answers.
        out += "State: " + report.target_state + "\n";
    }
    add_failure_lines(out, report);
    if (report.kind == RunKind::drill && rollback_path_ready(report)) {
        out += "Rollback path: ready (stages 1–8 passed); the live app is unhealthy now\n";
    }
    if (report.kind == RunKind::drill) {
        out += fmt::format("Predicted rollback time: {}s ({}s SLA) — {}\n",
                           whole_seconds(report.predicted_seconds), report.sla_seconds,
                           or_text(report.prediction_basis, "no prediction"));
    } else {
        out += "Health check: " + or_text(report.health_summary, "not reached") + "\n";
        out += fmt::format("Rollback time: {}s ({})\n", whole_seconds(report.seconds),
                           sla_phrase(report));
    }
    out += "Log: " + or_text(report.log_path, "not written") + "\n";
    out += "Triggered by: " + or_text(report.triggered_by, "(not recorded)") + "\n";
    if (!report.telegram_result.empty()) {
        out += "Telegram: " + report.telegram_result + "\n";
    }
    out += "Next: " + next_step(report) + "\n";
    return out;
}

namespace {

std::string front_matter(const RunReport& report) {
    std::string out = "---\n";
    out += "kind: rollback\n";
    out += "project: " + yaml_quote(report.project) + "\n";
    out += "env: " + yaml_quote(report.env) + "\n";
    out += "from_tag: " + yaml_quote(report.from_tag) + "\n";
    out += "from_commit: " + yaml_quote(report.from_commit) + "\n";
    out += "to_tag: " + yaml_quote(report.to_tag) + "\n";
    out += "to_commit: " + yaml_quote(report.to_commit) + "\n";
    // The deploy-record fields, so that any reader of docs/deploys/ sees which
    // release this event put live and when.
    out += "tag: " + yaml_quote(report.to_tag) + "\n";
    out += "commit: " + yaml_quote(report.to_commit) + "\n";
    out += "date: " + yaml_quote(report.date) + "\n";
    out += "deployed_at: " + yaml_quote(report.started_at_utc) + "\n";
    out += "started_at: " + yaml_quote(report.started_at_utc) + "\n";
    out += std::string("outcome: ") + outcome_of(report) + "\n";
    out += fmt::format("exit_code: {}\n", to_int(report.exit_code));
    out += "seconds: " + format_seconds(report.seconds) + "\n";
    out += fmt::format("sla_seconds: {}\n", report.sla_seconds);
    out += std::string("within_sla: ") + (report.within_sla() ? "true" : "false") + "\n";
    out += "failed_stage: " + yaml_quote(report.failed_stage) + "\n";
    out += "triggered_by: " + yaml_quote(report.triggered_by) + "\n";
    if (!report.lock_holder.empty()) {
        // Lets the next run that meets the same lock see this halt is recorded.
        out += "lock_holder: " + yaml_quote(report.lock_holder) + "\n";
    }
    out += "incident: " + yaml_quote(report.incident) + "\n";
    out += "telegram: " + yaml_quote(report.telegram_result) + "\n";
    out += "---\n";
    return out;
}

std::string sla_section(const RunReport& report) {
    std::string out = fmt::format("{}s against an SLA of {}s: ", format_seconds(report.seconds),
                                  report.sla_seconds);
    if (report.within_sla()) {
        out += fmt::format("within SLA ({}s to spare).\n",
                           format_seconds(report.sla_seconds - report.seconds));
    } else {
        out += fmt::format("SLA BREACHED by {}s.\n",
                           format_seconds(report.seconds - report.sla_seconds));
    }
    if (const StageReport* slowest = slowest_stage(report)) {
        out += fmt::format("Slowest stage: {} ({}s).\n", slowest->name,
                           format_seconds(slowest->seconds));
    }
    return out;
}

} // namespace

std::string render_rollback_record(const RunReport& raw_report) {
    // Front matter keeps every value exactly (quoted); the human account below
    // it keeps every value on its line.
    std::string out = front_matter(raw_report);
    const RunReport report = flattened(raw_report);
    out += "\n# Rollback " + tag_or_unknown(report.from_tag) + " → " +
           tag_or_unknown(report.to_tag) + " on " + report.env + "\n\n";
    out += "```text\n" + render_summary(report) + "```\n\n";
    out += "## Releases\n\n";
    out += "- From: " + tag_or_unknown(report.from_tag) + " (" +
           or_text(report.from_commit, "commit unknown") + ")\n";
    out += "- To: " + tag_or_unknown(report.to_tag) + " (" +
           or_text(report.to_commit, "commit unknown") + ")\n";
    out += "- Started: " + report.started_at_utc + "\n";
    out += "- Triggered by: " + or_text(report.triggered_by, "(not recorded)") + "\n\n";
    out += "## Stages\n\n" + render_stage_table(report, "stage", "status") + "\n";
    out += render_host_section(raw_report);
    out += "## SLA\n\n" + sla_section(report) + "\n";
    out += "## Post-mortem\n\n" + or_text(report.incident, "pending — run /smo-incident") + "\n\n";
    out += "## Target state\n\n" +
           or_text(report.target_state, report.exit_code == ExitCode::success
                                            ? "running the to-release, healthy"
                                            : "not recorded") +
           "\n\n";
    if (!report.warnings.empty()) {
        out += "## Warnings\n\n";
        for (const auto& warning : report.warnings) {
            out += "- " + warning + "\n";
        }
        out += "\n";
    }
    out += "## Telegram\n\n" +
           or_text(report.telegram_result, "pending (the alert is sent after this record)") + "\n";
    return out;
}

} // namespace smo
