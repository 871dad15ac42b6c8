#include "output/live_line.hpp"

#include <catch2/catch.hpp>

using namespace smo;

TEST_CASE("live line: the clock turns amber from three quarters of the SLA, red past it",
          "[output]") {
    CHECK(clock_tone(0, 90) == ClockTone::normal);
    CHECK(clock_tone(67, 90) == ClockTone::normal);
    CHECK(clock_tone(68, 90) == ClockTone::near);
    CHECK(clock_tone(90, 90) == ClockTone::near);
    CHECK(clock_tone(91, 90) == ClockTone::past);
}

TEST_CASE("live line: stage, clock and the newest poll; past the SLA said in words", "[output]") {
    LiveLine line{10, "health-check", 34, 90, "poll 4: 500 (status \"error\")"};
    CHECK(render_live_line(line, false) ==
          "[10/12] health-check …  34s / 90s  poll 4: 500 (status \"error\")");
    line.elapsed_seconds = 95;
    line.poll.clear();
    CHECK(render_live_line(line, false) == "[10/12] health-check …  95s / 90s past SLA");
}

TEST_CASE("live line: colour paints the clock alone, in its tone", "[output]") {
    const LiveLine near{6, "build", 70, 90, {}};
    CHECK(render_live_line(near, true) == "[6/12] build …  \033[33m70s / 90s\033[0m");
    const LiveLine past{6, "build", 91, 90, {}};
    CHECK(render_live_line(past, true) == "[6/12] build …  \033[31m91s / 90s past SLA\033[0m");
    const LiveLine early{6, "build", 3, 90, {}};
    CHECK(render_live_line(early, true) == "[6/12] build …  \033[2m3s / 90s\033[0m");
}

TEST_CASE("live line: cut to the terminal's width, never inside a character", "[output]") {
    const LiveLine line{10, "health-check", 34, 90, "poll 4: ééééééééééééééé"};
    const std::string cut = render_live_line(line, false, 41);
    CHECK(cut == "[10/12] health-check …  34s / 90s  poll 4");
    const std::string cut_in_accents = render_live_line(line, false, 45);
    CHECK(cut_in_accents == "[10/12] health-check …  34s / 90s  poll 4: éé");
}
