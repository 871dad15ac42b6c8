#pragma once

#include "smo/context.hpp"
#include "smo/fleet.hpp"
#include "smo/reporter.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

// One host of a fleet run (docs/stages.md, "Fleets"): its own config, report,
// state and reporter, over the lead's options and clock.
namespace smo::fleet {

// Forwards to the lead's reporter under one lock, naming the host; the run's
// start and result are the lead's to report.
class HostReporter : public Reporter {
  public:
    HostReporter(std::string host, Reporter& inner, std::mutex& lock)
        : m_host(std::move(host)), m_inner(inner), m_lock(lock) {}

    void start(const RunReport&) override {}
    void stage_started(int number, const std::string& name) override;
    void stage_finished(const StageReport& stage) override;
    void info(const std::string& text) override;
    void warning(const std::string& text) override;
    void prompt(const std::string& question) override;
    void result(const RunReport&) override {}
    void poll(const PollReport& poll) override;

  private:
    std::string m_host;
    Reporter& m_inner;
    std::mutex& m_lock;
};

struct HostRun {
    // After stage 2: the lead's report and RunFacts (from/to, history,
    // migration plan) with this host's served commit, and an empty HostState
    // of its own (stage 3 derives its paths); the healthy-release question is
    // the lead's to ask.
    HostRun(const Context& lead, const FleetHost& host, const HostReading& reading,
            const FleetHostPorts& ports, std::mutex& output);

    std::string name;
    ProjectConfig config;
    HostReporter reporter;
    Context context;
    bool already = false; // served the to-commit at stage 1
    std::string served_at_start;
    bool served_healthy_at_start = false;

    bool failed() const { return !context.report.failed_stage.empty(); }
    bool reached() const { return !context.report.stages.empty(); }
};

// Runs `work` once per host, at most `limit` at a time, each on its own
// thread (none when limit is 1). An exception escaping `work` becomes that
// host's failure.
void for_each_host(std::vector<std::unique_ptr<HostRun>>& runs, int limit,
                   const std::function<void(HostRun&)>& work);

// Stage `number` on `run`, or its "skipped" row when the host is done
// (failed) or, already on the to-release, has nothing to do at this stage.
void run_host_stage(HostRun& run, Stage& stage, int number);

} // namespace smo::fleet
