// reload: activates the to-release. Staged: check out the to-commit in the
//   live tree, swap in the staged node_modules and build outputs by rename
//   (the from-release's are kept aside), then commands.reload. In-place: the
//   literal runbook (checkout, install, build in the live tree, reload).
// Reads: state.paths, build_outputs, report.to_commit, commands, pm2_name.
// Writes: state.live_changed, reloaded; report.target_state.
// Drill: changes nothing: checks that the PM2 process exists and is online.
#include "smo/health.hpp"
#include "smo/remote_replies.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

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

// git checkout refuses before it writes when it would overwrite local
// changes; the HEAD says whether that is what happened.
StageOutcome checkout_failed(Context& context, const CommandResult& result,
                             std::chrono::seconds timeout) {
    const auto& paths = context.state.paths;
    const std::string what =
        "git checkout " + context.report.to_tag + " " + why_failed(result, timeout);
    const CommandResult head =
        run_remote(context, remote::live_head(paths), quick_timeout(context));
    const auto lines = remote::lines_of(head.out);
    if (head.succeeded() && !lines.empty() &&
        commit_matches(lines.front(), context.report.from_commit)) {
        context.state.live_changed = false;
        return failed(context, ExitCode::failed, what,
                      "live tree untouched, still " + from_name(context));
    }
    return failed(context, ExitCode::failed, what,
                  "live tree state unknown (HEAD " + (lines.empty() ? "?" : lines.front()) +
                      "), the app process still runs " + from_name(context) + "; check " +
                      paths.live + " by hand");
}

StageOutcome checkout(Context& context) {
    const auto timeout = long_timeout(context);
    context.state.live_changed = true;
    const CommandResult result = run_remote(
        context, remote::checkout_live(context.state.paths, context.report.to_commit), timeout);
    return result.succeeded() ? StageOutcome::ok() : checkout_failed(context, result, timeout);
}

std::string reload_text(const Context& context) {
    const auto& env = context.env();
    return remote::with_pm2_name(env.rollback.commands.reload, env.pm2_name);
}

StageOutcome reload_process(Context& context, const std::string& activated) {
    const auto& env = context.env();
    const std::string command = reload_text(context);
    const auto timeout = long_timeout(context);
    const CommandResult result =
        run_remote(context, remote::run_in(context.state.paths.live, command), timeout);
    if (!result.succeeded()) {
        return failed(context, ExitCode::failed, "`" + command + "` " + why_failed(result, timeout),
                      "live tree on " + to_name(context) + " but the reload failed: PM2 " +
                          env.pm2_name + " may still run " + from_name(context));
    }
    context.state.reloaded = true;
    context.report.target_state = to_name(context) + " reloaded under PM2 " + env.pm2_name;
    return StageOutcome::ok(activated + "; `" + command + "`");
}

// The switch as one script (remote::activate): its markers say how far it
// got, so the failure names the state the live tree is in.
StageOutcome staged(Context& context) {
    const auto& paths = context.state.paths;
    std::vector<std::string> items{"node_modules"};
    items.insert(items.end(), context.state.build_outputs.begin(),
                 context.state.build_outputs.end());
    const std::string reload = reload_text(context);
    const auto timeout = long_timeout(context);
    context.state.live_changed = true;
    const CommandResult result = run_remote(
        context, remote::activate(paths, context.report.to_commit, items, reload), timeout);
    const auto reached = [&](const char* marker) { return remote::has_marker(result.out, marker); };
    if (result.succeeded() && reached("smo:reloaded")) {
        context.state.reloaded = true;
        context.report.target_state =
            to_name(context) + " reloaded under PM2 " + context.env().pm2_name;
        std::string names;
        for (const auto& item : items) {
            names += (names.empty() ? "" : ", ") + item;
        }
        return StageOutcome::ok("checked out " + to_name(context) + ", swapped in " + names + " (" +
                                from_name(context) + "'s kept in " + paths.aside + "); `" + reload +
                                "`");
    }
    if (!reached("smo:aside-ready")) {
        context.state.live_changed = false;
        return failed(context, ExitCode::failed,
                      "could not prepare " + paths.aside + ": " + why_failed(result, timeout),
                      "live tree untouched, still " + from_name(context));
    }
    if (!reached("smo:checked-out")) {
        return checkout_failed(context, result, timeout);
    }
    if (!reached("smo:swapped")) {
        return failed(context, ExitCode::failed, "swap failed: " + why_failed(result, timeout),
                      "live tree checked out at " + to_name(context) +
                          " with the swap incomplete; the from-release's files are in " +
                          paths.aside + ", the staged ones in " + paths.staging +
                          "; the process still runs " + from_name(context));
    }
    return failed(context, ExitCode::failed, "`" + reload + "` " + why_failed(result, timeout),
                  "live tree on " + to_name(context) + " but the reload failed: PM2 " +
                      context.env().pm2_name + " may still run " + from_name(context));
}

// The literal runbook: the live tree is changed from the checkout on, so a
// failing install or build leaves no known-good release on disk (SEV1).
StageOutcome in_place(Context& context) {
    if (StageOutcome out = checkout(context); out.status != StageStatus::ok) {
        return out;
    }
    const auto& commands = context.env().rollback.commands;
    const auto timeout = long_timeout(context);
    for (const std::string* command : {&commands.install, &commands.build}) {
        if (command->empty()) {
            continue;
        }
        const CommandResult result =
            run_remote(context, remote::run_in(context.state.paths.live, *command), timeout);
        if (!result.succeeded()) {
            return failed(context, ExitCode::sev1,
                          "previous tag doesn't build in place: `" + *command + "` " +
                              why_failed(result, timeout),
                          "live tree checked out at " + to_name(context) +
                              " and not built; the process still runs " + from_name(context) +
                              " until it restarts");
        }
    }
    return reload_process(context, "checked out, installed and built " + to_name(context) +
                                       " in the live tree");
}

class ReloadStage : public Stage {
  public:
    std::string_view name() const override { return "reload"; }

    StageOutcome run(Context& context) override {
        if (context.drill()) {
            return drill(context);
        }
        if (context.env().rollback.strategy == Strategy::in_place) {
            return in_place(context);
        }
        return staged(context);
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_reload_stage() {
    return std::make_unique<stages::ReloadStage>();
}
