#pragma once

#include <chrono>
#include <string>

namespace smo {

// "2026-04-19T03:12:09.482Z": an instant in UTC to the millisecond (JSON
// events' `ts`; -v shows its time of day).
std::string utc_iso_millis(std::chrono::system_clock::time_point when);

} // namespace smo
