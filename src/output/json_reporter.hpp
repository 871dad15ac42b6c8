#pragma once

#include "smo/fleet.hpp"
#include "smo/ports/clock.hpp"
#include "smo/reporter.hpp"

#include <cstdio>

namespace smo {

// Newline-delimited JSON events on stdout (docs/usage.md): start, stage, poll,
// prompt, warning, result. One object per line, flushed at once so a wrapper
// can follow along; stage and poll events carry `ts`, the UTC time they
// happened, from `clock` (the system clock when none is given).
class JsonReporter : public Reporter {
  public:
    explicit JsonReporter(std::FILE* out, const Clock* clock = nullptr)
        : m_out(out), m_clock(clock) {}

    void start(const RunReport& report) override;
    void stage_started(int number, const std::string& name) override;
    void stage_finished(const StageReport& stage) override;
    void info(const std::string&) override {}
    void warning(const std::string& text) override;
    void prompt(const std::string& question) override;
    void result(const RunReport& report) override;
    // --plan --json on a fleet: the result with a `hosts` array of the hosts
    // the plan names (name, user, address, port, path, pm2_name, health_url,
    // runs_migrations).
    void plan_result(const RunReport& report, const std::vector<PlannedHost>& hosts);
    void poll(const PollReport& poll) override;
    void host_stage_started(const std::string& host, int number, const std::string& name) override;
    void host_stage_finished(const std::string& host, const StageReport& stage) override;

  private:
    std::string timestamp() const;

    std::FILE* m_out;
    const Clock* m_clock;
};

} // namespace smo
