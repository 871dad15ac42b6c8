#pragma once

#include "smo/config.hpp"
#include "smo/journal.hpp"
#include "smo/ssh_target.hpp"
#include "smo/standby.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

// `smo-rollback status` (docs/usage.md): what runs now. Read-only: one GET of
// the health URL and one SSH session running commands that change nothing.
namespace smo {

class RemoteShell;
class HttpClient;
class LocalGit;
class FileSystem;

struct LiveStatus {
    std::string project;
    std::string env;
    std::string target_label;
    std::string live_tag;      // a tag at the live HEAD (the records' first), may be empty
    std::string live_commit;   // `git rev-parse HEAD` in the live tree
    std::string served_commit; // what the health endpoint reports
    std::string health;        // describe_health(), e.g. "200 OK (commit matched)"
    bool healthy = false;      // 200, status ok when present, serving the live HEAD
    std::optional<bool> tree_clean;
    std::vector<std::string> changes;
    bool pm2_found = false;
    std::string pm2_status;
    long pm2_restarts = 0;
    std::optional<long long> pm2_uptime_seconds;
    bool locked = false;
    std::string lock_holder;
    std::string lock_since;
    long lock_age_seconds = -1;
    std::optional<nlohmann::json> last_rollback; // {from, to, date, outcome}
    std::string unreachable; // why the SSH session failed (exit 5), empty when it worked
    std::optional<standby::Manifest> prepared; // the newest warm standby (docs/prepare.md)
    std::optional<journal::Journal> journal;   // an unfinished rollback's (docs/safety.md)
};

// Never throws for an unreachable target: `unreachable` says why.
LiveStatus read_live_status(const ProjectConfig& config, const SshTarget& target,
                            RemoteShell& shell, HttpClient& http, LocalGit& git, FileSystem& files);

// The operator's view; ends with a newline.
std::string render_live_status(const LiveStatus& status);

// "Last rollback: v1.2.0 → v1.1.0 on <date> (<outcome>), <record>\n", or none.
std::string last_rollback_line(const std::optional<nlohmann::json>& last_rollback);

// One object: live_tag, live_commit, served_commit, healthy, tree_clean,
// pm2 {status, restarts, uptime_seconds}, lock, prepared, journal, last_rollback.
nlohmann::json live_status_json(const LiveStatus& status);

} // namespace smo
