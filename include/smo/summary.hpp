#pragma once

#include "smo/run_report.hpp"

#include <string>

namespace smo {

// The closing block of SPEC §8 ("✅ Rollback complete", Project, Target, From →
// To, Commit, Health check, Rollback time with the SLA verdict, Log, Triggered
// by, Next), worded for every outcome and for drills. Ends with a newline. Used
// by the terminal summary and the rollback record alike.
std::string render_summary(const RunReport& report);

// "74s (within SLA 90s)" or "97s (SLA BREACHED by 7s)".
std::string render_sla_verdict(const RunReport& report);

} // namespace smo
