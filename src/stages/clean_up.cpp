#include "smo/errors.hpp"
#include "smo/ports/remote_shell.hpp"
#include "smo/remote/lock.hpp"
#include "smo/remote/staging.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"
#include "switch_support.hpp"

#include <exception>

// After stage 10 or a failure. Runs through the shell directly rather than
// run_remote: after Ctrl-C the lock must still be released.
namespace smo {
namespace {

// A link lost earlier in the run (or now) gets one new session, so that the
// lock is released and the staging area removed after a dropped connection.
CommandResult run_reconnecting(Context& context, const std::string& command,
                               std::chrono::seconds timeout) {
    try {
        return context.ports.shell.run(command, timeout);
    } catch (const TransportError&) {
        if (!stages::reconnect(context, 2, std::chrono::seconds(1))) {
            throw;
        }
        return context.ports.shell.run(command, timeout);
    }
}

void attempt(Context& context, const std::string& what, const std::string& command, bool& done) {
    try {
        const auto timeout = stages::quick_timeout(context);
        context.ports.reporter.info("$ " + command);
        const CommandResult result = run_reconnecting(context, command, timeout);
        if (result.succeeded()) {
            done = true;
            return;
        }
        stages::warn(context,
                     "clean-up: could not " + what + ": " + stages::why_failed(result, timeout));
    } catch (const std::exception& error) {
        stages::warn(context, "clean-up: could not " + what + ": " + error.what());
    }
}

// After a complete switch, the oldest asides go so that keep_releases stay
// (this run's among them); after a half switch nothing is removed: the
// operator may need every file to put things back.
void rotate_asides(Context& context) {
    if (!context.state.reloaded) {
        return;
    }
    try {
        bool rotated = false;
        attempt(context, "rotate the asides in " + context.state.paths.asides,
                remote::rotate_asides(context.state.paths, context.env().rollback.keep_releases),
                rotated);
    } catch (const std::exception& error) {
        stages::warn(context, std::string("clean-up: ") + error.what());
    }
}

// The journal is closed once the run's verdict holds for good: the switch
// completed (success, or SEV1 at health), or nothing was changed. Otherwise
// it stays open and the next run finishes this rollback.
void close_journal(Context& context) {
    auto& state = context.state;
    if (!state.journal_open || state.switch_in_flight) {
        return;
    }
    const bool settled = state.reloaded || state.journal.result == "ok" ||
                         (!state.journal.changed_anything() && !state.migrations_rolled_back);
    const std::string journal = remote::journal_path(state.paths);
    if (!settled) {
        stages::warn(context,
                     "switch journal " + journal +
                         " left open (steps done: " + stages::steps_done(state.journal) +
                         "): the next run finishes this rollback to " +
                         stages::release_name(context.report.to_tag, context.report.to_commit));
        return;
    }
    try {
        bool closed = false;
        attempt(context, "close the switch journal " + journal,
                remote::append_journal(state.paths, std::string("closed=") +
                                                        outcome_name(context.report.exit_code) +
                                                        " " + context.report.started_at_utc),
                closed);
        state.journal_open = !closed;
    } catch (const std::exception& error) {
        stages::warn(context, std::string("clean-up: ") + error.what());
    }
}

} // namespace

StagePlan plan_clean_up(const Context& context) {
    const auto& paths = context.state.paths;
    StagePlan plan;
    if (context.env().rollback.strategy == Strategy::staged) {
        plan.commands.push_back(remote::remove_staging(paths));
    }
    plan.commands.push_back("# after a complete switch, the oldest asides beyond "
                            "rollback.keep_releases go:");
    plan.commands.push_back(remote::rotate_asides(paths, context.env().rollback.keep_releases));
    plan.commands.push_back(remote::append_journal(paths, "closed=success <now>"));
    plan.commands.push_back(remote::lock_release(paths, stages::planned_lock_owner()));
    return plan;
}

void clean_up_target(Context& context) {
    auto& state = context.state;
    if (!state.connected) {
        return;
    }
    try {
        // Stage 8 stopped between the checkout and the reload: the staged
        // files may be all that is left of a working release.
        // So may a detached switch still running, or an unfinished journal's
        // next run (it resumes with this staged release).
        const bool needed = (state.live_changed && !state.reloaded) || state.switch_in_flight ||
                            (state.journal_open && !state.reloaded &&
                             state.journal.result != "ok" && state.journal.changed_anything());
        // A warm standby nothing has taken from stays for the next run
        // (docs/prepare.md).
        const bool standby = (state.standby_kept || state.standby_reused) && !state.live_changed &&
                             !state.switch_launched;
        if (state.staged && standby) {
            context.ports.reporter.info("prepared standby kept at " + state.paths.staging);
        } else if (state.staged && needed) {
            stages::warn(context, "staging worktree kept at " + state.paths.staging +
                                      ": the switch stopped half-way; the from-release's "
                                      "files are in " +
                                      state.paths.aside);
        } else if (state.staged) {
            bool removed = false;
            attempt(context, "remove the staging worktree " + state.paths.staging,
                    remote::remove_staging(state.paths), removed);
            state.staged = !removed;
        }
    } catch (const std::exception& error) {
        stages::warn(context, std::string("clean-up: ") + error.what());
    }
    rotate_asides(context);
    close_journal(context);
    if (state.switch_in_flight) {
        // The detached switch still runs and refreshes the lock's heartbeat:
        // the next run (this host: at once, the holder being dead) takes it
        // over and follows or resumes the switch.
        stages::warn(context, "lock " + state.paths.lock +
                                  " kept: the detached switch is still running on the target");
        return;
    }
    try {
        if (state.lock_held) {
            bool released = false;
            attempt(context, "release the lock " + state.paths.lock,
                    remote::lock_release(state.paths, stages::lock_owner(context)), released);
            state.lock_held = !released;
        }
    } catch (const std::exception& error) {
        stages::warn(context, std::string("clean-up: ") + error.what());
    }
}

} // namespace smo
