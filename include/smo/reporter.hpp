#pragma once

#include "smo/run_report.hpp"

#include <memory>
#include <string>

// What the operator sees while the run goes on (docs/usage.md): human lines on
// stderr, or NDJSON events on stdout with --json. Records are not written here.
namespace smo {

// One health poll of settle or health-check, as it comes (docs/usage.md).
struct PollReport {
    int stage = 0;        // 9 settle, 10 health-check
    int number = 0;       // 1, 2, … within the stage
    std::string text;     // "500 (status \"error\")", "200 OK, commit b2c5d82"
    bool healthy = false; // serves the commit the stage expects
    long http_status = 0; // 0: no answer
    std::string commit;   // what the health URL reports, if anything
    std::string host;     // a fleet's host; empty for a single host
};

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
    virtual void poll(const PollReport&) {}

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
    virtual void host_poll(const std::string& host, const PollReport& poll) {
        PollReport named = poll;
        named.host = host;
        this->poll(named);
    }
};

struct Options;
std::unique_ptr<Reporter> make_reporter(const Options& options);

} // namespace smo
