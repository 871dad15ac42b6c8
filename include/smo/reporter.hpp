#pragma once

#include "smo/run_report.hpp"

#include <memory>
#include <string>

// What the operator sees while the run goes on (docs/usage.md): human lines on
// stderr, or NDJSON events on stdout with --json. Records are not written here.
namespace smo {

class Reporter {
  public:
    virtual ~Reporter() = default;
    virtual void start(const RunReport& report) = 0;
    virtual void stage_started(int number, const std::string& name) = 0;
    virtual void stage_finished(const StageReport& stage) = 0;
    virtual void info(const std::string& text) = 0; // detail, shown with --verbose
    virtual void warning(const std::string& text) = 0;
    virtual void prompt(const std::string& question) = 0;
    virtual void result(const RunReport& report) = 0;

    // One host of a fleet (docs/stages.md): by default the stage's name
    // carries the host ("ssh-connect @web-1").
    virtual void host_stage_started(const std::string& host, int number, const std::string& name) {
        stage_started(number, name + " @" + host);
    }
    virtual void host_stage_finished(const std::string& host, const StageReport& stage) {
        StageReport named = stage;
        named.name += " @" + host;
        stage_finished(named);
    }
};

struct Options;
std::unique_ptr<Reporter> make_reporter(const Options& options);

} // namespace smo
