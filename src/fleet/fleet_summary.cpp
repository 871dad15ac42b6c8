#include "fleet/fleet_summary.hpp"

#include "smo/records/host_table.hpp"
#include "smo/stage_table.hpp"
#include "stages/stage_support.hpp"

#include <algorithm>

namespace smo::fleet {
namespace {

const StageReport* row_of(const HostRun& run, int number) {
    for (const auto& row : run.context.report.stages) {
        if (row.number == number) {
            return &row;
        }
    }
    return nullptr;
}

const StageReport* failed_row(const HostRun& run) {
    for (const auto& row : run.context.report.stages) {
        if (row.status == StageStatus::failed) {
            return &row;
        }
    }
    return nullptr;
}

StageReport fleet_row(const std::vector<std::unique_ptr<HostRun>>& runs, int number,
                      const std::string& name) {
    StageReport row{number, name, StageStatus::skipped, 0, {}};
    int ok = 0;
    std::string failures;
    std::string skipped;
    for (const auto& run : runs) {
        const StageReport* mine = row_of(*run, number);
        if (mine == nullptr) {
            continue;
        }
        row.seconds = std::max(row.seconds, mine->seconds);
        if (mine->status == StageStatus::failed) {
            row.status = StageStatus::failed;
            failures += (failures.empty() ? "" : "; ") + run->name + " failed: " + mine->detail;
        } else if (mine->status == StageStatus::ok) {
            row.status = row.status == StageStatus::failed ? row.status : StageStatus::ok;
            ++ok;
        } else if (skipped.empty() && mine->detail != "not run") {
            skipped = mine->detail;
        }
    }
    if (ok == 0 && failures.empty()) {
        row.detail = skipped.empty() ? "not run" : skipped;
        return row;
    }
    row.detail = failures;
    if (ok > 0) {
        row.detail += (row.detail.empty() ? "" : "; ") + std::to_string(ok) +
                      (ok == 1 ? " host ok" : " hosts ok");
    }
    return row;
}

// The first failure in stage order (hosts in config order) is the run's; a
// host that failed after its switch began leaves a mixed fleet: SEV1.
void take_failure(Context& lead, const std::vector<std::unique_ptr<HostRun>>& runs) {
    const HostRun* first = nullptr;
    int first_number = 0;
    std::string others;
    for (const auto& run : runs) {
        const StageReport* row = failed_row(*run);
        if (row == nullptr && run->failed()) {
            row = &run->context.report.stages.back();
        }
        if (!run->failed()) {
            continue;
        }
        const int number = row == nullptr ? 0 : row->number;
        if (first == nullptr || number < first_number) {
            if (first != nullptr) {
                others += "; " + first->name + ": " + first->context.report.failure_reason;
            }
            first = run.get();
            first_number = number;
        } else {
            others += "; " + run->name + ": " + run->context.report.failure_reason;
        }
    }
    if (first == nullptr || !lead.report.failed_stage.empty()) {
        return;
    }
    const RunReport& report = first->context.report;
    lead.report.exit_code = report.exit_code;
    if (first_number >= 8 && !lead.drill() && report.exit_code != ExitCode::interrupted) {
        lead.report.exit_code = ExitCode::sev1;
    }
    lead.report.failed_stage = report.failed_stage;
    lead.report.failure_reason = first->name + ": " + report.failure_reason + others;
}

std::string outcome_of_host(const HostRun& run) {
    if (run.failed()) {
        return "failed at " + run.context.report.failed_stage;
    }
    if (!run.reached()) {
        return k_host_not_reached;
    }
    if (run.context.drill()) {
        return k_host_checked;
    }
    if (run.context.preparing() && !run.already) {
        return "standby kept (prepare)";
    }
    if (run.already && row_of(run, 10) != nullptr && row_of(run, 10)->status == StageStatus::ok) {
        return k_host_already;
    }
    return run.context.state.reloaded && !run.context.report.health_summary.empty()
               ? k_host_switched
               : k_host_not_switched;
}

double busy_seconds(const HostRun& run) {
    double seconds = 0;
    for (const auto& row : run.context.report.stages) {
        seconds += row.seconds;
    }
    return seconds;
}

std::string host_state(const Context& lead, const HostRun& run) {
    const auto& report = run.context.report;
    if (!report.target_state.empty()) {
        return report.target_state;
    }
    const std::string from =
        stages::release_name(lead.report.from_tag, run.context.state.live_commit.empty()
                                                       ? lead.report.from_commit
                                                       : run.context.state.live_commit);
    return run.already ? stages::release_name(lead.report.to_tag, lead.report.to_commit) +
                             " (already), left alone"
                       : from + " unchanged";
}

} // namespace

std::vector<HostOutcome> host_outcomes(const Context& lead,
                                       const std::vector<std::unique_ptr<HostRun>>& runs) {
    std::vector<HostOutcome> outcomes;
    if (runs.empty()) {
        for (const auto& host : lead.config.hosts) {
            outcomes.push_back({host.name, k_host_not_reached, {}, {}, {}, 0, {}});
        }
        return outcomes;
    }
    for (const auto& run : runs) {
        const auto& state = run->context.state;
        HostOutcome host;
        host.name = run->name;
        host.outcome = outcome_of_host(*run);
        host.from_commit = state.live_commit.empty() ? run->served_at_start : state.live_commit;
        host.to_commit = lead.report.to_commit;
        host.served_commit =
            state.last_served_commit.empty() ? run->served_at_start : state.last_served_commit;
        host.seconds = busy_seconds(*run);
        host.detail = run->failed() ? run->context.report.failure_reason : host_state(lead, *run);
        outcomes.push_back(host);
    }
    return outcomes;
}

void summarize_fleet(Context& lead, const std::vector<std::unique_ptr<HostRun>>& runs) {
    auto& report = lead.report;
    for (int number = 3; number <= 10; ++number) {
        report.stages.push_back(fleet_row(runs, number, std::string(stage_name(number))));
    }
    take_failure(lead, runs);
    // The lead's own stop at stage 3 (the healthy-release question) shows on its row.
    for (auto& row : report.stages) {
        if (row.name == report.failed_stage && row.status != StageStatus::failed) {
            row.status = StageStatus::failed;
            row.detail = report.failure_reason;
        }
    }
    report.hosts = host_outcomes(lead, runs);
    std::string state;
    double green = 0;
    bool all_green = !runs.empty();
    for (const auto& run : runs) {
        state += (state.empty() ? "" : "; ") + run->name + ": " + host_state(lead, *run);
        green = std::max(green, run->context.report.seconds);
        all_green = all_green && run->context.report.seconds > 0;
        for (const auto& warning : run->context.report.warnings) {
            report.warnings.push_back(run->name + ": " + warning);
        }
    }
    report.target_state = state;
    if (all_green && report.failed_stage.empty()) {
        report.seconds = green;
        report.health_summary =
            hosts_fraction(report) + " " + runs.front()->context.report.health_summary;
    }
}

} // namespace smo::fleet
