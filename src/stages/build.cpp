// build: builds the staged release and records what the build made (the
//   ignored entries it created, e.g. dist/, minus rollback.keep) for stage 8
//   to swap in; prunes the devDependencies when the live tree runs without
//   them; rewrites the staging path baked into text build files to the live
//   path (a binary one halts: that app needs strategy "in-place").
// Reads: state.paths, prune_dev_dependencies, commands.build,
//   rollback.env_files/keep, strategy.
// Writes: state.build_outputs.
// Drill: the same, for real, in the staging area.
#include "smo/remote/build.hpp"

#include "smo/remote/install.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

#include <variant>

namespace smo::stages {
namespace {

const char* const k_in_place_note = "in-place strategy: the build runs in the live tree at stage 8";

std::string first_few(const std::vector<std::string>& items, std::size_t at_most = 3) {
    std::string text;
    for (std::size_t i = 0; i < items.size() && i < at_most; ++i) {
        text += (i == 0 ? "" : ", ") + items[i];
    }
    return items.size() > at_most ? text + ", …" : text;
}

void prune(Context& context) {
    const auto timeout = long_timeout(context);
    const CommandResult pruned =
        run_remote(context, remote::prune_dev_dependencies(context.state.paths), timeout);
    if (!pruned.succeeded()) {
        warn(context, "npm prune --omit=dev failed (" + why_failed(pruned, timeout) +
                          "): the staged release keeps its devDependencies");
    }
}

// A build that wrote its own directory into its output (Next.js:
// .next/required-server-files.json) would name the staging path after the
// move. Text files are rewritten to the live path; binary ones cannot be.
// Returns a halt, or a note for the stage's detail.
std::variant<StageOutcome, std::string> relocate(Context& context,
                                                 const std::vector<std::string>& outputs) {
    const auto& paths = context.state.paths;
    const auto timeout = long_timeout(context);
    const CommandResult found =
        run_remote(context, remote::find_baked_paths(paths, outputs), timeout);
    const remote::BakedPaths baked = remote::parse_baked_paths(found.out);
    if (!baked.searched) {
        warn(context, "could not search the build outputs for the staging path (" +
                          why_failed(found, timeout) + ")");
        return std::string();
    }
    if (!baked.binary.empty()) {
        return finding(context,
                       StageOutcome::halt("the build wrote the staging path " + paths.staging +
                                          " into binary files (" + first_few(baked.binary) +
                                          "): built there, it cannot run from " + paths.live +
                                          "; set rollback.strategy to \"in-place\" for this "
                                          "app; live app untouched"));
    }
    if (baked.text.empty()) {
        return std::string();
    }
    const CommandResult rewritten =
        run_remote(context, remote::rewrite_baked_paths(paths, baked.text), timeout);
    if (!rewritten.succeeded()) {
        return finding(context,
                       StageOutcome::fail("could not rewrite the staging path in " +
                                          first_few(baked.text) + ": " +
                                          why_failed(rewritten, timeout) + "; live app untouched"));
    }
    return "; staging path rewritten to the live path in " + std::to_string(baked.text.size()) +
           " file(s): " + first_few(baked.text);
}

class BuildStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        if (auto skip =
                staged_work_skipped(context, "the prepared standby is built", k_in_place_note)) {
            return *skip;
        }
        const auto& paths = context.state.paths;
        const std::string& build = context.env().rollback.commands.build;
        const auto timeout = long_timeout(context);
        const CommandResult result =
            run_remote(context, remote::build_and_list(paths, build), timeout);
        const auto& rollback = context.env().rollback;
        const remote::BuildReply reply =
            remote::parse_build_reply(result.out, rollback.env_files, rollback.keep);
        if (!reply.built) {
            return finding(context, StageOutcome::sev1("previous tag doesn't build: `" + build +
                                                       "` " + why_failed(result, timeout) +
                                                       "; live app untouched"));
        }
        if (!result.succeeded() || !reply.listed) {
            // Without the list, stage 8 would leave the from-release's build
            // beside the to-release's code.
            return finding(context,
                           StageOutcome::fail("could not list the build outputs in " +
                                              paths.staging + ": " + why_failed(result, timeout)));
        }
        const std::string detail = build.empty()
                                       ? std::string("no build command configured")
                                       : "`" + build + "` in the staged " + context.report.to_tag;
        const remote::BuildOutputs& outputs = reply.outputs;
        context.state.build_outputs = outputs.swap;
        const std::string names = first_few(outputs.swap, outputs.swap.size());
        std::string text = detail + (names.empty() ? "; no build outputs besides node_modules"
                                                   : "; outputs: " + names);
        if (!outputs.kept.empty()) {
            text +=
                "; left in place (rollback.keep): " + first_few(outputs.kept, outputs.kept.size());
        }
        if (context.state.prune_dev_dependencies) {
            prune(context);
        }
        if (!outputs.swap.empty()) {
            auto relocated = relocate(context, outputs.swap);
            if (auto* stop = std::get_if<StageOutcome>(&relocated)) {
                return *stop;
            }
            text += std::get<std::string>(relocated);
        }
        return StageOutcome::ok(text);
    }

    StagePlan plan(const Context& context) const override {
        if (context.env().rollback.strategy == Strategy::in_place) {
            return {k_in_place_note, {}};
        }
        const auto& paths = context.state.paths;
        return {{},
                {remote::build_and_list(paths, context.env().rollback.commands.build),
                 "# when the live tree has no devDependencies and install ran:",
                 remote::prune_dev_dependencies(paths),
                 "# build files naming the staging path are rewritten to the live path:",
                 remote::find_baked_paths(paths, {"<each build output>"})}};
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_build_stage() {
    return std::make_unique<stages::BuildStage>();
}
