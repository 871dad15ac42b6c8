#pragma once

#include "smo/context.hpp"
#include "smo/journal.hpp"
#include "smo/remote/switch.hpp"
#include "smo/stage.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

// Stages 7 and 8 share the detached switch (docs/safety.md): starting it,
// following its journal by polling through lost links, and reading the
// journal's verdict.
namespace smo::stages {

// The journal header of this run: from/to, strategy, staging/aside, items,
// holder. Items: node_modules and the build outputs (staged only).
journal::Header journal_header(const Context& context);

// The switch for this run; `with_db` adds commands.db_rollback first.
remote::SwitchPlan switch_plan(const Context& context, bool with_db);

// Writes the journal now when this run has none open (manual migrations:
// before the operator changes the database). Fails when it cannot.
std::optional<StageOutcome> ensure_journal(Context& context);

// Adds a line to the open journal and to state.journal.
std::optional<StageOutcome> note_in_journal(Context& context, const std::string& step);

// Starts the detached switch (opening the journal first when needed).
std::optional<StageOutcome> launch_switch(Context& context, bool with_db);

struct Followed {
    bool lost = false;      // the link is gone and could not be re-opened
    bool timed_out = false; // the limit passed with the switch still running
    bool runner_alive = false;
};

// Polls the journal (state.journal) until `until` holds or the switch ended,
// reconnecting (bounded) after a lost link. Never stops for Ctrl-C: the
// switch finishes and its result is reported.
Followed follow_switch(Context& context, const std::function<bool(const journal::Journal&)>& until,
                       std::chrono::seconds limit);

// "checkout, out:node_modules, in:node_modules" — the steps journaled done.
std::string steps_done(const journal::Journal& journal);

// The last lines of the switch log (why a step failed), or "".
std::string switch_log_tail(Context& context);

} // namespace smo::stages
