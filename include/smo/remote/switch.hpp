#pragma once

#include "smo/config.hpp"
#include "smo/journal.hpp"
#include "smo/remote/paths.hpp"

#include <string>
#include <vector>

// The detached switch of stages 7–8 (docs/safety.md): a script written into
// the work area and started with setsid/nohup, output to a log there, so a
// dropped SSH session (OpenSSH gives the session's commands SIGPIPE) or a
// killed client cannot stop it half-way. It journals each step; the tool
// follows the journal by polling. Every path and commit goes through
// shell_quote; the operator's command texts run as written, each in
// `timeout … bash -c` in the live tree. The switch's other round trips live
// here too: the journal's (read, open, append), the one-shot activate of the
// staged strategy and its parts, and the rotation of the asides after it.
// Stages and tests use the k_ markers below, never their spelling.
namespace smo::remote {

// read_journal: k_journal, the journal, k_journal_end, then k_runner_alive
// when the runner still runs the switch script.
inline constexpr char k_journal[] = "smo:journal";
inline constexpr char k_journal_end[] = "smo:journal-end";
inline constexpr char k_runner_alive[] = "smo:runner-alive";

// open_journal prints k_journal_open; launch_switch k_runner and the pid (the
// prefix ends with its space), or k_launch_failed.
inline constexpr char k_journal_open[] = "smo:journal-open";
inline constexpr char k_runner[] = "smo:runner ";
inline constexpr char k_launch_failed[] = "smo:launch-failed";

// activate's steps, each printed once done.
inline constexpr char k_aside_ready[] = "smo:aside-ready";
inline constexpr char k_checked_out[] = "smo:checked-out";
inline constexpr char k_swapped[] = "smo:swapped";
inline constexpr char k_reloaded[] = "smo:reloaded";

// rotate_asides: k_rotated and the name per aside removed (the prefix ends
// with its space), then k_rotation_done.
inline constexpr char k_rotated[] = "smo:rotated ";
inline constexpr char k_rotation_done[] = "smo:rotation-done";

// <work_root>/journal and <work_root>/switch.log
std::string journal_path(const RemotePaths& paths);
std::string switch_log_path(const RemotePaths& paths);
std::string switch_script_path(const RemotePaths& paths);

// Touches the lock's heartbeat; prints k_journal, the journal, then
// k_journal_end; then k_runner_alive when the journal's runner still runs the
// switch script. Changes nothing else.
std::string read_journal(const RemotePaths& paths);

struct JournalReply {
    journal::Journal journal;
    bool runner_alive = false;
    bool answered = false; // the reply had both markers
};

JournalReply parse_journal_reply(const std::string& out);

// Writes `header_text` as the journal (a previous one kept as journal.prev),
// atomically; prints k_journal_open.
std::string open_journal(const RemotePaths& paths, const std::string& header_text);

// Adds one line to the journal, atomically (temp file + rename).
std::string append_journal(const RemotePaths& paths, const std::string& line);

struct SwitchPlan {
    std::string from_commit;
    std::string to_commit;
    Strategy strategy = Strategy::staged;
    bool db_rollback = false;       // run db_text first (stage 7, auto)
    std::string db_text;            // commands.db_rollback
    std::vector<std::string> items; // staged: node_modules and the build outputs
    std::string install_text;       // in-place only
    std::string build_text;         // in-place only
    std::string reload_text;        // commands.reload, {pm2_name} substituted
    int step_timeout_seconds = 600; // each operator command
};

// The script: HEAD re-check (from, or to when the checkout is journaled;
// exit 39), then each step unless the journal says it is done: db_rollback
// (44), staged: aside (40), checkout (41), out:<item>/in:<item> renames (42);
// in-place: checkout, install (45), build (46); then reload (43), result=ok.
// Throws std::logic_error for an item that is not a plain relative path.
std::string switch_script(const RemotePaths& paths, const SwitchPlan& plan);

// Opens the journal when `header_text` is not empty, writes the script to
// <work_root>/switch.sh and starts it detached; waits (≤ 5 s) until it has
// journaled its pid, then prints k_runner <pid> (k_launch_failed when the
// journal or the script could not be written).
std::string launch_switch(const RemotePaths& paths, const std::string& script,
                          const std::string& header_text);

// The last lines of <work_root>/switch.log: why a failed step failed.
std::string switch_log_tail(const RemotePaths& paths);

// `git -C <live> checkout --detach <commit>`: refuses, changing nothing,
// rather than overwrite local changes.
std::string checkout_live(const RemotePaths& paths, const std::string& commit);

// ensure_work_area, ensure_private_dir(<asides>), `mkdir <aside>`: done
// before the switch so that the switch itself is renames only; fails when the
// aside exists, and never removes anything. Throws std::logic_error unless the aside path is
// strictly inside work_root.
std::string prepare_aside(const RemotePaths& paths);

// One script of renames: for each item, `mv -T <live>/X <aside>/X` (when it
// exists) then `mv -T <staging>/X <live>/X` (when staged). Prints k_swapped.
// Items are relative paths (validated by is_valid_swap_item).
std::string swap_in(const RemotePaths& paths, const std::vector<std::string>& items);

// Stage 8, staged strategy, as one script so that the live tree holds mixed
// releases for the shortest time: prepare_aside (k_aside_ready),
// checkout_live (k_checked_out), swap_in (k_swapped), then the reload text in
// the live tree in a subshell (k_reloaded). Stops at the first failure (exit
// 40..43).
std::string activate(const RemotePaths& paths, const std::string& to_commit,
                     const std::vector<std::string>& items, const std::string& reload_text);

// Removes the oldest asides (stamped names in <asides> only, never this run's
// own) so that `keep_releases` remain, this run's included. Prints
// k_rotated <name> per removal, then k_rotation_done.
std::string rotate_asides(const RemotePaths& paths, int keep_releases);

} // namespace smo::remote
