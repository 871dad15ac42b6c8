// reload: activates the to-release by a switch detached from the SSH session
//   and journaled step by step (docs/safety.md). Staged: check out the
//   to-commit in the live tree, swap in the staged node_modules and build
//   outputs by rename (the from-release's kept aside), then commands.reload.
//   In-place: checkout, install, build in the live tree, reload.
// Reads: state.paths, build_outputs, journal, report.to_commit, commands.
// Writes: state.live_changed, reloaded, journal; report.target_state.
// Drill: changes nothing: checks that the PM2 process exists and is online.
#include "smo/health.hpp"
#include "smo/remote/live_checks.hpp"
#include "smo/remote_replies.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"
#include "switch_support.hpp"

namespace smo::stages {
namespace {

std::string from_name(const Context& context) {
    return release_name(context.report.from_tag, context.report.from_commit);
}

std::string to_name(const Context& context) {
    return release_name(context.report.to_tag, context.report.to_commit);
}

// Said with every failure after stage 7 undid migrations.
std::string database_note(const Context& context) {
    return context.state.migrations_rolled_back
               ? "; the database was already rolled back at stage 7"
               : "";
}

StageOutcome failed(Context& context, ExitCode code, const std::string& what,
                    const std::string& state) {
    context.report.target_state = state + database_note(context);
    return {StageStatus::failed, what + "; " + context.report.target_state, code};
}

std::string reload_text(const Context& context) {
    const auto& env = context.env();
    return remote::with_pm2_name(env.rollback.commands.reload, env.pm2_name);
}

// The whole switch may take a reload (staged), or an install and a build too
// (in-place), each bounded on the target by the command timeout.
std::chrono::seconds switch_limit(const Context& context) {
    const int steps = context.env().rollback.strategy == Strategy::in_place ? 4 : 2;
    return long_timeout(context) * steps + std::chrono::seconds(60);
}

StageOutcome drill(Context& context) {
    const std::string& pm2_name = context.env().pm2_name;
    const auto timeout = quick_timeout(context);
    const CommandResult listed = run_remote(context, remote::pm2_jlist(), timeout);
    if (!listed.succeeded()) {
        return StageOutcome::drill_fail("pm2 jlist failed: " + why_failed(listed, timeout));
    }
    const remote::Pm2Process process = remote::find_pm2_process(listed.out, pm2_name);
    if (!process.listed) {
        return StageOutcome::drill_fail(process.error);
    }
    if (!process.found) {
        return StageOutcome::drill_fail("no PM2 process named " + pm2_name + " on the target");
    }
    if (process.status != "online") {
        return StageOutcome::drill_fail(
            "PM2 process " + pm2_name + " is " +
            (process.status.empty() ? "in an unknown state" : process.status) + ", not online");
    }
    return StageOutcome::ok("PM2 process " + pm2_name + " online (pid " +
                            std::to_string(process.pid) + ", " + std::to_string(process.restarts) +
                            " restarts); nothing changed");
}

// Items moved out of the live tree and not yet replaced.
std::vector<std::string> half_swapped(const journal::Journal& journal) {
    std::vector<std::string> items;
    for (const auto& step : journal.done) {
        if (step.starts_with("out:") && !journal.has_done("in:" + step.substr(4))) {
            items.push_back(step.substr(4));
        }
    }
    return items;
}

StageOutcome switched(Context& context) {
    auto& state = context.state;
    state.reloaded = true;
    const std::string reload = reload_text(context);
    context.report.target_state =
        to_name(context) + " reloaded under PM2 " + context.env().pm2_name;
    if (context.env().rollback.strategy == Strategy::in_place) {
        return StageOutcome::ok("checked out, installed and built " + to_name(context) +
                                " in the live tree; `" + reload + "`");
    }
    const auto items = switch_plan(context, false).items;
    return StageOutcome::ok("checked out " + to_name(context) + ", swapped in " +
                            text::join(items, ", ") + " (" + from_name(context) + "'s kept in " +
                            state.paths.aside + "); `" + reload + "`");
}

bool head_is(Context& context, const std::string& commit) {
    try {
        const CommandResult head =
            context.ports.shell.run(remote::live_head(context.state.paths), quick_timeout(context));
        const auto lines = remote::lines_of(head.out);
        return head.succeeded() && !lines.empty() && commit_matches(lines.front(), commit);
    } catch (const std::exception&) {
        return false;
    }
}

StageOutcome step_failed(Context& context, const journal::Journal& journal) {
    const auto& paths = context.state.paths;
    const std::string& step = journal.failed_step;
    const std::string log = switch_log_tail(context);
    const std::string why =
        "exit " + std::to_string(journal.failed_status) + (log.empty() ? "" : ": " + log);
    if (step == "head-moved" || step == "head") {
        context.state.live_changed = false;
        return failed(context, ExitCode::halted,
                      "at the switch the live HEAD is no longer " + from_name(context) +
                          ": a deploy outside this tool moved it; nothing switched",
                      "live tree untouched by this run; check " + paths.live + " by hand");
    }
    if (step == "aside" || (step == "checkout" && head_is(context, context.report.from_commit))) {
        // git checkout refuses before it writes when it would overwrite.
        context.state.live_changed = false;
        return failed(context, ExitCode::failed, step + " failed: " + why,
                      "live tree untouched, still " + from_name(context));
    }
    if (step == "install" || step == "build") {
        return failed(context, ExitCode::sev1,
                      "previous tag doesn't build in place: " + step + " " + why,
                      "live tree checked out at " + to_name(context) +
                          " and not built; the process still runs " + from_name(context) +
                          " until it restarts");
    }
    const auto out = half_swapped(journal);
    if (step.starts_with("out:") || step.starts_with("in:")) {
        // Something left the live tree: no complete release is live.
        return failed(
            context, out.empty() ? ExitCode::failed : ExitCode::sev1,
            "swap failed at " + step + ": " + why,
            "live tree checked out at " + to_name(context) +
                "; steps done: " + steps_done(journal) +
                (out.empty() ? std::string()
                             : "; moved aside and not replaced: " + text::join(out, ", ")) +
                "; the from-release's files are in " + paths.aside + ", the staged ones in " +
                paths.staging + "; the process still runs " + from_name(context));
    }
    return failed(context, ExitCode::failed, step + " failed: " + why,
                  "live tree on " + to_name(context) + " but the reload failed: PM2 " +
                      context.env().pm2_name + " may still run " + from_name(context));
}

// The switch did not end while followed: it goes on by itself, journaled.
StageOutcome unfinished(Context& context, const Followed& followed) {
    const auto& journal = context.state.journal;
    const std::string journal_at = remote::journal_path(context.state.paths);
    const std::string state = "switch to " + to_name(context) +
                              (followed.runner_alive ? " still running detached on the target"
                                                     : " stopped (its process is gone)") +
                              "; steps done: " + steps_done(journal) + "; journal " + journal_at;
    const std::string what = followed.lost ? "lost the link to the target during the switch"
                             : followed.timed_out
                                 ? "the switch was still running after " +
                                       std::to_string(switch_limit(context).count()) + "s"
                                 : "the switch process ended without a result";
    return failed(context, ExitCode::failed, what + "; re-run to finish this rollback", state);
}

// The switch runs detached on the target (remote::switch_script); the
// journal it keeps says how far it got, so every failure names the state.
StageOutcome switch_live(Context& context) {
    auto& state = context.state;
    state.live_changed = true;
    const bool completed = state.resuming && state.journal.result == "ok";
    if (!state.switch_launched && !completed) {
        if (auto stop = launch_switch(context, false)) {
            state.live_changed = false;
            return *stop;
        }
    }
    if (!completed) {
        const Followed followed = follow_switch(
            context, [](const journal::Journal&) { return false; }, switch_limit(context));
        if (followed.lost || followed.timed_out || state.journal.result.empty()) {
            return unfinished(context, followed);
        }
    }
    if (state.journal.result == "ok") {
        return switched(context);
    }
    return step_failed(context, state.journal);
}

class ReloadStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        if (context.drill()) {
            return drill(context);
        }
        return switch_live(context);
    }

    // Stage 7 starts the switch when it runs the down migration first; this
    // stage otherwise. Either way it is this script.
    StagePlan plan(const Context& context) const override {
        const auto& paths = context.state.paths;
        const bool with_db = context.state.migration_plan == MigrationPlan::run_auto;
        const bool staged = context.env().rollback.strategy == Strategy::staged;
        return {{},
                {"# written to " + remote::switch_script_path(paths) +
                     " and started detached (setsid nohup), journaled in " +
                     remote::journal_path(paths) +
                     (staged ? "; node_modules plus each build output found at stage 6:" : ":"),
                 remote::switch_script(paths, switch_plan(context, with_db))}};
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_reload_stage() {
    return std::make_unique<stages::ReloadStage>();
}
