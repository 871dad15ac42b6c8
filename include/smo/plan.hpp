#pragma once

#include "smo/config.hpp"
#include "smo/options.hpp"
#include "smo/run_report.hpp"
#include "smo/ssh_target.hpp"
#include "smo/stage.hpp"

#include <string>
#include <vector>

// --plan: what a rollback would do, resolved offline (docs/usage.md). Stages 1 and 2
// run for real against the records and the local repository, with an HTTP
// client that refuses to connect and no remote shell at all; then each stage
// says what it would do (Stage::plan): every remote command of stages 3–8 and
// of the clean-up. Nothing is contacted, nothing is written.
namespace smo {

class FileSystem;
class LocalGit;

struct PlanText {
    std::string text;
    int exit_code = 0; // 0, or 2 when the records cannot name a release to go back to
    // What stages 1–2 found, for the --json `result` event: from/to, the
    // warnings, and (failure_reason) the verdict line.
    RunReport report;
};

struct Context;

// Each stage's plan in the order of k_stage_table, and the clean-up's, from
// what stages 1–2 left in `context`.
struct RunPlan {
    std::vector<StagePlan> stages; // [0] is stage 1
    StagePlan clean_up;            // after stage 10, before the log
};

RunPlan plan_run(const Context& context);

PlanText render_plan(const Options& options, const ProjectConfig& config, const SshTarget& target,
                     FileSystem& files, LocalGit& git);

} // namespace smo
