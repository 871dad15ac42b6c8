// The fleet runner (docs/stages.md, "Fleets"): the single-host stages,
// composed. Stages 1–2 once; 3 everywhere (every lock before anything
// changes); 4–6 everywhere; if any host failed so far, no host switches;
// 7 once; 8–10 everywhere; clean-up everywhere; 11–12 once.
#include "fleet/fleet_summary.hpp"
#include "fleet/host_run.hpp"
#include "smo/drill_rules.hpp"
#include "smo/fleet.hpp"
#include "smo/health.hpp"
#include "smo/pipeline.hpp"
#include "smo/ports/clock.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"
#include "stages/stage_support.hpp"
#include "stages/standby_support.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace smo {
namespace {

using fleet::HostRun;
using Runs = std::vector<std::unique_ptr<HostRun>>;
using Stages = std::vector<std::unique_ptr<Stage>>;

Runs make_runs(const Context& lead, const std::vector<FleetHostPorts>& ports, std::mutex& output) {
    Runs runs;
    const auto& hosts = lead.config.hosts;
    for (std::size_t i = 0; i < hosts.size() && i < ports.size(); ++i) {
        const HostReading reading = i < lead.state.host_readings.size()
                                        ? lead.state.host_readings[i]
                                        : HostReading{hosts[i].name, {}, false};
        auto run = std::make_unique<HostRun>(lead, hosts[i], reading, ports[i], output);
        const auto& report = lead.report;
        run->already = !report.to_commit.empty() && !reading.commit.empty() &&
                       commit_matches(reading.commit, report.to_commit);
        if (run->already) {
            // Stage 3 then checks that the live HEAD is the to-commit.
            run->context.report.from_tag = report.to_tag;
            run->context.report.from_commit = report.to_commit;
        }
        runs.push_back(std::move(run));
    }
    return runs;
}

bool any_failed(const Runs& runs) {
    return std::any_of(runs.begin(), runs.end(), [](const auto& run) { return run->failed(); });
}

// Stage 3 re-identifies from the live HEAD when the app did not answer; a
// host that turns out to run another release than the fleet's from is
// stopped here rather than rolled back on its own terms.
void check_same_release(const Context& lead, HostRun& run) {
    const auto& mine = run.context.report;
    const auto& fleet = lead.report;
    if (run.failed() || run.already || fleet.from_commit.empty() ||
        (commit_matches(mine.from_commit, fleet.from_commit) &&
         commit_matches(mine.to_commit, fleet.to_commit))) {
        return;
    }
    auto& report = run.context.report;
    report.exit_code = lead.drill() ? drill_exit_code(ExitCode::halted) : ExitCode::halted;
    report.failed_stage = "ssh-connect";
    report.failure_reason = "runs " + stages::release_name(mine.from_tag, mine.from_commit) +
                            ", not the fleet's from-release " +
                            stages::release_name(fleet.from_tag, fleet.from_commit) +
                            ": check it by hand";
}

// Stage 3 found an interrupted rollback's journal on some hosts: the fleet
// finishes THAT rollback (docs/safety.md). A resuming host follows its
// journal through every stage, even if it already serves the to-commit.
// When the switch had already reloaded every host still reachable, stage 1
// saw the to-release live and guessed the next pair back: the fleet takes
// the journal's pair instead, and a host that did not resume and runs its
// to-commit is left alone.
void adopt_resumed_pair(Context& lead, Runs& runs) {
    const HostRun* resumed = nullptr;
    for (auto& run : runs) {
        if (run->context.state.resuming) {
            run->already = false;
            resumed = resumed == nullptr ? run.get() : resumed;
        }
    }
    auto& fleet = lead.report;
    if (resumed == nullptr ||
        (commit_matches(resumed->context.report.from_commit, fleet.from_commit) &&
         commit_matches(resumed->context.report.to_commit, fleet.to_commit))) {
        return;
    }
    const auto& pair = resumed->context.report;
    stages::warn(lead, "resuming the interrupted fleet rollback " +
                           stages::release_name(pair.from_tag, pair.from_commit) + " → " +
                           stages::release_name(pair.to_tag, pair.to_commit) + " (journal on " +
                           resumed->name + "), not " +
                           stages::release_name(fleet.from_tag, fleet.from_commit) + " → " +
                           stages::release_name(fleet.to_tag, fleet.to_commit));
    fleet.from_tag = pair.from_tag;
    fleet.from_commit = pair.from_commit;
    fleet.to_tag = pair.to_tag;
    fleet.to_commit = pair.to_commit;
    lead.state.migration_plan = resumed->context.state.migration_plan;
    lead.state.added_migrations = resumed->context.state.added_migrations;
    lead.state.migrations_dir = resumed->context.state.migrations_dir;
    for (auto& run : runs) {
        auto& mine = run->context.report;
        if (!run->context.state.resuming && !run->failed() &&
            commit_matches(run->context.state.live_commit, pair.to_commit)) {
            run->already = true;
            mine.from_tag = pair.to_tag;
            mine.from_commit = pair.to_commit;
            mine.to_tag = pair.to_tag;
            mine.to_commit = pair.to_commit;
        }
    }
}

// The healthy-release question (docs/safety.md), asked once for the fleet:
// when every host to switch answered healthy at stage 1 from its live HEAD.
// Finishing an interrupted rollback (a host resumed its journal) is not a new
// decision: nothing is asked, as on one host.
bool confirm_once(Context& lead, const Runs& runs) {
    const bool resuming = std::any_of(runs.begin(), runs.end(),
                                      [](const auto& run) { return run->context.state.resuming; });
    bool all_healthy = !resuming;
    for (const auto& run : runs) {
        if (!run->already) {
            all_healthy = all_healthy && run->served_healthy_at_start &&
                          commit_matches(run->served_at_start, run->context.state.live_commit);
        }
    }
    lead.state.served_healthy = all_healthy;
    lead.state.live_commit = all_healthy ? lead.state.served_commit : std::string();
    const auto stop = stages::confirm_healthy_rollback(lead);
    if (stop) {
        lead.report.exit_code = stop->exit_code;
        lead.report.failed_stage = "ssh-connect";
        lead.report.failure_reason = stop->detail;
    }
    return stop.has_value();
}

// Stage 7 once, from a live tree that still holds the from-release's down
// migrations: the configured host, else the first; never one already on
// the to-release.
bool migrate_once(Context& lead, Runs& runs, Stage& stage) {
    const std::string& configured = lead.env().rollback.migrations_host;
    const std::string wanted = configured.empty() ? runs.front()->name : configured;
    HostRun* chosen = nullptr;
    for (auto& run : runs) {
        // An interrupted run already undid it there: stage 7 reads that
        // host's journal and is not run anywhere else.
        const auto& state = run->context.state;
        if (state.resuming && state.journal.has_done("db_rollback")) {
            chosen = run.get();
            break;
        }
    }
    for (auto& run : runs) {
        if (chosen == nullptr && !run->already && run->name == wanted) {
            chosen = run.get();
        }
    }
    for (auto& run : runs) {
        if (chosen == nullptr && !run->already) {
            chosen = run.get();
            stages::warn(lead, "the migrations host " + wanted +
                                   " already runs the to-release; the down migration runs on " +
                                   run->name);
        }
    }
    if (chosen == nullptr) {
        return false;
    }
    for (auto& run : runs) {
        if (run.get() == chosen) {
            run_stage(stage, 7, run->context);
            continue;
        }
        const StageReport row{7, std::string(stage_name(7)), StageStatus::skipped, 0,
                              "once, on " + chosen->name};
        run->context.report.stages.push_back(row);
        run->reporter.stage_finished(row);
    }
    return chosen->failed();
}

void run_phase(Runs& runs, int limit, const Stages& stages, int first, int last) {
    fleet::for_each_host(runs, limit, [&](HostRun& run) {
        for (int number = first; number <= last; ++number) {
            fleet::run_host_stage(run, *stages[static_cast<std::size_t>(number - 1)], number);
        }
    });
}

// prepare (docs/prepare.md): each host that staged keeps its standby; no
// switch, no record, no alert.
void finish_prepare(Context& lead, Runs& runs, int limit) {
    fleet::for_each_host(runs, limit, [](HostRun& run) {
        if (!run.failed() && !run.already && run.reached()) {
            stages::keep_standby(run.context);
        }
        clean_up_target(run.context);
    });
    fleet::summarize_fleet(lead, runs);
    for (const auto& run : runs) {
        const auto& mine = run->context.report;
        if (lead.report.standby_path.empty() && !mine.standby_path.empty()) {
            lead.report.standby_path = mine.standby_path;
            lead.report.standby_built_at = mine.standby_built_at;
        }
    }
    lead.report.seconds = seconds_between(lead.started, lead.ports.clock.now());
}

} // namespace

