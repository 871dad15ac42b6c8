#pragma once

#include <chrono>
#include <string>

namespace smo {

// "2026-04-19T03:12:09.482Z": an instant in UTC to the millisecond (JSON
// events' `ts`; -v shows its time of day).
std::string utc_iso_millis(std::chrono::system_clock::time_point when);

// `when` in UTC through strftime's `format` (at most 63 characters of output):
// "%Y-%m-%dT%H:%M:%SZ" for records, "%Y-%m-%d" for their dates, "%Y%m%dT%H%M%SZ"
// for the names of aside directories.
std::string utc_format(std::chrono::system_clock::time_point when, const char* format);

// "2026-04-19T03:12:09Z".
inline std::string utc_iso(std::chrono::system_clock::time_point when) {
    return utc_format(when, "%Y-%m-%dT%H:%M:%SZ");
}

} // namespace smo
