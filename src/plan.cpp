#include "smo/plan.hpp"

#include "offline_ports.hpp"
#include "smo/context.hpp"
#include "smo/errors.hpp"
#include "smo/migrations.hpp"
#include "smo/pipeline.hpp"
#include "smo/ports/clock.hpp"
#include "smo/ports/http_client.hpp"
#include "smo/ports/operator_prompt.hpp"
#include "smo/ports/remote_shell.hpp"
#include "smo/remote_commands.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"

#include <fmt/format.h>

namespace smo {

namespace {

std::string or_text(const std::string& value, const char* fallback) {
    return value.empty() ? fallback : value;
}

// The plan names commits by 12 hex digits, to be read beside `git log`.
std::string release(const std::string& tag, const std::string& commit) {
    if (commit.empty()) {
        return or_text(tag, "unknown");
    }
    return fmt::format("{} ({})", or_text(tag, "untagged"), commit.substr(0, 12));
}

std::string describe_target(const SshTarget& target, const ProjectConfig& config) {
    // In the order authentication tries them.
    std::string keys = target.use_agent && !target.identity_files_first ? "ssh-agent" : "";
    for (const auto& file : target.identity_files) {
        keys += (keys.empty() ? "" : ", then ") + file;
    }
    if (target.use_agent && target.identity_files_first) {
        keys += (keys.empty() ? "" : ", then ") + std::string("ssh-agent");
    }
    return fmt::format("{}@{}:{} ({}), keys: {}\n  known_hosts: {}, remote shell: {}", target.user,
                       target.address, target.port, or_text(config.env.host, "no host alias"),
                       or_text(keys, "none"), target.known_hosts_file, target.remote_shell);
}

std::string describe_migrations(const RunState& state, const EnvironmentConfig& env) {
    if (state.migrations_dir.empty()) {
        return "no migrations directory found; stage 7 skips";
    }
    std::string text = fmt::format("{}: {} added between the tags", state.migrations_dir,
                                   smo::describe_migrations(state.added_migrations));
    for (const auto& file : state.added_migrations) {
        text += "\n    + " + file;
    }
    switch (state.migration_plan) {
    case MigrationPlan::none_added:
        return text + "\n  verdict: stage 7 skips";
    case MigrationPlan::run_auto:
        return text + "\n  verdict: stage 7 runs `" + env.rollback.commands.db_rollback +
               "` in the live tree before the switch";
    case MigrationPlan::ask_manual:
        return text + "\n  verdict: stage 7 asks the operator to roll the SQL back by hand";
    case MigrationPlan::irreversible:
        return text + "\n  verdict: HALT (irreversible): forward-fix instead";
    }
    return text;
}

// "  [9/12] settle            ": the stage's number and name, the text after
// it in one column.
std::string heading(int number) {
    const std::string place = fmt::format("[{}/{}]", number, k_stage_count);
    return fmt::format("  {} {:<{}} ", place, stage_name(number), 23 - place.size());
}

// The stages' plans under their headings; the clean-up after the last stage
// that can fail the rollback.
std::string render_stages(const RunPlan& run) {
    std::string out;
    const auto add_commands = [&out](const StagePlan& plan) {
        for (const auto& command : plan.commands) {
            out += "           " + command + "\n";
        }
    };
    for (int number = 1; number <= k_stage_count; ++number) {
        if (number == k_first_always_stage) {
            out += "  clean-up\n";
            add_commands(run.clean_up);
        }
        const StagePlan& plan = run.stages[static_cast<std::size_t>(number - 1)];
        out += heading(number) + plan.summary + "\n";
        add_commands(plan);
    }
    return out;
}

} // namespace

RunPlan plan_run(const Context& context) {
    RunPlan run;
    for (const auto& stage : make_stages()) {
        run.stages.push_back(stage->plan(context));
    }
    run.clean_up = plan_clean_up(context);
    return run;
}

PlanText render_plan(const Options& options, const ProjectConfig& config, const SshTarget& target,
                     FileSystem& files, LocalGit& git) {
    OfflinePorts offline;
    Context context{options, config, target, offline.with(files, git), offline.clock.now(),
                    nullptr, {},     {}};
    const auto stages = make_stages();
    PlanText plan;
    std::string verdict = fmt::format("a rollback would run stages 1–{} below", k_stage_count);
    for (int index = 0; index < 2; ++index) {
        const StageOutcome outcome = stages[index]->run(context);
        if (outcome.status == StageStatus::failed) {
            verdict = fmt::format("a rollback would stop at {} (exit {}): {}",
                                  stage_name(index + 1), to_int(outcome.exit_code), outcome.detail);
            plan.exit_code = outcome.exit_code == ExitCode::usage ? to_int(ExitCode::usage) : 0;
            if (outcome.exit_code == ExitCode::usage) {
                context.report.failed_stage = std::string(stage_name(index + 1));
            }
            break;
        }
    }
    const RunReport& report = context.report;
    const EnvironmentConfig& env = config.env;
    std::string& out = plan.text;
    out += fmt::format("Plan: roll back {} on {} (offline: nothing contacted, nothing written)\n\n",
                       config.project, env.name);
    out += fmt::format("Config:      {}\n", config.config_file.string());
    out += fmt::format("Target:      {}\n", describe_target(target, config));
    out +=
        fmt::format("Path:        {} (strategy {})\n", env.path, to_string(env.rollback.strategy));
    out += fmt::format("PM2 process: {}\n", env.pm2_name);
    out += fmt::format("Health URL:  {}\n", env.health_url);
    out += fmt::format("From:        {} — newest good deploy in the records; the target's own "
                       "commit decides at run time\n",
                       release(report.from_tag, report.from_commit));
    out += fmt::format("To:          {}\n", release(report.to_tag, report.to_commit));
    out += fmt::format("Migrations:  {}\n", describe_migrations(context.state, env));
    out += fmt::format("SLA:         {}s, settle ≤ {}s, health {} polls in a row within {}s\n",
                       env.rollback_sla_seconds, env.rollback.settle_seconds,
                       env.rollback.health_stable_polls, env.rollback.health_timeout_seconds);
    for (const auto& warning : offline.reporter.warnings) {
        out += "Warning:     " + warning + "\n";
    }
    out += "Verdict:     " + verdict + "\n\nStages:\n";
    if (context.state.paths.live.empty()) {
        // Stage 1 or 2 stopped before naming the paths: the plan still shows them.
        context.state.paths = remote::paths_for_run(config, report.from_tag, report.from_commit,
                                                    report.to_tag, report.to_commit);
    }
    out += render_stages(plan_run(context));
    plan.report = context.report;
    plan.report.kind = RunKind::plan;
    plan.report.project = config.project;
    plan.report.env = env.name;
    plan.report.target_label = target.label;
    plan.report.sla_seconds = env.rollback_sla_seconds;
    plan.report.exit_code = static_cast<ExitCode>(plan.exit_code);
    plan.report.failure_reason = verdict;
    plan.report.warnings = offline.reporter.warnings;
    return plan;
}

} // namespace smo
