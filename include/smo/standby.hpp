#pragma once

#include "smo/config.hpp"

#include <optional>
#include <string>
#include <vector>

// The warm standby (docs/prepare.md). `smo-rollback prepare` runs stages 1–6
// for real and keeps the staged release beside the live tree, with a manifest
// next to it (<staging>.prepared). A later rollback or drill to the same
// commit, from the same live release, with the same install/build settings
// and an untouched node_modules, reuses it and skips stages 4–6; anything
// else discards it and builds afresh.
namespace smo::standby {

struct Manifest {
    std::string to_tag;
    std::string to_commit;
    std::string from_commit;          // the live release it was prepared against
    std::string config_hash;          // see config_hash()
    std::string modules_hash;         // node_modules/.package-lock.json then, or "none"
    std::vector<std::string> outputs; // what stage 8 swaps in besides node_modules
    std::string built_at;             // UTC, ISO 8601
    std::string built_by;             // user@host
    bool valid = false;               // header and every required key present
};

// The manifest's lines, "modules=" excepted: the target adds it, hashing its
// own node_modules when the file is written.
std::string render(const Manifest& manifest);

// Never throws; an unreadable text gives valid == false.
Manifest parse(const std::string& text);

// What shapes the staged release besides its commit: strategy, the install
// and build commands, env files and kept paths.
std::string config_hash(const RollbackSettings& rollback);

// What the target said about the standby (remote::probe_standby).
struct Probe {
    bool answered = false;   // the reply had its markers
    bool manifest = false;   // a manifest file is there
    bool registered = false; // the staging path is a worktree of the live repository
    bool clean = false;      // no tracked file changed in it
    std::string head;        // its HEAD
    std::string modules_hash;
    Manifest parsed;
};

// What this run needs from a standby.
struct Wanted {
    std::string to_commit;
    std::string from_commit;
    std::string config_hash;
};

// nullopt when the standby can be used as it is; otherwise why not, in words
// for a warning ("prepared against another live release (a1b2c3d)").
std::optional<std::string> why_not_reusable(const Probe& probe, const Wanted& wanted);

} // namespace smo::standby
