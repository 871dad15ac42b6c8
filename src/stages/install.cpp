// install: installs the staged release's dependencies, or, when package.json
//   and package-lock.json are the same at both tags, reuses the live
//   node_modules by hard-link copy (seconds instead of minutes).
// Reads: state.paths, report.from_commit/to_commit, commands.install, strategy.
// Writes: state.reuse_node_modules; node_modules in the staging worktree.
// Drill: the same, for real, in the staging area.
#include "smo/remote_replies.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

namespace smo::stages {
namespace {

class InstallStage : public Stage {
  public:
    std::string_view name() const override { return "install"; }

    StageOutcome run(Context& context) override {
        if (context.env().rollback.strategy == Strategy::in_place) {
            return StageOutcome::skipped(
                "in-place strategy: install runs in the live tree at stage 8");
        }
        if (try_reuse(context)) {
            return StageOutcome::ok(
                "reused live node_modules by hard-link copy: package files unchanged");
        }
        const std::string& install = context.env().rollback.commands.install;
        if (install.empty()) {
            return StageOutcome::skipped("no install command configured");
        }
        const auto timeout = long_timeout(context);
        const CommandResult result =
            run_remote(context, remote::run_in(context.state.paths.staging, install), timeout);
        if (!result.succeeded()) {
            return finding(context, StageOutcome::sev1("previous tag doesn't install: `" + install +
                                                       "` " + why_failed(result, timeout) +
                                                       "; live app untouched"));
        }
        return StageOutcome::ok("`" + install + "` in the staged " + context.report.to_tag);
    }

  private:
    static bool try_reuse(Context& context) {
        const auto& report = context.report;
        const auto timeout = long_timeout(context);
        const CommandResult result = run_remote(
            context,
            remote::reuse_node_modules(context.state.paths, report.from_commit, report.to_commit),
            timeout);
        if (result.succeeded() && remote::has_marker(result.out, "smo:reused")) {
            context.state.reuse_node_modules = true;
            return true;
        }
        if (remote::has_marker(result.out, "smo:copy-failed")) {
            warn(context, "hard-link copy of node_modules failed (" + remote::tail_of(result.err) +
                              "); installing instead");
        }
        return false;
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_install_stage() {
    return std::make_unique<stages::InstallStage>();
}
