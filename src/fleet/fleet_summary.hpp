#pragma once

#include "fleet/host_run.hpp"

#include <memory>
#include <vector>

namespace smo::fleet {

// Folds the hosts' runs into the lead's report (docs/records.md): one row per
// stage 3–10 (failed if any host failed it, the slowest host's seconds), the
// first failure in stage order as the run's, SEV1 when a host failed after
// the switch began, one HostOutcome per host, the target state, the health
// summary, the hosts' warnings, and the SLA seconds when every host went
// green.
void summarize_fleet(Context& lead, const std::vector<std::unique_ptr<HostRun>>& runs);

// The hosts' outcomes alone (also used when stages 1–2 stopped the run).
std::vector<HostOutcome> host_outcomes(const Context& lead,
                                       const std::vector<std::unique_ptr<HostRun>>& runs);

} // namespace smo::fleet
