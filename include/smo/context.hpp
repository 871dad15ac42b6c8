#pragma once

#include "smo/config.hpp"
#include "smo/health.hpp"
#include "smo/journal.hpp"
#include "smo/migration_plan.hpp"
#include "smo/options.hpp"
#include "smo/records/history.hpp"
#include "smo/remote/paths.hpp"
#include "smo/run_report.hpp"
#include "smo/ssh_target.hpp"

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

// What the stages share: the ports they act through, the resolved config, and
// what each stage learned for the ones after it.
namespace smo {

class RemoteShell;
class HttpClient;
class Clock;
class FileSystem;
class LocalGit;
class OperatorPrompt;
class Reporter;

struct Ports {
    RemoteShell& shell;
    HttpClient& http;
    Clock& clock;
    FileSystem& files;
    LocalGit& git;
    OperatorPrompt& prompt;
    Reporter& reporter;
};

// Stage 1's reading of one fleet host's health URL.
struct HostReading {
    std::string name;
    std::string commit; // empty: no answer or no commit
    bool healthy = false;
};

// What the run as a whole learns: the records, what the app served at stage
// 1, the release pair's migrations (stages 1–2), and whether stage 11 found
// this halt already recorded. On a fleet every host shares these.
struct RunFacts {
    History history;
    // Stage 1 on a fleet: every host's reading, in config order.
    std::vector<HostReading> host_readings;

    std::string served_commit;   // from the health endpoint at stage 1, may be empty
    bool served_healthy = false; // stage 1's GET: 200 and status ok (when present)
    std::string migrations_dir;  // configured or detected
    std::vector<std::string> added_migrations;
    MigrationPlan migration_plan = MigrationPlan::none_added;
    // Stage 1 found nothing to go back to from the older release the app
    // serves: unless stage 3 resumes an interrupted rollback, it stops with
    // this usage error (exit 2, nothing changed, no record).
    std::string stop_unless_resumed;
    HealthReading first_reading; // stage 1's GET, before anything changed
    bool repeated_halt = false;  // an earlier record holds this same lock-held halt
};

// What stages 3–10 learn about one target and do to it: its paths, session,
// lock, staged release, switch journal and last health reading. Each host of a
// fleet starts with its own, empty (src/fleet/host_run.cpp).
struct HostState {
    std::string live_commit; // `git rev-parse HEAD` in the live tree, stage 3
    RemotePaths paths;
    bool connected = false;
    bool lock_held = false;
    bool staged = false;                    // staging worktree exists
    bool reuse_node_modules = false;        // same dependency set: live node_modules reused
    bool prune_dev_dependencies = false;    // after the build, as the live tree had it
    std::vector<std::string> build_outputs; // ignored dirs the build made, e.g. "dist"
    bool migrations_rolled_back = false;
    bool switch_begun = false; // stage 7 began: the database or the live tree may change
    bool live_changed = false; // stage 8 started touching the live tree
    bool reloaded = false;
    // The switch journal on the target (docs/safety.md): as last read, whether
    // this run opened it (or resumes it), whether it finishes an interrupted
    // run's rollback, and whether a detached switch runs now.
    journal::Journal journal;
    bool journal_open = false;
    bool resuming = false;
    bool resumed_staging = false;  // stages 5–6 skipped: the interrupted run's build kept
    bool switch_launched = false;  // the detached switch was started (or found running)
    bool switch_in_flight = false; // ... and has not ended yet
    // The warm standby (docs/prepare.md): reused by stage 4 (stages 5–6
    // skipped), or kept by a prepare run; either way not removed unless the
    // switch used it.
    bool standby_reused = false;
    bool standby_kept = false;
    std::string health_summary;
    std::string last_served_commit; // health-check's last reading
    // Values of the live tree's env files, read once when target text is first
    // quoted (a failure or a warning): redacted from what the run reports.
    std::optional<std::vector<std::string>> secret_values;
    HealthReading last_reading; // the newest poll of stages 9–10
    bool lock_fresh = false;    // the lock that halted stage 3 is within its stale limit
};

// A single-host run has one of each; stages read both through context.state.
struct RunState : RunFacts, HostState {};

struct Context {
    const Options& options;
    const ProjectConfig& config;
    SshTarget target;
    Ports ports;
    std::chrono::steady_clock::time_point started; // the SLA clock: process start
    const std::atomic<bool>* interrupt_flag = nullptr;

    RunReport report;
    RunState state;

    bool drill() const { return options.dry_run; }
    bool preparing() const { return report.kind == RunKind::prepare; }
    const EnvironmentConfig& env() const { return config.env; }
    bool interrupted() const { return interrupt_flag != nullptr && interrupt_flag->load(); }
};

} // namespace smo
