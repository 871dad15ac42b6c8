// build: builds the staged release and records what the build made (the
//   ignored top-level entries, e.g. dist/) for stage 8 to swap in.
// Reads: state.paths, commands.build, rollback.env_files, strategy.
// Writes: state.build_outputs.
// Drill: the same, for real, in the staging area.
#include "smo/remote_replies.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

namespace smo::stages {
namespace {

class BuildStage : public Stage {
  public:
    std::string_view name() const override { return "build"; }

    StageOutcome run(Context& context) override {
        if (context.env().rollback.strategy == Strategy::in_place) {
            return StageOutcome::skipped(
                "in-place strategy: the build runs in the live tree at stage 8");
        }
        const auto& paths = context.state.paths;
        const std::string& build = context.env().rollback.commands.build;
        const auto timeout = long_timeout(context);
        const CommandResult result =
            run_remote(context, remote::build_and_list(paths, build), timeout);
        if (!remote::has_marker(result.out, "smo:built")) {
            return finding(context, StageOutcome::sev1("previous tag doesn't build: `" + build +
                                                       "` " + why_failed(result, timeout) +
                                                       "; live app untouched"));
        }
        if (!result.succeeded()) {
            // Without the list, stage 8 would leave the from-release's build
            // beside the to-release's code.
            return finding(context,
                           StageOutcome::fail("could not list the build outputs in " +
                                              paths.staging + ": " + why_failed(result, timeout)));
        }
        const std::string detail = build.empty()
                                       ? std::string("no build command configured")
                                       : "`" + build + "` in the staged " + context.report.to_tag;
        auto& outputs = context.state.build_outputs;
        std::string listing;
        for (const auto& line : remote::lines_after(result.out, "smo:built")) {
            listing += line + "\n";
        }
        outputs = remote::parse_build_outputs(listing, context.env().rollback.env_files);
        std::string names;
        for (const auto& output : outputs) {
            names += (names.empty() ? "" : ", ") + output;
        }
        return StageOutcome::ok(detail + (names.empty() ? "; no build outputs besides node_modules"
                                                        : "; outputs: " + names));
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_build_stage() {
    return std::make_unique<stages::BuildStage>();
}
