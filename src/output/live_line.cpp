#include "output/live_line.hpp"

#include "smo/pipeline.hpp"

#include <fmt/format.h>

namespace smo {

namespace {

const char* const k_dim = "2";
const char* const k_amber = "33";
const char* const k_red = "31";

const char* tone_colour(ClockTone tone) {
    switch (tone) {
    case ClockTone::near:
        return k_amber;
    case ClockTone::past:
        return k_red;
    default:
        return k_dim;
    }
}

// Cuts `text` to `width` code points (UTF-8 aware: never mid-character).
std::string cut(const std::string& text, std::size_t width) {
    std::size_t points = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0) != 0x80) {
            if (points == width) {
                return text.substr(0, i);
            }
            ++points;
        }
    }
    return text;
}

} // namespace

ClockTone clock_tone(long elapsed_seconds, int sla_seconds) {
    if (elapsed_seconds > sla_seconds) {
        return ClockTone::past;
    }
    if (elapsed_seconds * 4 >= 3L * sla_seconds) {
        return ClockTone::near;
    }
    return ClockTone::normal;
}

std::string render_live_line(const LiveLine& line, bool colour, std::size_t width) {
    const ClockTone tone = clock_tone(line.elapsed_seconds, line.sla_seconds);
    std::string clock = fmt::format("{}s / {}s", line.elapsed_seconds, line.sla_seconds);
    if (tone == ClockTone::past) {
        clock += " past SLA";
    }
    std::string head = fmt::format("[{}/{}] {} …  ", line.number, k_stage_count, line.name);
    std::string tail = line.poll.empty() ? std::string() : "  " + line.poll;
    // The clock always shows whole; the poll text is what gets cut.
    const std::string plain = cut(head + clock + tail, width);
    if (!colour) {
        return plain;
    }
    const std::size_t clock_end = head.size() + clock.size();
    if (plain.size() < clock_end) {
        return plain;
    }
    return head + fmt::format("\033[{}m{}\033[0m", tone_colour(tone), clock) +
           plain.substr(clock_end);
}

} // namespace smo
