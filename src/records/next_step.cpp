#include "smo/records/rollback_record.hpp"

#include <string_view>

// The one concrete next step of every summary (docs/usage.md): the exact
// command where there is one. A stage that knows better (a held lock, a dirty
// tree) sets report.next; otherwise the outcome and the reason decide.
namespace smo {

namespace {

bool has(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// "(ssh-keygen -R '[h]:p' -f file)" inside a host-key message.
std::string quoted_command(const std::string& reason, std::string_view start) {
    const auto at = reason.find(start);
    if (at == std::string::npos) {
        return {};
    }
    const auto end = reason.find(')', at);
    return reason.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

std::string after_failure(const RunReport& report) {
    const std::string& reason = report.failure_reason;
    if (has(reason, "has CHANGED")) {
        const std::string command = quoted_command(reason, "ssh-keygen -R");
        return "confirm the new host key with the server's owner, then " + command +
               " and smo-rollback --accept-new-host-key";
    }
    if (has(reason, "refusing an unknown host")) {
        return "check the fingerprint with the server's owner, then smo-rollback "
               "--accept-new-host-key";
    }
    return "smo-rollback status (what the target runs now), fix the cause above, then re-run "
           "smo-rollback";
}

std::string after_sev1(const RunReport& report) {
    const std::string tag = report.to_tag.empty() ? std::string("the previous tag") : report.to_tag;
    return "forward-fix now, or go further back: smo-rollback list, then smo-rollback --to "
           "<an older good tag> (" +
           tag + " is not a known-good version)";
}

std::string after_drill(const RunReport& report) {
    return report.exit_code == ExitCode::success
               ? "nothing — the next drill is due next quarter"
               : "fix the failed check, then smo-rollback --dry-run again";
}

} // namespace

std::string next_step(const RunReport& report) {
    if (!report.next.empty()) {
        return report.next;
    }
    if (report.kind == RunKind::drill) {
        return after_drill(report);
    }
    switch (report.exit_code) {
    case ExitCode::success:
        return "/smo-incident to write the post-mortem";
    case ExitCode::usage:
        if (has(report.failure_reason, "--to") || has(report.failure_reason, "does not resolve") ||
            has(report.failure_reason, "deploy record")) {
            return "smo-rollback list (the releases it can go back to), then smo-rollback --to "
                   "TAG";
        }
        return "fix the error above; smo-rollback --plan checks config and records offline";
    case ExitCode::halted:
        if (has(report.failure_reason, "irreversible")) {
            return "forward-fix: /smo-deploy a fix (the migration cannot be rolled back)";
        }
        return "resolve the reason above, then re-run smo-rollback (or forward-fix)";
    case ExitCode::sev1:
        return after_sev1(report);
    case ExitCode::interrupted:
        return "smo-rollback status (what the target runs now), then re-run smo-rollback";
    default:
        return after_failure(report);
    }
}

} // namespace smo
