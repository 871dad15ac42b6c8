#include "smo/records/drill_log.hpp"

#include "smo/drill_rules.hpp"
#include "smo/records/host_table.hpp"
#include "smo/records/prediction.hpp"
#include "smo/records/render_util.hpp"

#include <fmt/format.h>

namespace smo {

std::string drill_section_heading(const RunReport& report) {
    return fmt::format("## {} {} UTC — {} drill", report.date, time_of_day(report.started_at_utc),
                       report.env);
}

namespace {

std::string prediction_line(const RunReport& report) {
    if (report.prediction_basis.empty()) {
        return "- Predicted rollback time: none\n";
    }
    const bool within = report.predicted_seconds <= report.sla_seconds;
    return fmt::format("- Predicted rollback time: {}s against SLA {}s — {} (basis: {})\n",
                       format_seconds(report.predicted_seconds), report.sla_seconds,
                       within ? "within SLA" : "OVER SLA", report.prediction_basis);
}

} // namespace

std::string render_drill_section(const RunReport& raw_report) {
    const RunReport report = flattened(raw_report);
    const bool passed = drill_passed(report);
    std::string out = drill_section_heading(report) + (passed ? ": PASS\n\n" : ": FAIL\n\n");
    out += "- Project: " + report.project + "\n";
    out += "- Target: " + target_line(report) + "\n";
    out += "- From: " + tag_or_unknown(report.from_tag) +
           " → To: " + tag_or_unknown(report.to_tag) +
           (report.to_commit.empty() ? "" : " (" + short_commit(report.to_commit) + ")") + "\n";
    if (!report.triggered_by.empty()) {
        out += "- Triggered by: " + report.triggered_by + "\n";
    }
    out += prediction_line(report);
    out += "- Measured: " + format_seconds(report.seconds) + "s for the whole drill\n";
    out += "- Alert: " +
           (report.telegram_result.empty() ? std::string("pending") : report.telegram_result) +
           "\n";
    out += passed ? std::string("- Verdict: PASS\n")
                  : "- Verdict: FAIL — " + drill_failure_reason(report) + "\n";
    out += "\n" + render_stage_table(report, "check", "result");
    if (!report.hosts.empty()) {
        out += "\n" + render_host_table(report);
    }
    return out;
}

std::string drill_log_append(const RunReport& report, const std::optional<std::string>& existing) {
    std::string out;
    if (!existing || existing->find_first_not_of(" \t\r\n") == std::string::npos) {
        out += k_drill_log_title;
    } else if (existing->back() != '\n') {
        out += "\n";
    }
    return out + "\n" + render_drill_section(report);
}

std::optional<std::string> replace_drill_section(const std::string& existing,
                                                 const RunReport& report) {
    const std::string heading = drill_section_heading(report);
    size_t at = existing.rfind("\n" + heading);
    if (at != std::string::npos) {
        ++at;
    } else if (existing.starts_with(heading)) {
        at = 0;
    } else {
        return std::nullopt;
    }
    // The section runs to the next "## " heading or the end of the file.
    const size_t next = existing.find("\n## ", at + heading.size());
    const std::string rest = next == std::string::npos ? "" : existing.substr(next + 1);
    return existing.substr(0, at) + render_drill_section(report) + (rest.empty() ? "" : "\n") +
           rest;
}

} // namespace smo
