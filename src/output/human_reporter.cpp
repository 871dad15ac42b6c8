#include "output/human_reporter.hpp"

#include "smo/pipeline.hpp"
#include "smo/records/prepare_summary.hpp"
#include "smo/records/rollback_record.hpp"

#include <ctime>
#include <fmt/format.h>

namespace smo {

namespace {

const char* const k_green = "32";
const char* const k_yellow = "33";
const char* const k_red = "31";
const char* const k_dim = "2";

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
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    return fmt::format("{:02}:{:02}:{:02}.{:03} ", parts.tm_hour, parts.tm_min, parts.tm_sec,
                       millis);
}

} // namespace

HumanReporter::HumanReporter(std::FILE* out, Style style) : m_out(out), m_style(style) {}

std::string HumanReporter::paint(const char* colour_code, const std::string& text) const {
    if (!m_style.colour) {
        return text;
    }
    return fmt::format("\033[{}m{}\033[0m", colour_code, text);
}

void HumanReporter::start(const RunReport& report) {
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
}

void HumanReporter::stage_started(int number, const std::string& name) {
    if (m_style.quiet || !m_style.live_clock) {
        return;
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::steady_clock::now() - m_started)
                             .count();
    fmt::print(m_out, "[{}/{}] {} …  {}\r", number, k_stage_count, name,
               paint(k_dim, fmt::format("{}s / {}s", elapsed, m_sla_seconds)));
    std::fflush(m_out);
}

void HumanReporter::stage_finished(const StageReport& stage) {
    if (m_style.quiet && stage.status != StageStatus::failed) {
        return;
    }
    const std::string status = paint(colour_for(stage.status), to_string(stage.status));
    std::string line = fmt::format("[{}/{}] {:<17} {:>6.1f}s  {}", stage.number, k_stage_count,
                                   stage.name, stage.seconds, status);
    if (!stage.detail.empty()) {
        line += "  " + stage.detail;
    }
    // \033[K clears what the live clock left on the line.
    fmt::print(m_out, "{}{}{}\n", m_style.live_clock ? "\033[K" : "",
               m_style.verbose ? paint(k_dim, timestamp()) : std::string(), line);
    std::fflush(m_out);
}

void HumanReporter::info(const std::string& text) {
    if (m_style.verbose) {
        fmt::print(m_out, "{}      {}\n", paint(k_dim, timestamp()), text);
    }
}

void HumanReporter::warning(const std::string& text) {
    fmt::print(m_out, "{} {}\n", paint(k_yellow, "warning:"), text);
    std::fflush(m_out);
}

void HumanReporter::prompt(const std::string& question) {
    fmt::print(m_out, "{} ", paint(k_yellow, question));
    std::fflush(m_out);
}

void HumanReporter::result(const RunReport& report) {
    fmt::print(m_out, "\n{}",
               report.kind == RunKind::prepare ? render_prepare_summary(report)
                                               : render_summary(report));
    std::fflush(m_out);
}

} // namespace smo
