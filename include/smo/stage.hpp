#pragma once

#include "smo/exit_code.hpp"

#include <string>
#include <string_view>
#include <vector>

// One step of the runbook. Each stage is a small class in src/stages/; the
// table that orders them is src/pipeline.cpp.
namespace smo {

struct Context;

enum class StageStatus { running, ok, skipped, failed };

const char* to_string(StageStatus status); // "running", "ok", "skipped", "failed"

struct StageOutcome {
    StageStatus status = StageStatus::ok;
    std::string detail;
    ExitCode exit_code = ExitCode::success; // set when status is failed

    static StageOutcome ok(std::string detail = {}) {
        return {StageStatus::ok, std::move(detail), ExitCode::success};
    }
    static StageOutcome skipped(std::string detail) {
        return {StageStatus::skipped, std::move(detail), ExitCode::success};
    }
    // Stopped safely before the live app changed (exit 3).
    static StageOutcome halt(std::string detail) {
        return {StageStatus::failed, std::move(detail), ExitCode::halted};
    }
    // No known-good version (exit 4).
    static StageOutcome sev1(std::string detail) {
        return {StageStatus::failed, std::move(detail), ExitCode::sev1};
    }
    // Any other failure (exit 5).
    static StageOutcome fail(std::string detail) {
        return {StageStatus::failed, std::move(detail), ExitCode::failed};
    }
    // A drill check that did not pass (exit 6).
    static StageOutcome drill_fail(std::string detail) {
        return {StageStatus::failed, std::move(detail), ExitCode::drill_failed};
    }
};

// What a stage would do, for --plan (docs/usage.md).
struct StagePlan {
    std::string summary;               // on the stage's heading line; may be empty
    std::vector<std::string> commands; // the remote commands, and "# ..." notes on when they run
};

class Stage {
  public:
    virtual ~Stage() = default;
    // Its number and name are its place in k_stage_table (smo/stage_table.hpp).
    virtual StageOutcome run(Context& context) = 0;
    // What run() would do, given what stages 1–2 found in `context`, built by
    // the functions run() calls, so that --plan cannot drift from the run.
    // Contacts nothing.
    virtual StagePlan plan(const Context& context) const = 0;
};

} // namespace smo
