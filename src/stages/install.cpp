// install: installs the staged release's dependencies, or, when package.json
//   and package-lock.json are the same at both tags, reuses the live
//   node_modules by hard-link copy (seconds instead of minutes).
// Reads: state.paths, report.from_commit/to_commit, commands.install, strategy.
// Writes: state.reuse_node_modules; node_modules in the staging worktree.
// Drill: the same, for real, in the staging area.
#include "smo/remote_replies.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

#include <algorithm>

namespace smo::stages {
namespace {

bool has_line(const std::vector<std::string>& lines, const std::string& wanted) {
    return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

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
        const auto& paths = context.state.paths;
        const auto& report = context.report;
        const auto timeout = quick_timeout(context);
        const CommandResult compared = run_remote(
            context, remote::compare_package_files(paths, report.from_commit, report.to_commit),
            timeout);
        const auto lines = remote::lines_of(compared.out);
        if (!compared.succeeded() || !has_line(lines, "same") || !has_line(lines, "modules")) {
            return false;
        }
        const auto copy_timeout = long_timeout(context);
        const CommandResult copied =
            run_remote(context, remote::copy_node_modules(paths), copy_timeout);
        if (!copied.succeeded()) {
            warn(context, "hard-link copy of node_modules failed (" +
                              why_failed(copied, copy_timeout) + "); installing instead");
            return false;
        }
        context.state.reuse_node_modules = true;
        return true;
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_install_stage() {
    return std::make_unique<stages::InstallStage>();
}
