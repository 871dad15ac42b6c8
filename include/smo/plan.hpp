#pragma once

#include "smo/config.hpp"
#include "smo/options.hpp"
#include "smo/run_report.hpp"
#include "smo/ssh_target.hpp"

#include <string>

// --plan: what a rollback would do, resolved offline (docs/usage.md). Stages 1 and 2
// run for real against the records and the local repository, with an HTTP
// client that refuses to connect and no remote shell at all; then every remote
// command of stages 3–8 is listed. Nothing is contacted, nothing is written.
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

PlanText render_plan(const Options& options, const ProjectConfig& config, const SshTarget& target,
                     FileSystem& files, LocalGit& git);

} // namespace smo
