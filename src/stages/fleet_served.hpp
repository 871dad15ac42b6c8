#pragma once

#include "smo/context.hpp"

#include <string>

namespace smo::stages {

// Stage 1 on a fleet (docs/stages.md): reads every host's health URL into
// state.host_readings and takes, as the served commit, the newest release
// any host serves (newest in the deploy history; a commit the records do not
// explain only when no host serves one they do). Returns the detail to add
// to stage 1's line.
std::string learn_fleet_served(Context& context);

} // namespace smo::stages
