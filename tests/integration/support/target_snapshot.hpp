#pragma once

#include "support/sandbox.hpp"

#include <ostream>
#include <string>

// Everything a drill or a halted rollback must leave exactly as it was: the
// live HEAD, every file of the live tree (tracked, untracked and ignored, by
// hash), what the app serves, the PM2 process (pid, restarts), the database
// schema and migration batches, the git worktrees, the work area beside the
// live tree and the lock.
namespace smo::integration {

struct TargetSnapshot {
    std::string text; // one "key: value" section per thing, for a readable diff

    static TargetSnapshot take(const Sandbox& sandbox);

    bool operator==(const TargetSnapshot& other) const { return text == other.text; }

    // The sections of the live app only (HEAD, status, files, links, schema,
    // pm2, served): what "live untouched" means when the work area beside it
    // may keep a staging worktree from an interrupted run.
    std::string live_part() const;
};

inline std::ostream& operator<<(std::ostream& out, const TargetSnapshot& snapshot) {
    return out << "\n" << snapshot.text;
}

} // namespace smo::integration
