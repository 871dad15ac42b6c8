// preflight: checks, locally and changing nothing, that the rollback can be
//   done: the to-tag resolves, names are valid, and the migration gate.
// Reads: report.from_*/to_*, the config, the local repository (LocalGit).
// Writes: report.to_commit/from_commit (full), state.paths, migrations_dir,
//   added_migrations, migration_plan.
// Drill: the same checks; an irreversible migration fails the drill, a manual
//   one is only reported (the drill never prompts).
#include "smo/errors.hpp"
#include "smo/health.hpp"
#include "smo/migrations.hpp"
#include "smo/ports/clock.hpp"
#include "smo/ports/local_git.hpp"
#include "smo/ref_name.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

namespace smo::stages {
namespace {

const char* const k_irreversible_question =
    "This migration is irreversible. Proceed with forward-fix instead?";

StageOutcome usage_error(std::string detail) {
    return {StageStatus::failed, std::move(detail), ExitCode::usage};
}

std::string key(const Context& context, const std::string& name) {
    return context.config.config_file.string() + ": deploy." + context.env().name + "." + name;
}

std::optional<StageOutcome> check_names(const Context& context) {
    const auto& env = context.env();
    const auto& report = context.report;
    if (!is_valid_tag_name(report.to_tag)) {
        return usage_error("the tag to roll back to, \"" + report.to_tag +
                           "\", is not a valid tag name");
    }
    if (!report.from_tag.empty() && !is_valid_tag_name(report.from_tag)) {
        return usage_error("the current tag \"" + report.from_tag + "\" is not a valid tag name");
    }
    if (!is_valid_pm2_name(env.pm2_name)) {
        return usage_error(key(context, "pm2_name") + ": expected [A-Za-z0-9._-]+, got \"" +
                           env.pm2_name + "\"");
    }
    if (!is_valid_remote_path(env.path)) {
        return usage_error(key(context, "path") + ": expected an absolute path, got \"" + env.path +
                           "\"");
    }
    for (const auto& file : env.rollback.env_files) {
        if (!remote::is_valid_swap_item(file)) {
            return usage_error(key(context, "rollback.env_files") +
                               ": expected paths relative to the app, got \"" + file + "\"");
        }
    }
    return std::nullopt;
}

std::optional<StageOutcome> resolve_commits(Context& context) {
    LocalGit& git = context.ports.git;
    auto& report = context.report;
    const auto local = git.resolve_commit(report.to_tag);
    if (!local) {
        return usage_error("tag " + report.to_tag + " does not resolve in the local repository " +
                           context.config.project_dir.string() + " (git fetch --tags?)");
    }
    if (!report.to_commit.empty() && !commit_matches(*local, report.to_commit)) {
        return StageOutcome::halt("the records say " + report.to_tag + " is " +
                                  short_commit(report.to_commit) + " but the local tag is " +
                                  short_commit(*local) + ": fix the tag or the record first");
    }
    report.to_commit = *local;
    const std::string from_rev = !report.from_commit.empty() ? report.from_commit : report.from_tag;
    if (!from_rev.empty()) {
        if (const auto full = git.resolve_commit(from_rev)) {
            report.from_commit = *full;
        }
    }
    if (!report.from_commit.empty() && !is_valid_commit(report.from_commit)) {
        return usage_error("the current commit \"" + report.from_commit +
                           "\" from the records is not a commit id");
    }
    if (!report.from_commit.empty() && commit_matches(report.from_commit, report.to_commit)) {
        return usage_error(report.to_tag + " is commit " + short_commit(report.to_commit) +
                           ", which is what runs now: nothing to roll back");
    }
    // No roll-forward: its up-migrations would never run.
    if (!report.from_commit.empty() && git.is_ancestor(report.from_commit, report.to_commit)) {
        return usage_error(release_name(report.to_tag, report.to_commit) +
                           " is newer than the live " +
                           release_name(report.from_tag, report.from_commit) +
                           " (the live commit is an ancestor of it): going there is a deploy, "
                           "not a rollback; nothing was touched. Deploy it with /smo-deploy " +
                           report.to_tag);
    }
    return std::nullopt;
}

// The migration gate: files present at from and absent at to are the
// migrations the down step must undo.
StageOutcome migration_gate(Context& context) {
    auto& state = context.state;
    const auto& report = context.report;
    const auto& env = context.env();
    state.added_migrations.clear();
    state.migration_plan = MigrationPlan::none_added;
    if (report.from_commit.empty()) {
        return StageOutcome::ok("migration gate waits for the live HEAD (stage 3)");
    }
    state.migrations_dir = env.rollback.migrations_dir;
    if (state.migrations_dir.empty()) {
        state.migrations_dir = detect_migrations_dir([&](const char* dir) {
            return context.ports.git.path_exists(report.from_commit, dir);
        });
    }
    if (state.migrations_dir.empty()) {
        return StageOutcome::ok("no migrations directory at " + short_commit(report.from_commit));
    }
    try {
        state.added_migrations = context.ports.git.added_files(report.to_commit, report.from_commit,
                                                               state.migrations_dir);
    } catch (const Error& error) {
        return StageOutcome::fail(std::string("migration gate: ") + error.what());
    }
    const auto& added = state.added_migrations;
    if (added.empty()) {
        return StageOutcome::ok("no migrations added between the tags");
    }
    const std::string files = describe_migrations(added) + " added since " + report.to_tag;
    switch (env.migration_reversibility) {
    case Reversibility::none:
        state.migration_plan = MigrationPlan::irreversible;
        return finding(
            context, StageOutcome::halt(std::string(k_irreversible_question) + " (" + files + ")"));
    case Reversibility::manual:
        state.migration_plan = MigrationPlan::ask_manual;
        if (context.options.auto_mode && !context.drill()) {
            return StageOutcome::halt(files + ": manual migration rollback needs an operator, "
                                              "and --auto never prompts");
        }
        return StageOutcome::ok(files + "; manual rollback asked for at stage 7");
    case Reversibility::automatic:
        state.migration_plan = MigrationPlan::run_auto;
        return StageOutcome::ok(files + "; `" + env.rollback.commands.db_rollback +
                                "` runs at stage 7");
    }
    return StageOutcome::ok(files);
}

} // namespace

StageOutcome check_release(Context& context) {
    if (auto stop = check_names(context)) {
        return *stop;
    }
    if (auto stop = resolve_commits(context)) {
        return *stop;
    }
    const auto& report = context.report;
    context.state.paths =
        remote::paths_for_run(context.config, report.from_tag, report.from_commit, report.to_tag,
                              report.to_commit, aside_stamp(context.ports.clock.wall_now()));
    StageOutcome gate = migration_gate(context);
    if (gate.status == StageStatus::ok) {
        gate.detail = report.to_tag + " is " + short_commit(report.to_commit) + "; " + gate.detail;
    }
    return gate;
}

namespace {

class PreflightStage : public Stage {
  public:
    StageOutcome run(Context& context) override { return check_release(context); }

    StagePlan plan(const Context&) const override {
        return {"local git: tag → commit, migration diff", {}};
    }
};

} // namespace

} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_preflight_stage() {
    return std::make_unique<stages::PreflightStage>();
}
