#pragma once

#include "smo/run_report.hpp"

#include <optional>
#include <string>
#include <vector>

// With --auto, the record of the deploy that failed gets a `## Rolled back`
// section linking the rollback record (docs/records.md), so that whoever reads the
// deploy record learns at once that it is no longer live.
namespace smo {

// The newest deploy record of `from_tag` among `names` (file names in
// docs/deploys/): `YYYY-MM-DD-{from_tag}.md`, latest date wins. Rollback
// records are never chosen.
std::optional<std::string> find_failed_deploy_record(const std::vector<std::string>& names,
                                                     const std::string& from_tag);

// What to append to the deploy record whose text is `existing` so that it
// links `rollback_record_name` (a file in the same directory); nullopt when it
// already does. A record that already has the heading (an earlier rollback)
// gets one more line under it instead of a second heading.
std::optional<std::string> failed_deploy_note(const std::string& existing,
                                              const std::string& rollback_record_name,
                                              const RunReport& report);

} // namespace smo
