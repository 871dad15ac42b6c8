#pragma once

#include "config_node.hpp"
#include "smo/config.hpp"

#include <functional>
#include <vector>

// Internal to config.cpp: deploy.<env>.hosts (docs/configuration.md, "Fleets").
namespace smo::config_json {

using ParseEnvironment = std::function<EnvironmentConfig(const Node&)>;

// Each entry of `env`'s hosts array laid over the environment and read by
// `parse`. The environment's own keys are checked first, under its own path;
// an entry's keys are then named under deploy.<env>.hosts[i]. Throws
// ConfigError for an empty list, an entry without a valid unique `name`, or a
// rollback.migrations_host that names no entry.
std::vector<FleetHost> parse_hosts(const Node& env, const ParseEnvironment& parse);

} // namespace smo::config_json
