#pragma once

#include "smo/reporter.hpp"

#include <string>
#include <vector>

namespace smo::test {

// Keeps every event as a line: "stage 3 ssh-connect ok", "warning ...".
class RecordingReporter : public Reporter {
  public:
    void start(const RunReport&) override { events.push_back("start"); }
    void stage_started(int number, const std::string& name) override {
        events.push_back("running " + std::to_string(number) + " " + name);
    }
    void stage_finished(const StageReport& stage) override {
        events.push_back("stage " + std::to_string(stage.number) + " " + stage.name + " " +
                         to_string(stage.status));
        finished.push_back(stage);
    }
    void info(const std::string& text) override { infos.push_back(text); }
    void warning(const std::string& text) override { warnings.push_back(text); }
    void prompt(const std::string& question) override { prompts.push_back(question); }
    void result(const RunReport& report) override {
        events.push_back("result " + std::string(outcome_name(report.exit_code)));
    }
    void poll(const PollReport& poll) override { polls.push_back(poll); }

    std::vector<std::string> events;
    std::vector<StageReport> finished;
    std::vector<std::string> infos;
    std::vector<std::string> warnings;
    std::vector<std::string> prompts;
    std::vector<PollReport> polls;
};

} // namespace smo::test
