#include "fleet/host_run.hpp"

#include "fleet/bounded_parallel.hpp"
#include "smo/pipeline.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

namespace smo::fleet {

void HostReporter::stage_started(int number, const std::string& name) {
    const std::lock_guard<std::mutex> hold(m_lock);
    m_inner.host_stage_started(m_host, number, name);
}

void HostReporter::stage_finished(const StageReport& stage) {
    const std::lock_guard<std::mutex> hold(m_lock);
    m_inner.host_stage_finished(m_host, stage);
}

void HostReporter::info(const std::string& text) {
    const std::lock_guard<std::mutex> hold(m_lock);
    m_inner.info(m_host + ": " + text);
}

void HostReporter::warning(const std::string& text) {
    const std::lock_guard<std::mutex> hold(m_lock);
    m_inner.warning(m_host + ": " + text);
}

void HostReporter::prompt(const std::string& question) {
    const std::lock_guard<std::mutex> hold(m_lock);
    m_inner.prompt(m_host + ": " + question);
}

void HostReporter::poll(const PollReport& poll) {
    const std::lock_guard<std::mutex> hold(m_lock);
    m_inner.host_poll(m_host, poll);
}

namespace {

ProjectConfig host_config(const ProjectConfig& lead, const FleetHost& host) {
    ProjectConfig config = lead;
    config.env = host.env;
    return config;
}

RunReport host_report(const RunReport& lead, const std::string& name) {
    RunReport report = lead;
    report.target_label = name;
    report.stages.clear();
    report.warnings.clear();
    report.hosts.clear();
    return report;
}

// The run's facts from the lead; this host's state starts empty, so nothing
// the lead's stages 1–2 set on the target side leaks into a host.
RunState host_state(const RunState& lead, const HostReading& reading) {
    RunState state;
    static_cast<RunFacts&>(state) = lead;
    state.served_commit = reading.commit;
    state.served_healthy = false;
    return state;
}

} // namespace

HostRun::HostRun(const Context& lead, const FleetHost& host, const HostReading& reading,
                 const FleetHostPorts& ports, std::mutex& output)
    : name(host.name), config(host_config(lead.config, host)),
      reporter(host.name, lead.ports.reporter, output), context{lead.options,
                                                                config,
                                                                ports.target,
                                                                Ports{ports.shell, ports.http,
                                                                      lead.ports.clock,
                                                                      lead.ports.files,
                                                                      lead.ports.git,
                                                                      lead.ports.prompt, reporter},
                                                                lead.started,
                                                                lead.interrupt_flag,
                                                                host_report(lead.report, host.name),
                                                                host_state(lead.state, reading)},
      served_at_start(reading.commit), served_healthy_at_start(reading.healthy) {}

void for_each_host(std::vector<std::unique_ptr<HostRun>>& runs, int limit,
                   const std::function<void(HostRun&)>& work) {
    bounded_parallel(runs.size(), limit, [&](std::size_t i) {
        HostRun& run = *runs[i];
        try {
            work(run);
        } catch (const std::exception& error) {
            auto& report = run.context.report;
            if (report.failed_stage.empty()) {
                report.failed_stage = "fleet";
                report.failure_reason = std::string("internal error: ") + error.what();
                report.exit_code = ExitCode::failed;
            }
        }
    });
}

void run_host_stage(HostRun& run, Stage& stage, int number) {
    std::string skipped;
    if (run.failed()) {
        skipped = "not run";
    } else if (run.already && number != 3 && number != 10) {
        skipped = "already on the to-release: left alone";
    }
    if (skipped.empty()) {
        run_stage(stage, number, run.context);
        return;
    }
    const StageReport row{number, std::string(stage_name(number)), StageStatus::skipped, 0,
                          skipped};
    run.context.report.stages.push_back(row);
    if (skipped != "not run") {
        run.reporter.stage_finished(row);
    }
}

} // namespace smo::fleet
