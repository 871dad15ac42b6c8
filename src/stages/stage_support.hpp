#pragma once

#include "smo/context.hpp"
#include "smo/health.hpp"
#include "smo/ports/remote_shell.hpp"
#include "smo/remote/lock.hpp"
#include "smo/remote_commands.hpp"
#include "smo/stage.hpp"
#include "smo/text.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

// What the stages of src/stages/ share: running a remote command, the run's
// lock owner, warnings, and the drill's reading of a finding.
namespace smo::stages {

// Settle and health-check poll the health URL at this pace while the app does
// not answer healthy, each GET bounded so that one hung request cannot eat the
// whole health timeout.
inline constexpr std::chrono::milliseconds k_health_poll_interval{1000};
// Once it answers healthy, the stable polls that prove it need not be a second
// apart; and settle, which ends at the first good answer, polls at this pace
// throughout (a refused connection costs nothing).
inline constexpr std::chrono::milliseconds k_health_quick_interval{250};
inline constexpr std::chrono::milliseconds k_health_request_timeout{5000};

// Short remote commands (git status, rev-parse, the lock): never longer than a
// minute, and never longer than the configured command timeout.
std::chrono::seconds quick_timeout(const Context& context);

// install, build, db_rollback, fetch: the configured command timeout.
std::chrono::seconds long_timeout(const Context& context);

// Stops with Interrupted when Ctrl-C was pressed (between commands, never in
// the middle of one), shows the command with --verbose, runs it. While this
// run holds the lock, a command allowed more than a minute refreshes the
// lock's heartbeat as it runs (remote::with_heartbeat).
CommandResult run_remote(Context& context, const std::string& command,
                         std::chrono::seconds timeout);

// After a lost link: up to `attempts` new sessions, `pause` apart. True when
// one is up; false (the last error warned) when none could be opened.
bool reconnect(Context& context, int attempts, std::chrono::milliseconds pause);

// True when `pid` is certainly not a live process on this machine: procfs is
// there and has no entry for it. Unknown (no procfs) counts as alive.
bool local_process_gone(Context& context, const std::string& pid);

// "exit 1: <last lines of stderr, else stdout>", "timed out after 600s", ...
std::string why_failed(const CommandResult& result, std::chrono::seconds timeout);

// Adds to report.warnings and shows it, redacted like any target text.
void warn(Context& context, const std::string& text);

// Tells the operator one poll of settle (9) or health-check (10) as it comes:
// the terminal's live line, a `poll` event with --json (docs/usage.md).
void report_poll(Context& context, int stage, int number, const HealthReading& reading,
                 const std::string& expected_commit);

// The owner this run writes into the lock on the target: the local user, the
// local host, this process, the run's start time.
remote::LockOwner lock_owner(const Context& context);

// One GET of the health URL for settle (9) and health-check (10), bounded by
// what is left until `deadline`: at least a poll interval, at most a request.
HealthReading poll_health(Context& context, std::chrono::steady_clock::time_point deadline);

// Stages 5 and 6 skip when the staged release needs nothing from them: kept
// from an interrupted run, a reused standby (`standby_note` says what it
// has), or the in-place strategy (`in_place_note`).
std::optional<StageOutcome> staged_work_skipped(const Context& context, const char* standby_note,
                                                const char* in_place_note);

// The owner --plan shows: placeholders, as the run's are known only then.
remote::LockOwner planned_lock_owner();

// "a, b, c", and ", and N more" past `limit` items: lists in stage details.
std::string joined(const std::vector<std::string>& items, std::size_t limit);

using text::short_commit;

using text::release_name;

// In a drill, a problem a stage finds is the drill's verdict by the rule of
// drill_exit_code() (smo/drill_rules.hpp). Outside a drill it is unchanged.
StageOutcome finding(const Context& context, StageOutcome outcome);

// Stage 1's and stage 2's work, callable again by stage 3 when the target
// turns out to run another commit than the records said (health endpoint
// unreachable at stage 1).
StageOutcome identify_release(Context& context);
StageOutcome check_release(Context& context);

// Stage 3, after the live HEAD is confirmed: when the live release answered
// healthy at stage 1 (200, status ok, serving the live HEAD), a yes is needed
// (--yes, or the operator at a terminal); --auto or no terminal halts (exit
// 3). nullopt: go on. Never asks in a drill.
std::optional<StageOutcome> confirm_healthy_rollback(Context& context);

// "v1.1.0 is healthy. Roll back to v1.0.0 anyway (undoes 002_add_email)? [y/N]"
std::string healthy_question(const Context& context);

} // namespace smo::stages
