#pragma once

#include "smo/run_report.hpp"

#include <string>

namespace smo {

// The closing summary of `smo-rollback prepare` (docs/prepare.md): what was
// kept where, what runs live (untouched), and what to do next.
std::string render_prepare_summary(const RunReport& report);

} // namespace smo
