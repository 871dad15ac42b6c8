#pragma once

#include <string>

namespace smo {

// The person at this machine, for the log's "triggered by" and the lock's
// owner alike: under sudo the user who ran sudo (SUDO_USER), not root; else
// the login name of the real user id; else $USER, $LOGNAME; else "unknown".
std::string operator_name();

} // namespace smo
