#pragma once

#include "output/live_line.hpp"
#include "smo/ports/clock.hpp"
#include "smo/reporter.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>

namespace smo {

class Ticker;

// Stage lines, warnings and the summary for a person, on stderr (docs/usage.md).
// On a terminal the last line is a live one (stage, elapsed / SLA, newest
// poll), redrawn by tick(): twice a second from a Ticker thread when
// Style::ticker, or by a test. All output goes through one lock.
class HumanReporter : public Reporter {
  public:
    struct Style {
        bool colour = false;
        bool live_clock = false; // stderr is a TTY: show elapsed / SLA while a stage runs
        bool ticker = false;     // ... and redraw it from a thread of its own
        bool verbose = false;
        bool quiet = false;
        std::size_t width = 100; // the terminal's columns: the live line never wraps
    };

    // The clock (a port) counts the SLA clock from now, the reporter's birth.
    HumanReporter(std::FILE* out, Style style, const Clock& clock);
    HumanReporter(std::FILE* out, Style style); // the system clock
    ~HumanReporter() override;
    HumanReporter(const HumanReporter&) = delete;
    HumanReporter& operator=(const HumanReporter&) = delete;

    void start(const RunReport& report) override;
    void stage_started(int number, const std::string& name) override;
    void stage_finished(const StageReport& stage) override;
    void info(const std::string& text) override;
    void warning(const std::string& text) override;
    void prompt(const std::string& question) override;
    void poll(const PollReport& poll) override;
    void result(const RunReport& report) override;

    // Redraws the live line with the clock's time now (nothing when no stage runs).
    void tick();

  private:
    std::string paint(const char* colour_code, const std::string& text) const;
    void clear_live_line();
    void draw_live_line();

    std::FILE* m_out;
    Style m_style;
    const Clock& m_clock;
    std::chrono::steady_clock::time_point m_started;
    int m_sla_seconds = 0;
    std::optional<LiveLine> m_live; // the stage running now, while its line shows
    bool m_drawn = false;           // the live line is on the terminal now
    std::mutex m_lock;
    std::unique_ptr<Ticker> m_ticker;
};

} // namespace smo