std::string fleet_label(const ProjectConfig& config) {
    std::vector<std::string> names;
    for (const auto& host : config.hosts) {
        names.push_back(host.name);
    }
    return std::to_string(config.hosts.size()) + " hosts: " + text::join(names, ", ");
}

std::vector<PlannedHost> plan_fleet_hosts(const ProjectConfig& config,
                                          const std::vector<SshTarget>& targets) {
    const std::string& configured = config.env.rollback.migrations_host;
    const std::string migrations =
        configured.empty() && !config.hosts.empty() ? config.hosts.front().name : configured;
    std::vector<PlannedHost> planned;
    for (std::size_t i = 0; i < config.hosts.size() && i < targets.size(); ++i) {
        const auto& env = config.hosts[i].env;
        planned.push_back({config.hosts[i].name, targets[i].user, targets[i].address,
                           targets[i].port, env.path, env.pm2_name, env.health_url,
                           config.hosts[i].name == migrations});
    }
    return planned;
}

std::string render_fleet_plan(const ProjectConfig& config, const std::vector<SshTarget>& targets) {
    std::string out = "Fleet (" + fleet_label(config) + "), stages 3-6 and 8-10 on every host:\n";
    std::string migrations = config.env.rollback.migrations_host;
    for (const PlannedHost& host : plan_fleet_hosts(config, targets)) {
        out += "  " + host.name + "  " + host.user + "@" + host.address + ":" +
               std::to_string(host.port) + " " + host.path + ", pm2 " + host.pm2_name +
               ", health " + host.health_url + "\n";
        migrations = host.runs_migrations ? host.name : migrations;
    }
    out += fmt::format("  [7/{}] the down migration once, on {}\n", k_stage_count, migrations);
    return out;
}

