#pragma once

#include "smo/run_report.hpp"
#include "smo/stage.hpp"
#include "smo/stage_table.hpp"

#include <memory>
#include <vector>

// The runbook: the stages of smo/stage_table.hpp in order (docs/stages.md).
namespace smo {

struct Context;

std::vector<std::unique_ptr<Stage>> make_stages();

// Runs one stage as run_pipeline does: reports it, adds it to context.report,
// and records the first failure of stages 1–10 as the run's outcome. Breakage
// thrown by the stage becomes its failure. The fleet runner (docs/stages.md)
// runs each host's stages through this.
StageReport run_stage(Stage& stage, int number, Context& context);

// Runs the stages, fills context.report (stages, seconds, outcome) and reports
// progress. A TransportError or Interrupted thrown by a stage becomes that
// stage's failure; the lock is released before the log stage.
void run_pipeline(Context& context, const std::vector<std::unique_ptr<Stage>>& stages);

// `smo-rollback prepare` (docs/prepare.md): the first k_last_prepare_stage
// stages as a rollback runs them; when they all pass, the staged release is
// kept as the warm standby; then the clean-up (lock released). No record, no
// alert: the live app, its process and its database are not touched.
inline constexpr int k_last_prepare_stage = 6;
void run_prepare_pipeline(Context& context, const std::vector<std::unique_ptr<Stage>>& stages);

} // namespace smo
