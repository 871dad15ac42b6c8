#pragma once

#include <chrono>
#include <string>

// The target's paths of one run, apart from the run's state: what the remote
// scripts (smo/remote_*.hpp, smo/remote/*.hpp) need to know of the context.
namespace smo {

// Where things live on the target (all absolute, all derived from env.path).
struct RemotePaths {
    std::string live;      // the live checkout
    std::string work_root; // <parent>/.smo-rollback/<app>: outside the live tree
    std::string staging;   // <work_root>/staged-<to_tag>: the release built beside
    std::string asides;    // <work_root>/asides: one directory per switch, rotated
    std::string aside;     // <asides>/<stamp>-<from_tag>: the from-release's outputs
    std::string lock;      // <work_root>.lock: mkdir is the atomic lock
};

// `stamp` (UTC, "20261204T081500Z", see aside_stamp) names this run's aside
// so that no run reuses, and so empties, an earlier one; empty: "<from_tag>".
RemotePaths remote_paths_for(const std::string& live_path, const std::string& from_tag,
                             const std::string& to_tag, const std::string& stamp = {});

// "YYYYMMDDTHHMMSSZ" of `when` (UTC): the names sort in time order.
std::string aside_stamp(std::chrono::system_clock::time_point when);

} // namespace smo
