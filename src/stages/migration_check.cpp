// migration-check: undoes the migrations added since the to-tag, per the gate
//   of stage 2: nothing, commands.db_rollback in the LIVE tree (still the
//   from-release, so it still has the down files), or the operator by hand.
// Reads: state.migration_plan, added_migrations, paths; commands.db_rollback.
// Writes: state.migrations_rolled_back; the switch journal on the target
//   (auto: the down migration is the first step of the detached switch that
//   stage 8 then follows; manual: journaled before the question).
// Drill: changes nothing: says what it would do and, for `npm run X`, checks
//   that the live package.json has the script X.
#include "smo/errors.hpp"
#include "smo/migrations.hpp"
#include "smo/ports/operator_prompt.hpp"
#include "smo/remote_replies.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"
#include "switch_support.hpp"

#include <nlohmann/json.hpp>

namespace smo::stages {
namespace {

const char* const k_run_question = "Run manual migration rollback? (y/n)";
const char* const k_done_question = "Confirm the manual SQL rollback is done (y/n)";
const char* const k_none_added = "no migrations between tags";

std::string describe_files(const Context& context) {
    return describe_migrations(context.state.added_migrations);
}

StageOutcome drill_check_script(Context& context) {
    const std::string& command = context.env().rollback.commands.db_rollback;
    const std::string would = "would run `" + command + "` in " + context.state.paths.live +
                              " for " + describe_files(context);
    const std::string script = remote::npm_script_name(command);
    if (script.empty()) {
        return StageOutcome::ok(would + " (not an npm script: not checked)");
    }
    const auto timeout = quick_timeout(context);
    const CommandResult read =
        run_remote(context, remote::read_live_file(context.state.paths, "package.json"), timeout);
    if (!read.succeeded()) {
        return StageOutcome::drill_fail("cannot read the live package.json: " +
                                        why_failed(read, timeout));
    }
    const auto package = nlohmann::json::parse(read.out, nullptr, false);
    const bool found = !package.is_discarded() && package.is_object() &&
                       package.contains("scripts") && package["scripts"].is_object() &&
                       package["scripts"].contains(script);
    if (!found) {
        return StageOutcome::drill_fail("the live package.json has no \"" + script +
                                        "\" script: `" + command + "` would fail");
    }
    return StageOutcome::ok(would + "; script \"" + script + "\" exists");
}

// Ctrl-C while the question waits is an interruption (exit 130), never a "no".
std::optional<bool> ask(Context& context, const std::string& question) {
    context.ports.reporter.prompt(question);
    const auto answer = context.ports.prompt.ask_yes_no(question);
    if (context.interrupted()) {
        throw Interrupted();
    }
    return answer;
}

// What the operator needs at the prompt: which down files, and where they are
// (the live tree still holds the from-release, so its down files are there).
std::string manual_question(const Context& context) {
    std::string text = "The database must go back by hand before the switch. The migrations "
                       "added since " +
                       context.report.to_tag + ", whose down steps to run:\n";
    for (const auto& file : context.state.added_migrations) {
        text += "  " + file + "\n";
    }
    text += "They are in the live tree " + context.state.paths.live + " on " + context.target.user +
            "@" + context.target.address + " (still " +
            release_name(context.report.from_tag, context.report.from_commit) +
            "); run their down SQL against the production database, newest first.\n";
    return text + k_run_question;
}

StageOutcome manual(Context& context) {
    const std::string files = describe_files(context);
    if (context.drill()) {
        return StageOutcome::ok("would ask the operator to roll back " + files + " by hand");
    }
    if (context.options.auto_mode || !context.ports.prompt.can_ask()) {
        return StageOutcome::halt(files + " need a manual rollback and there is nobody to ask (" +
                                  (context.options.auto_mode ? "--auto" : "no terminal") + ")");
    }
    // The journal exists before the operator changes the database.
    if (auto stop = ensure_journal(context)) {
        return *stop;
    }
    context.state.switch_begun = true;
    const auto run = ask(context, manual_question(context));
    if (!run || !*run) {
        return StageOutcome::halt("the operator declined the manual migration rollback of " +
                                  files + "; live app unchanged");
    }
    const auto done = ask(context, k_done_question);
    if (!done || !*done) {
        return StageOutcome::halt("the manual SQL rollback of " + files +
                                  " was not confirmed; live code unchanged");
    }
    context.state.migrations_rolled_back = true;
    if (auto stop = note_in_journal(context, "db_rollback")) {
        return *stop;
    }
    return StageOutcome::ok("operator confirmed the manual rollback of " + files);
}

// The switch stopped, or could not be followed, before the down migration
// was journaled done.
StageOutcome not_undone(Context& context, const Followed& followed) {
    const auto& journal = context.state.journal;
    const std::string& command = context.env().rollback.commands.db_rollback;
    const std::string from = release_name(context.report.from_tag, context.report.from_commit);
    if (journal.failed_step == "head-moved" || journal.failed_step == "head") {
        return StageOutcome::halt("the live HEAD is no longer " + from +
                                  ": a deploy outside this tool moved it; nothing changed");
    }
    if (journal.failed_step == "db_rollback") {
        const std::string log = switch_log_tail(context);
        context.report.target_state =
            "live app still on " + from + "; the down migration failed part-way or not at all";
        return StageOutcome::fail("down migration failed: `" + command + "` exit " +
                                  std::to_string(journal.failed_status) +
                                  (log.empty() ? "" : ": " + log) + "; live app still on " + from);
    }
    context.report.target_state = "live app still on " + from + "; the detached switch " +
                                  (followed.runner_alive ? "is still running the down migration"
                                                         : "stopped during the down migration") +
                                  " (journal " + remote::journal_path(context.state.paths) + ")";
    return StageOutcome::fail(std::string(followed.lost ? "lost the link to the target"
                                          : followed.timed_out
                                              ? "the down migration did not end in time"
                                              : "the switch process ended without a result") +
                              " during the down migration; re-run to finish this rollback");
}

StageOutcome automatic(Context& context) {
    if (context.drill()) {
        return drill_check_script(context);
    }
    // The down migration is the detached switch's first step: from here on
    // the switch goes on without this process or its SSH session, and the
    // journal says how far it got.
    auto& state = context.state;
    if (!state.switch_in_flight) {
        if (auto stop = launch_switch(context, true)) {
            return *stop;
        }
    }
    state.switch_launched = true;
    const std::string& command = context.env().rollback.commands.db_rollback;
    const Followed followed = follow_switch(
        context, [](const journal::Journal& j) { return j.has_done("db_rollback"); },
        long_timeout(context) + std::chrono::seconds(30));
    const auto& journal = state.journal;
    if (journal.has_done("db_rollback")) {
        state.migrations_rolled_back = true;
        return StageOutcome::ok("`" + command + "` undid " + describe_files(context) +
                                " (detached switch, journal " + remote::journal_path(state.paths) +
                                ")");
    }
    return not_undone(context, followed);
}

class MigrationCheckStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        if (!context.drill() && context.state.journal_open &&
            context.state.journal.has_done("db_rollback")) {
            context.state.migrations_rolled_back = true;
            return StageOutcome::skipped("already done by the interrupted run (journal)");
        }
        switch (context.state.migration_plan) {
        case MigrationPlan::none_added:
            return StageOutcome::skipped(k_none_added);
        case MigrationPlan::irreversible:
            return finding(context, StageOutcome::halt("This migration is irreversible. Proceed "
                                                       "with forward-fix instead? (" +
                                                       describe_files(context) + ")"));
        case MigrationPlan::ask_manual:
            return manual(context);
        case MigrationPlan::run_auto:
            return automatic(context);
        }
        return StageOutcome::fail("unknown migration plan");
    }

    StagePlan plan(const Context& context) const override {
        switch (context.state.migration_plan) {
        case MigrationPlan::none_added:
            return {std::string(k_none_added) + ": nothing runs", {}};
        case MigrationPlan::irreversible:
            return {"irreversible migration: the rollback halts at preflight", {}};
        case MigrationPlan::ask_manual:
            return {"manual: the operator rolls the SQL back by hand",
                    {"# asks: " + std::string(k_run_question),
                     "# then: " + std::string(k_done_question)}};
        case MigrationPlan::run_auto:
            return {"the first step of the detached switch below: `" +
                        context.env().rollback.commands.db_rollback + "` in " +
                        context.state.paths.live,
                    {}};
        }
        return {};
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_migration_check_stage() {
    return std::make_unique<stages::MigrationCheckStage>();
}
