#include "output/human_reporter.hpp"

#include "output/ticker.hpp"
#include "smo/adapters/system_clock.hpp"
#include "smo/pipeline.hpp"
#include "smo/records/prepare_summary.hpp"
#include "smo/records/rollback_record.hpp"
#include "smo/utc_time.hpp"

#include <fmt/format.h>

namespace smo {

namespace {

const char* const k_green = "32";
const char* const k_yellow = "33";
const char* const k_red = "31";
const char* const k_dim = "2";

// Redraws at least once a second (docs/usage.md): twice, so that a whole
// second never passes between two.
constexpr std::chrono::milliseconds k_tick_period{500};

const char* colour_for(StageStatus status) {
    switch (status) {
    case StageStatus::ok:
        return k_green;
    case StageStatus::failed:
        return k_red;
    default:
        return k_dim;
    }
}

// "03:12:09.482 " (UTC): what -v promises in front of each detail line.
std::string timestamp() {
    return utc_iso_millis(std::chrono::system_clock::now()).substr(11, 12) + " ";
}

const Clock& system_clock() {
    static const SystemClock clock;
    return clock;
}

std::string poll_text(const PollReport& poll) {
    return fmt::format("poll {}{}: {}", poll.number, poll.host.empty() ? "" : " @" + poll.host,
                       poll.text);
}

} // namespace

HumanReporter::HumanReporter(std::FILE* out, Style style, const Clock& clock)
    : m_out(out), m_style(style), m_clock(clock), m_started(clock.now()) {}

HumanReporter::HumanReporter(std::FILE* out, Style style)
    : HumanReporter(out, style, system_clock()) {}

HumanReporter::~HumanReporter() {
    m_ticker.reset(); // joins: no tick runs after this
}

std::string HumanReporter::paint(const char* colour_code, const std::string& text) const {
    if (!m_style.colour) {
        return text;
    }
    return fmt::format("\033[{}m{}\033[0m", colour_code, text);
}

// Callers hold m_lock.
void HumanReporter::clear_live_line() {
    if (m_drawn) {
        std::fputs("\r\033[K", m_out);
        m_drawn = false;
    }
}

// Callers hold m_lock.
void HumanReporter::draw_live_line() {
    if (!m_live) {
        return;
    }
    m_live->elapsed_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(m_clock.now() - m_started).count();
    fmt::print(m_out, "\r\033[K{}", render_live_line(*m_live, m_style.colour, m_style.width));
    std::fflush(m_out);
    m_drawn = true;
}

void HumanReporter::start(const RunReport& report) {
    const std::lock_guard<std::mutex> hold(m_lock);
    m_sla_seconds = report.sla_seconds;
    if (m_style.quiet) {
        return;
    }
    const char* what = report.kind == RunKind::drill     ? "Rollback drill"
                       : report.kind == RunKind::prepare ? "Warm standby"
                                                         : "Rollback";
    fmt::print(m_out, "{} of {} on {} ({}), SLA {}s\n", what, report.project, report.env,
               report.target_label, report.sla_seconds);
    std::fflush(m_out);
    if (m_style.live_clock && m_style.ticker && !m_ticker) {
        m_ticker = std::make_unique<Ticker>(k_tick_period, [this] { tick(); });
    }
}

void HumanReporter::stage_started(int number, const std::string& name) {
    const std::lock_guard<std::mutex> hold(m_lock);
    if (m_style.quiet || !m_style.live_clock) {
        return;
    }
    m_live = LiveLine{number, name, 0, m_sla_seconds, {}};
    draw_live_line();
}

void HumanReporter::tick() {
    const std::lock_guard<std::mutex> hold(m_lock);
    draw_live_line();
}

void HumanReporter::poll(const PollReport& poll) {
    const std::lock_guard<std::mutex> hold(m_lock);
    if (m_style.quiet) {
        return;
    }
    const std::string text = poll_text(poll);
    if (m_style.verbose) {
        clear_live_line();
        fmt::print(m_out, "{}      {}\n", paint(k_dim, timestamp()), text);
        std::fflush(m_out);
    }
    if (m_live) {
        m_live->poll = text;
    }
    draw_live_line();
}

void HumanReporter::stage_finished(const StageReport& stage) {
    const std::lock_guard<std::mutex> hold(m_lock);
    if (m_style.quiet && stage.status != StageStatus::failed) {
        return;
    }
    clear_live_line();
    // A fleet's hosts run a stage each at once: another host's line lives on.
    if (m_live && m_live->number == stage.number && m_live->name == stage.name) {
        m_live.reset();
    }
    const std::string status = paint(colour_for(stage.status), to_string(stage.status));
    std::string line = fmt::format("[{}/{}] {:<17} {:>6.1f}s  {}", stage.number, k_stage_count,
                                   stage.name, stage.seconds, status);
    if (!stage.detail.empty()) {
        line += "  " + stage.detail;
    }
    fmt::print(m_out, "{}{}\n", m_style.verbose ? paint(k_dim, timestamp()) : std::string(), line);
    std::fflush(m_out);
    draw_live_line();
}

void HumanReporter::info(const std::string& text) {
    const std::lock_guard<std::mutex> hold(m_lock);
    if (m_style.verbose) {
        clear_live_line();
        fmt::print(m_out, "{}      {}\n", paint(k_dim, timestamp()), text);
        std::fflush(m_out);
        draw_live_line();
    }
}

void HumanReporter::warning(const std::string& text) {
    const std::lock_guard<std::mutex> hold(m_lock);
    clear_live_line();
    fmt::print(m_out, "{} {}\n", paint(k_yellow, "warning:"), text);
    std::fflush(m_out);
    draw_live_line();
}

void HumanReporter::prompt(const std::string& question) {
    const std::lock_guard<std::mutex> hold(m_lock);
    // The question keeps the line: no redraw until the next stage starts.
    clear_live_line();
    m_live.reset();
    fmt::print(m_out, "{} ", paint(k_yellow, question));
    std::fflush(m_out);
}

void HumanReporter::result(const RunReport& report) {
    m_ticker.reset();
    const std::lock_guard<std::mutex> hold(m_lock);
    clear_live_line();
    m_live.reset();
    fmt::print(m_out, "\n{}",
               report.kind == RunKind::prepare ? render_prepare_summary(report)
                                               : render_summary(report));
    std::fflush(m_out);
}

} // namespace smo
