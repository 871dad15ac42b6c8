#pragma once

#include "smo/remote_commands.hpp"

#include <optional>
#include <string>
#include <vector>

// Readers shared by every remote module's parser (smo/remote/*.hpp). Pure functions:
// the stages judge the values, tests feed them captured output.
namespace smo::remote {

// Every marker line of a reply starts with k_marker_prefix (the k_ markers of
// smo/remote/*.hpp); a section of a reply ends at the next such line.
inline constexpr char k_marker_prefix[] = "smo:";

// `text` as a whole number, else `fallback` (empty, not a number, text after it).
long to_long(const std::string& text, long fallback);

// Non-empty lines of `text`, trailing '\r' and spaces trimmed.
std::vector<std::string> lines_of(const std::string& text);

// Every line of `text` as written: file contents keep their empty lines and
// spaces.
std::vector<std::string> raw_lines(const std::string& text);

// The last `count` non-empty lines of `text` joined by " | ": enough of a
// failed command's stderr to say why, without flooding the summary.
std::string tail_of(const std::string& text, std::size_t count = 3);

// Is `marker` (e.g. "smo:built") one of the lines of `out`?
bool has_marker(const std::string& out, const std::string& marker);

// The text between a line `begin` and the next `end` marker, trailing line
// breaks dropped; nullopt unless both are there, in that order.
std::optional<std::string> text_between(const std::string& out, const std::string& begin,
                                        const std::string& end);

// The lines of `out` after the line `marker` and before the next marker line.
std::vector<std::string> lines_after(const std::string& out, const std::string& marker);

// Does npm's (or git's) output say the network or the registry failed
// (ENOTFOUND, EAI_AGAIN, ECONNRESET, ETIMEDOUT, HTTP 5xx/429 from the registry,
// "Could not resolve host"...)? Such a failure says nothing about the release.
bool is_network_failure(const std::string& output);

struct Pm2Process {
    bool listed = false; // `pm2 jlist` printed a JSON array
    bool found = false;  // a process of that name was in it
    std::string status;  // pm2_env.status, e.g. "online"
    long pid = 0;
    long restarts = 0;
    long long started_ms = 0; // pm2_env.pm_uptime: when it last (re)started, epoch ms
    std::string error;        // why the output could not be read
};

// Reads `pm2 jlist`, skipping leading lines that are not JSON (a freshly
// started daemon prints some).
Pm2Process find_pm2_process(const std::string& jlist_out, const std::string& name);

} // namespace smo::remote