void run_fleet(Context& lead, const Stages& stages, const std::vector<FleetHostPorts>& hosts) {
    bool stopped = false;
    for (int number = 1; number <= 2 && !stopped; ++number) {
        stopped = run_stage(*stages[static_cast<std::size_t>(number - 1)], number, lead).status ==
                  StageStatus::failed;
    }
    std::mutex output;
    Runs runs;
    if (!stopped) {
        runs = make_runs(lead, hosts, output);
    }
    const int limit = lead.env().rollback.parallel;
    if (!stopped) {
        run_phase(runs, limit, stages, 3, 3);
        adopt_resumed_pair(lead, runs);
        for (auto& run : runs) {
            check_same_release(lead, *run);
        }
        stopped = any_failed(runs) || confirm_once(lead, runs);
    }
    if (!stopped) {
        run_phase(runs, limit, stages, 4, 6);
        if (lead.preparing()) {
            finish_prepare(lead, runs, limit);
            return;
        }
        stopped = any_failed(runs) || migrate_once(lead, runs, *stages[6]);
    }
    if (lead.preparing()) {
        finish_prepare(lead, runs, limit);
        return;
    }
    if (!stopped) {
        run_phase(runs, limit, stages, 8, 10);
    }
    fleet::for_each_host(runs, limit, [](HostRun& run) { clean_up_target(run.context); });
    fleet::summarize_fleet(lead, runs);
    if (lead.report.seconds <= 0) {
        lead.report.seconds = seconds_between(lead.started, lead.ports.clock.now());
    }
    for (int number = k_first_always_stage; number <= k_stage_count; ++number) {
        run_stage(*stages[static_cast<std::size_t>(number - 1)], number, lead);
    }
}

} // namespace smo
