#pragma once

#include <optional>
#include <string>
#include <vector>

// The post-mortem the rollback record points to (docs/usage.md --incident).
namespace smo {

inline constexpr const char* k_incident_pending = "pending — run /smo-incident";

// `--incident FILE` when given (as given); else the newest
// `docs/incidents/<today>-*.md` among `incident_names` (file names in
// docs/incidents/, newest = last in name order); else k_incident_pending.
std::string choose_incident(const std::optional<std::string>& option, const std::string& today,
                            const std::vector<std::string>& incident_names);

} // namespace smo
