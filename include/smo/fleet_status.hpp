#pragma once

#include "smo/fleet.hpp"
#include "smo/status.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

// `smo-rollback status` on a fleet (docs/usage.md, docs/configuration.md
// "Fleets"): every host read as `status` reads one host, at most
// rollback.parallel at a time.
namespace smo {

struct HostStatus {
    std::string name;
    LiveStatus status;
};

// One entry per config.hosts entry, in that order; `ports` in the same order.
// `git` and `files` are only read (shared by the hosts' threads).
std::vector<HostStatus> read_fleet_status(const ProjectConfig& config,
                                          const std::vector<FleetHostPorts>& ports, LocalGit& git,
                                          FileSystem& files);

// A header, one row per host, the last rollback once; ends with a newline.
std::string render_fleet_status(const ProjectConfig& config, const std::vector<HostStatus>& hosts);

// {"hosts": [{"name", ...one host's status object...}], "healthy": every host
// healthy, "last_rollback"}.
nlohmann::json fleet_status_json(const std::vector<HostStatus>& hosts);

// 0 when every host answered the SSH probe, else 5 (a host not reached).
int fleet_status_exit_code(const std::vector<HostStatus>& hosts);

} // namespace smo
