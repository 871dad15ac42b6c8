#pragma once

#include <chrono>
#include <string>
#include <string_view>

// The app's health endpoint (docs/usage.md): `200` with JSON like
// {"status":"ok","commit":"b2c5d82",...}. Read by stages 1, 9 and 10.
namespace smo {

class HttpClient;

struct HealthReading {
    bool answered = false; // an HTTP response arrived
    long http_status = 0;  // 0 when none
    std::string status;    // the body's "status", empty when absent
    std::string commit;    // the body's "commit", lower-cased, empty when absent
    std::string error;     // transport error when !answered
};

// One GET. Never throws: an unreachable endpoint is a reading too.
HealthReading read_health(HttpClient& http, const std::string& url,
                          std::chrono::milliseconds timeout);

// Reads a response body: JSON first; else `status` / `commit` found as
// "key": "value" or key=value in plain text.
HealthReading parse_health(long http_status, std::string_view body);

// Same commit, one given as a prefix of the other: both 7+ hex digits,
// case-insensitive.
bool commit_matches(std::string_view reported, std::string_view expected);

// 200, status "ok" when present, and the commit matching `expected_commit`.
bool is_healthy(const HealthReading& reading, std::string_view expected_commit);

// "200 OK (commit matched)", "200 OK (commit a1b2c3d, expected b2c5d82)",
// "503 (status \"degraded\")", "200 OK (no commit reported)", "no answer: …".
std::string describe_health(const HealthReading& reading, std::string_view expected_commit);

} // namespace smo
