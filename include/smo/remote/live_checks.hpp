#pragma once

#include "smo/remote/paths.hpp"

#include <string>
#include <vector>

// Stage 3's look at the live tree after the lock, in one round trip:
// live_checks (the tools, a clean tree, the HEAD) and the parser of its
// reply; live_status and live_head on their own. status_probe prints the same
// k_status/k_head sections. Stages and tests use the k_ markers, never their
// spelling.
namespace smo::remote {

// k_missing prefixes a tool the target lacks (the prefix ends with its space).
inline constexpr char k_missing[] = "smo:missing ";
// k_status, then live_status's output, or k_status_failed (and the exit code).
inline constexpr char k_status[] = "smo:status";
inline constexpr char k_status_failed[] = "smo:status-failed";
// k_head, then live_head's output, or k_head_failed (and the exit code).
inline constexpr char k_head[] = "smo:head";
inline constexpr char k_head_failed[] = "smo:head-failed";

// `git -C <live> status --porcelain --untracked-files=no`
std::string live_status(const RemotePaths& paths);

// `git -C <live> rev-parse HEAD`
std::string live_head(const RemotePaths& paths);

// Stage 3 after the lock: k_missing <tool> per missing tool (git, node, npm,
// pm2), then k_status and live_status's output (or "k_status_failed N"), then
// k_head and live_head's output (or "k_head_failed N").
std::string live_checks(const RemotePaths& paths);

struct LiveChecks {
    std::vector<std::string> missing_tools;
    bool status_ok = false;
    std::vector<std::string> changes; // porcelain lines
    bool head_ok = false;
    std::string head;
};

LiveChecks parse_live_checks(const std::string& out);

} // namespace smo::remote
