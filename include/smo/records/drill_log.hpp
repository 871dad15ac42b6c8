#pragma once

#include "smo/run_report.hpp"

#include <optional>
#include <string>

// docs/drill-log.md (docs/drill.md): one section per drill — when, where, which
// tags, each check with its result and seconds, the predicted rollback time
// against the SLA with its basis, and the verdict.
namespace smo {

inline constexpr const char* k_drill_log_title =
    "# Rollback drill log\n\nOne section per `smo-rollback --dry-run`, newest last.\n";

// "## 2026-04-19 03:12:09 UTC — production drill": identifies the section.
std::string drill_section_heading(const RunReport& report);

// The section: heading with ": PASS" or ": FAIL", facts, the check table.
// Starts with the heading line, ends with a newline.
std::string render_drill_section(const RunReport& report);

// What to append to the drill log whose content is `existing` (nullopt: no
// file yet): the title for a new or empty file, a blank line, the section.
std::string drill_log_append(const RunReport& report, const std::optional<std::string>& existing);

// `existing` with this drill's section (the last one carrying its heading)
// replaced by a fresh rendering — stage 12 adds the alert result and the final
// verdict this way. nullopt when the section is not there.
std::optional<std::string> replace_drill_section(const std::string& existing,
                                                 const RunReport& report);

} // namespace smo
