#pragma once

#include "smo/reporter.hpp"

#include <chrono>
#include <cstdio>

namespace smo {

// Stage lines, warnings and the summary for a person, on stderr (docs/usage.md).
class HumanReporter : public Reporter {
  public:
    struct Style {
        bool colour = false;
        bool live_clock = false; // stderr is a TTY: show elapsed / SLA while a stage runs
        bool verbose = false;
        bool quiet = false;
    };

    HumanReporter(std::FILE* out, Style style);

    void start(const RunReport& report) override;
    void stage_started(int number, const std::string& name) override;
    void stage_finished(const StageReport& stage) override;
    void info(const std::string& text) override;
    void warning(const std::string& text) override;
    void prompt(const std::string& question) override;
    void result(const RunReport& report) override;

  private:
    std::string paint(const char* colour_code, const std::string& text) const;

    std::FILE* m_out;
    Style m_style;
    int m_sla_seconds = 0;
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
};

} // namespace smo
