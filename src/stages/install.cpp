// install: gives the staged release its node_modules. When the dependency
//   sets of the two releases are equal (same dependencies, devDependencies,
//   optionalDependencies, overrides; same lockfile apart from the root's
//   name/version) and the live tree has them installed, its node_modules is
//   reused by hard-link copy (a second instead of minutes); an app with no
//   dependencies installs nothing; otherwise commands.install runs.
// Reads: state.paths, report.from_commit/to_commit, commands.install, strategy.
// Writes: state.reuse_node_modules, state.prune_dev_dependencies; node_modules
//   in the staging worktree.
// Drill: the same, for real, in the staging area.
#include "smo/remote/install.hpp"

#include "smo/remote_replies.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

#include <algorithm>

namespace smo::stages {
namespace {

const char* const k_in_place_note = "in-place strategy: install runs in the live tree at stage 8";

std::string probe_command(const Context& context) {
    const auto& report = context.report;
    return remote::package_probe(context.state.paths, report.from_commit, report.to_commit);
}

bool installed(const remote::PackageProbe& probe, const std::string& name) {
    return std::find(probe.installed.begin(), probe.installed.end(), name) != probe.installed.end();
}

// The live tree was installed without devDependencies (npm ci --omit=dev):
// it has node_modules, the from-release has devDependencies, and none of
// them is there.
bool live_omits_dev(const remote::PackageProbe& probe) {
    const auto dev = dev_dependency_names(probe.from);
    return probe.live_modules && !dev.empty() &&
           std::none_of(dev.begin(), dev.end(),
                        [&](const std::string& name) { return installed(probe, name); });
}

// npm's own installs can be pruned by npm; another tool's cannot.
bool is_npm_install(const std::string& install) {
    return install.starts_with("npm ci") || install.starts_with("npm install") ||
           install.starts_with("npm i ");
}

class InstallStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        if (auto skip = staged_work_skipped(context, "the prepared standby has its node_modules",
                                            k_in_place_note)) {
            return *skip;
        }
        const auto& report = context.report;
        const auto timeout = long_timeout(context);
        const CommandResult probed =
            run_remote(context, probe_command(context), quick_timeout(context));
        const remote::PackageProbe probe = remote::parse_package_probe(probed.out);
        if (!probed.succeeded() || !probe.complete) {
            warn(context, "could not read the package files on the target (" +
                              why_failed(probed, quick_timeout(context)) + "); installing");
        } else if (auto reused = try_reuse(context, probe, timeout)) {
            return *reused;
        }
        const std::string& install = context.env().rollback.commands.install;
        if (install.empty()) {
            return StageOutcome::skipped("no install command configured");
        }
        const CommandResult result =
            run_remote(context, remote::run_in(context.state.paths.staging, install), timeout);
        if (!result.succeeded() &&
            (result.timed_out || remote::is_network_failure(result.err + result.out))) {
            // The registry or the network, not the release: nothing says the
            // previous tag is bad, so this is no SEV1.
            return finding(context, StageOutcome::fail("`" + install +
                                                       "` failed on the network or the "
                                                       "npm registry: " +
                                                       why_failed(result, timeout) +
                                                       "; live app untouched"));
        }
        if (!result.succeeded()) {
            return finding(context, StageOutcome::sev1("previous tag doesn't install: `" + install +
                                                       "` " + why_failed(result, timeout) +
                                                       "; live app untouched"));
        }
        // The build gets the devDependencies; the release then runs with what
        // the live tree had: run-time dependencies only, if that is what it had.
        context.state.prune_dev_dependencies =
            probe.complete && live_omits_dev(probe) && is_npm_install(install);
        return StageOutcome::ok("`" + install + "` in the staged " + report.to_tag +
                                (context.state.prune_dev_dependencies
                                     ? "; devDependencies pruned after the build, as live"
                                     : ""));
    }

    StagePlan plan(const Context& context) const override {
        if (context.env().rollback.strategy == Strategy::in_place) {
            return {k_in_place_note, {}};
        }
        const auto& paths = context.state.paths;
        return {{},
                {probe_command(context),
                 "# same dependency set and live node_modules with what the build needs:",
                 remote::copy_node_modules(paths),
                 "# else, unless the release has no dependencies:",
                 remote::run_in(paths.staging, context.env().rollback.commands.install)}};
    }

  private:
    static std::optional<StageOutcome>
    try_reuse(Context& context, const remote::PackageProbe& probe, std::chrono::seconds timeout) {
        const auto from = dependency_set(probe.from);
        const auto to = dependency_set(probe.to);
        if (has_no_dependencies(probe.to)) {
            return StageOutcome::skipped("no dependencies: nothing to install");
        }
        const bool equal = from && to && *from == *to;
        if (!equal || !probe.live_modules) {
            return std::nullopt;
        }
        const auto dev = dev_dependency_names(probe.to);
        const bool dev_missing = std::any_of(dev.begin(), dev.end(), [&](const std::string& name) {
            return !installed(probe, name);
        });
        if (dev_missing) {
            return std::nullopt; // the build needs them: a fresh install, pruned after
        }
        const CommandResult copied =
            run_remote(context, remote::copy_node_modules(context.state.paths), timeout);
        if (!copied.succeeded()) {
            warn(context, "hard-link copy of node_modules failed (" + remote::tail_of(copied.err) +
                              "); installing instead");
            return std::nullopt;
        }
        context.state.reuse_node_modules = true;
        return StageOutcome::ok("reused live node_modules by hard-link copy: same dependency "
                                "set (" +
                                stable_hash(*to).substr(0, 8) + ")");
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_install_stage() {
    return std::make_unique<stages::InstallStage>();
}
