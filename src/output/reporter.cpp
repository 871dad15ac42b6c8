#include "output/human_reporter.hpp"
#include "output/json_reporter.hpp"
#include "smo/options.hpp"

#include <cstdlib>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

namespace smo {

namespace {

// Sends every event to each reporter: with --json, NDJSON on stdout and the
// human account on stderr.
class TeeReporter : public Reporter {
  public:
    void add(std::unique_ptr<Reporter> reporter) { m_reporters.push_back(std::move(reporter)); }

    void start(const RunReport& report) override {
        for (auto& r : m_reporters) {
            r->start(report);
        }
    }
    void stage_started(int number, const std::string& name) override {
        for (auto& r : m_reporters) {
            r->stage_started(number, name);
        }
    }
    void stage_finished(const StageReport& stage) override {
        for (auto& r : m_reporters) {
            r->stage_finished(stage);
        }
    }
    void info(const std::string& text) override {
        for (auto& r : m_reporters) {
            r->info(text);
        }
    }
    void warning(const std::string& text) override {
        for (auto& r : m_reporters) {
            r->warning(text);
        }
    }
    void prompt(const std::string& question) override {
        for (auto& r : m_reporters) {
            r->prompt(question);
        }
    }
    void result(const RunReport& report) override {
        for (auto& r : m_reporters) {
            r->result(report);
        }
    }
    void poll(const PollReport& poll) override {
        for (auto& r : m_reporters) {
            r->poll(poll);
        }
    }

  private:
    std::vector<std::unique_ptr<Reporter>> m_reporters;
};

// The terminal's columns, less one: a line that fills the last column wraps
// on some terminals, and then `\r` no longer returns to its start.
std::size_t terminal_width(int fd) {
    winsize size{};
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 20) {
        return size.ws_col - 1U;
    }
    return 100;
}

} // namespace

std::unique_ptr<Reporter> make_reporter(const Options& options) {
    const bool stderr_is_tty = isatty(STDERR_FILENO) == 1;
    HumanReporter::Style style;
    style.colour = stderr_is_tty && !options.no_color && std::getenv("NO_COLOR") == nullptr;
    style.live_clock = stderr_is_tty;
    style.ticker = stderr_is_tty;
    style.width = terminal_width(STDERR_FILENO);
    style.verbose = options.verbose;
    style.quiet = options.quiet;
    auto human = std::make_unique<HumanReporter>(stderr, style);
    if (!options.json) {
        return human;
    }
    auto tee = std::make_unique<TeeReporter>();
    tee->add(std::make_unique<JsonReporter>(stdout));
    tee->add(std::move(human));
    return tee;
}

} // namespace smo
