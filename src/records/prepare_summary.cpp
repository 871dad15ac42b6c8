#include "smo/records/prepare_summary.hpp"

#include "smo/text.hpp"

#include <fmt/format.h>

namespace smo {
namespace {

std::string release(const std::string& tag, const std::string& commit) {
    return text::release_name(tag, commit, "unknown");
}

const char* headline(ExitCode code) {
    switch (code) {
    case ExitCode::success:
        return "✅ Standby prepared";
    case ExitCode::halted:
        return "⏸ Prepare halted";
    case ExitCode::interrupted:
        return "⏹ Prepare interrupted";
    default:
        return "❌ Prepare failed";
    }
}

} // namespace

std::string render_prepare_summary(const RunReport& report) {
    std::string out = std::string(headline(report.exit_code)) + "\n";
    out += "Project: " + report.project + "\n";
    out += "Target: " + report.env + " (" + report.target_label + ")\n";
    out += "Live: " + release(report.from_tag, report.from_commit) +
           " — untouched (prepare never changes the live tree, the app or the database)\n";
    const std::string to = release(report.to_tag, report.to_commit);
    if (report.exit_code == ExitCode::success) {
        out += "Standby: " + to + " at " + report.standby_path + ", built " +
               report.standby_built_at + "\n";
    } else {
        out += "Standby: none for " + to + "\n";
        out += "Stopped at: " + report.failed_stage + " — " + report.failure_reason + "\n";
    }
    out += fmt::format("Time: {}s\n", static_cast<long>(report.seconds + 0.5));
    if (report.exit_code == ExitCode::success) {
        out += "Next: a rollback (or drill) to " + to +
               " now skips checkout, install and build while the live release stays " +
               release(report.from_tag, report.from_commit) + "\n";
    } else if (report.exit_code == ExitCode::sev1) {
        out += "Next: " + to +
               " does not build: a rollback to it would fail too; fix forward, or pick "
               "another release with --to\n";
    } else {
        out += "Next: resolve the reason above, then re-run smo-rollback prepare\n";
    }
    return out;
}

} // namespace smo
