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
// `timeout … bash -c` in the live tree.
namespace smo::remote {

// <work_root>/journal and <work_root>/switch.log
std::string journal_path(const RemotePaths& paths);
std::string switch_log_path(const RemotePaths& paths);

// Touches the lock's heartbeat; prints "smo:journal", the journal, then
// "smo:journal-end"; then "smo:runner-alive" when the journal's runner still
// runs the switch script. Changes nothing else.
std::string read_journal(const RemotePaths& paths);

struct JournalReply {
    journal::Journal journal;
    bool runner_alive = false;
    bool answered = false; // the reply had both markers
};

JournalReply parse_journal_reply(const std::string& out);

// Writes `header_text` as the journal (a previous one kept as journal.prev),
// atomically; prints "smo:journal-open".
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
// journaled its pid, then prints "smo:runner <pid>".
std::string launch_switch(const RemotePaths& paths, const std::string& script,
                          const std::string& header_text);

} // namespace smo::remote
