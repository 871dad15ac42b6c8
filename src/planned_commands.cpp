#include "smo/remote/build.hpp"
#include "smo/remote/install.hpp"
#include "smo/remote/lock.hpp"
#include "smo/remote/standby.hpp"
#include "smo/remote_commands.hpp"
#include "smo/switch_script.hpp"

// --plan: the commands stages 3–8 and the clean-up would run, built by the
// same functions the stages call, so the plan cannot drift from the run.
namespace smo::remote {
namespace {

using Plan = std::vector<std::pair<int, std::string>>;

void add_staged(Plan& plan, const ProjectConfig& config, const RemotePaths& paths,
                const std::string& from_commit, const std::string& to_commit) {
    const auto& rollback = config.env.rollback;
    plan.emplace_back(4, probe_standby(paths));
    plan.emplace_back(4, "# a matching warm standby (smo-rollback prepare) is reused: stages 4-6 "
                         "skip; else a stale one or a crashed run's leftover is removed:");
    plan.emplace_back(4, remove_staging(paths));
    plan.emplace_back(4, stage_release(paths, to_commit, rollback.env_files));
    plan.emplace_back(5, package_probe(paths, from_commit, to_commit));
    plan.emplace_back(5, "# same dependency set and live node_modules with what the build needs:");
    plan.emplace_back(5, copy_node_modules(paths));
    plan.emplace_back(5, "# else, unless the release has no dependencies:");
    plan.emplace_back(5, run_in(paths.staging, rollback.commands.install));
    plan.emplace_back(6, build_and_list(paths, rollback.commands.build));
    plan.emplace_back(6, "# when the live tree has no devDependencies and install ran:");
    plan.emplace_back(6, prune_dev_dependencies(paths));
    plan.emplace_back(6, "# build files naming the staging path are rewritten to the live path:");
    plan.emplace_back(6, find_baked_paths(paths, {"<each build output>"}));
}

void add_migration(Plan& plan, const ProjectConfig& config, const RemotePaths& paths,
                   MigrationPlan migration) {
    switch (migration) {
    case MigrationPlan::none_added:
        plan.emplace_back(7, "# no migrations added between the tags: nothing runs");
        break;
    case MigrationPlan::run_auto:
        plan.emplace_back(7, "# the first step of the detached switch below: `" +
                                 config.env.rollback.commands.db_rollback + "` in " + paths.live);
        break;
    case MigrationPlan::ask_manual:
        plan.emplace_back(7, "# manual: the operator runs the SQL rollback and confirms it");
        break;
    case MigrationPlan::irreversible:
        plan.emplace_back(7, "# irreversible migration: the rollback halts at preflight");
        break;
    }
}

void add_reload(Plan& plan, const ProjectConfig& config, const RemotePaths& paths,
                const std::string& from_commit, const std::string& to_commit,
                MigrationPlan migration) {
    const auto& env = config.env;
    const auto& commands = env.rollback.commands;
    SwitchPlan sw;
    sw.from_commit = from_commit;
    sw.to_commit = to_commit;
    sw.strategy = env.rollback.strategy;
    sw.db_rollback = migration == MigrationPlan::run_auto;
    sw.db_text = commands.db_rollback;
    sw.items = {"node_modules"};
    sw.install_text = commands.install;
    sw.build_text = commands.build;
    sw.reload_text = with_pm2_name(commands.reload, env.pm2_name);
    sw.step_timeout_seconds = env.rollback.command_timeout_seconds;
    plan.emplace_back(8, "# written to " + paths.work_root +
                             "/switch.sh and started detached (setsid nohup), journaled in " +
                             journal_path(paths) +
                             (sw.strategy == Strategy::staged
                                  ? "; node_modules plus each build output found at stage 6:"
                                  : ":"));
    plan.emplace_back(8, switch_script(paths, sw));
}

} // namespace

Plan planned_commands(const ProjectConfig& config, const std::string& from_tag,
                      const std::string& from_commit, const std::string& to_tag,
                      const std::string& to_commit, MigrationPlan migration) {
    const RemotePaths paths = paths_for_run(config, from_tag, from_commit, to_tag, to_commit);
    const LockOwner owner{"<you>", "<this host>", "<pid>", "<now>"};
    Plan plan;
    plan.emplace_back(3, lock_acquire(paths, owner));
    plan.emplace_back(3, live_checks(paths));
    plan.emplace_back(4, fetch_and_resolve_tag(paths, to_tag));
    if (config.env.rollback.strategy == Strategy::staged) {
        add_staged(plan, config, paths, from_commit, to_commit);
    } else {
        plan.emplace_back(4, "# in-place: nothing is staged; stage 8 works in the live tree");
    }
    add_migration(plan, config, paths, migration);
    add_reload(plan, config, paths, from_commit, to_commit, migration);
    plan.emplace_back(10, "# clean-up after stage 10 (or a failure):");
    if (config.env.rollback.strategy == Strategy::staged) {
        plan.emplace_back(10, remove_staging(paths));
    }
    plan.emplace_back(10, lock_release(paths, owner));
    return plan;
}

} // namespace smo::remote
