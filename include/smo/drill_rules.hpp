#pragma once

#include "smo/exit_code.hpp"
#include "smo/run_report.hpp"

#include <string>

// The drill's rules (docs/drill.md), in one place: how a finding becomes the
// drill's exit code, and when a drill passed. Each stage decides only what it
// checks in a drill; what that means for the run is decided here.
namespace smo {

// A stage's failure in a drill is a finding about the rollback path: exit 6.
// Ctrl-C (130) and a usage error (2: a typo is no finding) stay what they are.
ExitCode drill_exit_code(ExitCode found);

// The drill verdict: no stage failed, the run ended with exit 0 so far, and a
// prediction exists that is within the SLA.
bool drill_passed(const RunReport& report);

// Why the drill failed, in one line ("" when it passed).
std::string drill_failure_reason(const RunReport& report);

// After the last stage: a drill whose stages all passed but whose verdict
// (the prediction of stage 11, the token check of stage 12) failed ends with
// exit 6, the first failed stage and the reason in `report`. `final_report`
// is the report with every stage's row. Idempotent.
void settle_drill_verdict(RunReport& report, const RunReport& final_report);

} // namespace smo
