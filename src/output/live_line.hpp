#pragma once

#include <string>

// The terminal's last line while a stage runs (docs/usage.md): the stage, the
// elapsed / SLA clock and the newest health poll, redrawn in place.
namespace smo {

struct LiveLine {
    int number = 0; // 1..12
    std::string name;
    long elapsed_seconds = 0; // since the process started (the SLA clock)
    int sla_seconds = 0;
    std::string poll; // "poll 4: 500 (status "error")"; empty before the first poll
};

// How the clock is painted: plain, amber from 75 % of the SLA, red past it.
enum class ClockTone { normal, near, past };

ClockTone clock_tone(long elapsed_seconds, int sla_seconds);

// "[10/12] health-check …  68s / 90s  poll 4: 500 (status "error")", with ANSI
// colour when `colour`; past the SLA the clock also says so in words (for
// terminals without colour). At most `width` visible characters.
std::string render_live_line(const LiveLine& line, bool colour, std::size_t width = 100);

} // namespace smo
