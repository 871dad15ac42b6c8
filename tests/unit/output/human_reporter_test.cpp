#include "output/human_reporter.hpp"
#include "support/fake_clock.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <functional>
#include <regex>
#include <string>

using namespace smo;

namespace {

std::string read_all(std::FILE* file) {
    std::rewind(file);
    std::string text;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, file) != nullptr) {
        text += buffer;
    }
    return text;
}

std::string output_of(HumanReporter::Style style, const std::function<void(HumanReporter&)>& act) {
    std::FILE* file = std::tmpfile();
    std::string text;
    {
        HumanReporter reporter(file, style);
        act(reporter);
    }
    text = read_all(file);
    std::fclose(file);
    return text;
}

// A terminal's reporter on a fake clock: ticks drawn by the test, no thread.
struct LiveRig {
    smo::test::FakeClock clock;
    std::FILE* file = std::tmpfile();
    HumanReporter reporter{file, live_style(), clock};

    ~LiveRig() { std::fclose(file); }
    static HumanReporter::Style live_style() {
        HumanReporter::Style style;
        style.live_clock = true;
        style.colour = true;
        return style;
    }
    std::string text() { return read_all(file); }
};

RunReport sla_report() {
    RunReport report;
    report.project = "eo-mena";
    report.env = "production";
    report.target_label = "eo-prod";
    report.sla_seconds = 90;
    return report;
}

} // namespace

TEST_CASE("human output: -v puts a UTC timestamp before each detail and stage line", "[output]") {
    HumanReporter::Style verbose;
    verbose.verbose = true;
    const std::string text = output_of(verbose, [](HumanReporter& reporter) {
        reporter.info("$ git -C /opt/apps/eo-mena rev-parse HEAD");
        reporter.stage_finished({3, "ssh-connect", StageStatus::ok, 0.42, "locked"});
    });
    const std::regex stamped(
        R"(\d\d:\d\d:\d\d\.\d{3}       \$ git -C /opt/apps/eo-mena rev-parse HEAD
\d\d:\d\d:\d\d\.\d{3} \[3/12\] ssh-connect .*
)");
    CHECK(std::regex_match(text, stamped));
    const std::string quiet = output_of({}, [](HumanReporter& reporter) {
        reporter.info("$ hidden");
        reporter.stage_finished({3, "ssh-connect", StageStatus::ok, 0.42, "locked"});
    });
    CHECK(quiet.rfind("[3/12] ssh-connect", 0) == 0);
}

TEST_CASE("live clock: redrawn on every tick while a stage runs, amber near the SLA, red past it",
          "[output]") {
    LiveRig rig;
    rig.reporter.start(sla_report());
    rig.reporter.stage_started(6, "build");
    rig.clock.advance(std::chrono::seconds(3));
    rig.reporter.tick();
    rig.clock.advance(std::chrono::seconds(66)); // 69 s: past three quarters of 90
    rig.reporter.tick();
    rig.clock.advance(std::chrono::seconds(22)); // 91 s
    rig.reporter.tick();
    const std::string text = rig.text();
    CHECK_THAT(text, Catch::Contains("\r\033[K[6/12] build …  \033[2m0s / 90s\033[0m"));
    CHECK_THAT(text, Catch::Contains("\r\033[K[6/12] build …  \033[2m3s / 90s\033[0m"));
    CHECK_THAT(text, Catch::Contains("\r\033[K[6/12] build …  \033[33m69s / 90s\033[0m"));
    CHECK_THAT(text, Catch::Contains("\r\033[K[6/12] build …  \033[31m91s / 90s past SLA\033[0m"));
}

TEST_CASE("live clock: polls show in the line as they come; the stage line clears it", "[output]") {
    LiveRig rig;
    rig.reporter.start(sla_report());
    rig.reporter.stage_started(10, "health-check");
    rig.clock.advance(std::chrono::seconds(12));
    rig.reporter.poll({10, 4, "500 (status \"error\")", false, 500, "", ""});
    rig.reporter.stage_finished({10, "health-check", StageStatus::ok, 12.0, "200 OK"});
    rig.reporter.tick(); // no stage runs: nothing drawn
    const std::string text = rig.text();
    CHECK_THAT(text, Catch::Contains("12s / 90s\033[0m  poll 4: 500 (status \"error\")"));
    const std::string after_stage = text.substr(text.find("[10/12] health-check      "));
    CHECK(after_stage.find("\r\033[K[") == std::string::npos);
}

TEST_CASE("live clock: a fleet's other host keeps its line when one host's stage ends",
          "[output]") {
    LiveRig rig;
    rig.reporter.start(sla_report());
    rig.reporter.stage_started(6, "build @web-1");
    rig.reporter.stage_started(6, "build @web-2");
    rig.reporter.stage_finished({6, "build @web-1", StageStatus::ok, 4.0, ""});
    rig.clock.advance(std::chrono::seconds(5));
    rig.reporter.tick();
    CHECK_THAT(rig.text(), Catch::EndsWith("[6/12] build @web-2 …  \033[2m5s / 90s\033[0m"));
}

TEST_CASE("live clock: none off a terminal, none with -q, and none under a prompt", "[output]") {
    smo::test::FakeClock clock;
    const auto run = [&](HumanReporter::Style style) {
        std::FILE* file = std::tmpfile();
        std::string text;
        {
            HumanReporter reporter(file, style, clock);
            reporter.start(sla_report());
            reporter.stage_started(7, "migration-check");
            reporter.prompt("Run the down migrations by hand? [y/N]");
            reporter.tick();
            reporter.poll({9, 1, "200 OK", true, 200, "b2c5d82", ""});
        }
        text = read_all(file);
        std::fclose(file);
        return text;
    };
    HumanReporter::Style pipe;
    CHECK(run(pipe).find("\r") == std::string::npos);
    HumanReporter::Style quiet = LiveRig::live_style();
    quiet.quiet = true;
    CHECK(run(quiet).find("\r\033[K[") == std::string::npos);
    const std::string prompted = run(LiveRig::live_style());
    CHECK_THAT(prompted, Catch::EndsWith("Run the down migrations by hand? [y/N]\033[0m "));
}
