#include "standby_support.hpp"

#include "smo/errors.hpp"
#include "smo/remote/standby.hpp"
#include "smo/standby.hpp"
#include "stage_support.hpp"

namespace smo::stages {
namespace {

standby::Wanted wanted(const Context& context) {
    return {context.report.to_commit, context.report.from_commit,
            standby::config_hash(context.env().rollback)};
}

// "2026-12-01 10:02" of "2026-12-01T10:02:33Z".
std::string when(const std::string& iso) {
    std::string text = iso.substr(0, 16);
    if (text.size() > 10 && text[10] == 'T') {
        text[10] = ' ';
    }
    return text.empty() ? std::string("at an unknown time") : text;
}

} // namespace

std::optional<StageOutcome> reuse_standby(Context& context, const CommandResult& probed) {
    auto& state = context.state;
    const auto timeout = quick_timeout(context);
    const standby::Probe probe = remote::parse_standby_probe(probed.out, state.paths.staging);
    if (!probed.succeeded() || !probe.answered || !probe.manifest) {
        return std::nullopt;
    }
    const auto& manifest = probe.parsed;
    if (const auto why = standby::why_not_reusable(probe, wanted(context))) {
        // The worktree itself goes with the leftover check that follows.
        const CommandResult removed =
            run_remote(context, remote::remove_standby_manifest(state.paths), timeout);
        warn(context, "discarded the prepared standby at " + state.paths.staging + ": " + *why +
                          (removed.succeeded()
                               ? ""
                               : " (its manifest stays: " + why_failed(removed, timeout) + ")") +
                          "; staging " + context.report.to_tag + " afresh");
        return std::nullopt;
    }
    state.staged = true;
    state.standby_reused = true;
    state.build_outputs = manifest.outputs;
    context.report.standby_path = state.paths.staging;
    context.report.standby_built_at = manifest.built_at;
    return StageOutcome::ok("prepared " + when(manifest.built_at) + " by " +
                            (manifest.built_by.empty() ? "unknown" : manifest.built_by) +
                            ", reused: " + context.report.to_tag + " at " + state.paths.staging);
}

void keep_standby(Context& context) {
    auto& state = context.state;
    auto& report = context.report;
    standby::Manifest manifest;
    manifest.to_tag = report.to_tag;
    manifest.to_commit = report.to_commit;
    manifest.from_commit = report.from_commit;
    manifest.config_hash = standby::config_hash(context.env().rollback);
    manifest.outputs = state.build_outputs;
    manifest.built_at = state.standby_reused && !report.standby_built_at.empty()
                            ? report.standby_built_at
                            : report.started_at_utc;
    const remote::LockOwner owner = lock_owner(context);
    manifest.built_by = owner.user + "@" + owner.host;
    const auto timeout = quick_timeout(context);
    try {
        if (!state.standby_reused) {
            const CommandResult written = run_remote(
                context, remote::write_standby(state.paths, standby::render(manifest)), timeout);
            if (!written.succeeded() || !remote::parse_standby_written(written.out)) {
                report.exit_code = ExitCode::failed;
                report.failed_stage = "prepare";
                report.failure_reason = "could not write the standby's manifest " +
                                        remote::standby_manifest_path(state.paths) + ": " +
                                        why_failed(written, timeout) + "; live app untouched";
                return;
            }
        }
        state.standby_kept = true;
        report.standby_path = state.paths.staging;
        report.standby_built_at = manifest.built_at;
        const CommandResult pruned = run_remote(
            context, remote::prune_standbys(state.paths, context.env().rollback.keep_releases),
            timeout);
        for (const auto& name : remote::parse_pruned_standbys(pruned.out).discarded) {
            warn(context, "removed an older standby: " + name);
        }
    } catch (const Interrupted& error) {
        report.exit_code = ExitCode::interrupted;
        report.failed_stage = "prepare";
        report.failure_reason = error.what();
    } catch (const std::exception& error) {
        report.exit_code = ExitCode::failed;
        report.failed_stage = "prepare";
        report.failure_reason = std::string("could not keep the standby: ") + error.what();
    }
}

} // namespace smo::stages
