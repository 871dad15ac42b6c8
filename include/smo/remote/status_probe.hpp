#pragma once

#include "smo/remote/lock.hpp"
#include "smo/remote/paths.hpp"
#include "smo/remote_replies.hpp"

#include <string>
#include <vector>

// `smo-rollback status`'s one round trip: status_probe and the parser of its
// reply. It prints live_checks' k_head/k_head_failed and k_status/
// k_status_failed sections (smo/remote/live_checks.hpp), then the k_ markers
// below. Callers and tests use the k_ markers, never their spelling.
namespace smo::remote {

// k_lock, then lock_acquire's age and owner lines when the lock is held.
inline constexpr char k_lock[] = "smo:lock";
// k_now_ms, then the target's clock in ms.
inline constexpr char k_now_ms[] = "smo:now-ms";
// k_pm2, then `pm2 jlist`'s output: the last section.
inline constexpr char k_pm2[] = "smo:pm2";

// `status`: the live HEAD, a clean-tree check, the lock's owner and age, the
// target's clock in ms, then `pm2 jlist` — all read-only, one round trip.
std::string status_probe(const RemotePaths& paths);

// What status_probe printed.
struct StatusProbe {
    std::string head;       // empty when rev-parse failed
    bool status_ok = false; // git status ran
    std::vector<std::string> changes;
    bool locked = false;
    LockReply lock;       // holder and age when locked
    long long now_ms = 0; // the target's clock
    Pm2Process pm2;
};

StatusProbe parse_status_probe(const std::string& out, const std::string& pm2_name);

} // namespace smo::remote
