#include "smo/records/render_util.hpp"

#include "smo/stage_table.hpp"

#include <cmath>
#include <fmt/format.h>

namespace smo {

std::string format_seconds(double seconds) {
    return fmt::format("{:.1f}", seconds);
}

long whole_seconds(double seconds) {
    return static_cast<long>(std::ceil(seconds));
}

std::string time_of_day(std::string_view iso_utc) {
    const size_t t = iso_utc.find('T');
    if (t == std::string_view::npos || iso_utc.size() < t + 9) {
        return {};
    }
    return std::string(iso_utc.substr(t + 1, 8));
}

std::string yaml_quote(std::string_view value) {
    std::string quoted = "\"";
    for (unsigned char c : value) {
        switch (c) {
        case '"':
            quoted += "\\\"";
            break;
        case '\\':
            quoted += "\\\\";
            break;
        case '\n':
            quoted += "\\n";
            break;
        case '\r':
            quoted += "\\r";
            break;
        case '\t':
            quoted += "\\t";
            break;
        default:
            if (text::is_control(static_cast<char>(c))) {
                quoted += fmt::format("\\x{:02x}", c);
            } else {
                quoted += static_cast<char>(c);
            }
        }
    }
    quoted += '"';
    return quoted;
}

std::string one_line(std::string_view text) {
    std::string line;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t') {
            line += ' ';
        } else if (!smo::text::is_control(c)) {
            line += c;
        }
    }
    return line;
}

RunReport flattened(const RunReport& report) {
    RunReport flat = report;
    for (std::string* field : {&flat.project,
                               &flat.env,
                               &flat.target_label,
                               &flat.started_at_utc,
                               &flat.date,
                               &flat.from_tag,
                               &flat.from_commit,
                               &flat.to_tag,
                               &flat.to_commit,
                               &flat.failed_stage,
                               &flat.failure_reason,
                               &flat.triggered_by,
                               &flat.incident,
                               &flat.health_summary,
                               &flat.target_state,
                               &flat.log_path,
                               &flat.telegram_result,
                               &flat.prediction_basis,
                               &flat.live.tag,
                               &flat.live.commit,
                               &flat.live.served_commit,
                               &flat.live.health,
                               &flat.next}) {
        *field = one_line(*field);
    }
    for (auto& warning : flat.warnings) {
        warning = one_line(warning);
    }
    for (auto& stage : flat.stages) {
        stage.name = one_line(stage.name);
        stage.detail = one_line(stage.detail);
    }
    return flat;
}

std::string markdown_cell(std::string_view value) {
    std::string cell;
    for (char c : one_line(value)) {
        if (c == '|') {
            cell += "\\|";
        } else {
            cell += c;
        }
    }
    return cell;
}

std::string tag_or_unknown(std::string_view tag) {
    return tag.empty() ? std::string("(unknown)") : std::string(tag);
}

const StageReport* find_stage(const RunReport& report, int number) {
    for (const auto& stage : report.stages) {
        if (stage.number == number) {
            return &stage;
        }
    }
    return nullptr;
}

bool never_ran(const StageReport& stage) {
    return stage.status == StageStatus::skipped && stage.detail == "not run";
}

StageReport stage_row(const RunReport& report, int number) {
    const StageReport* stage = find_stage(report, number);
    if (stage != nullptr && !never_ran(*stage)) {
        return *stage;
    }
    StageReport row;
    row.number = number;
    row.name = stage != nullptr ? stage->name : std::string(stage_name(number));
    row.seconds = -1;
    if (stage != nullptr) {
        row.detail = "not run";
    } else if (number == stage_number("log")) {
        row.status = StageStatus::running;
        row.detail = "writing this record";
    } else if (number == stage_number("telegram") && report.telegram_result.empty()) {
        row.status = StageStatus::running;
        row.detail = "pending";
    } else if (number == stage_number("telegram")) {
        const bool sent = report.telegram_result.starts_with("sent");
        row.status = sent ? StageStatus::ok : StageStatus::skipped;
        row.detail = report.telegram_result;
    } else {
        row.detail = "not run";
    }
    return row;
}

std::string render_stage_table(const RunReport& report, std::string_view stage_column,
                               std::string_view status_column) {
    std::string out = fmt::format("| # | {} | {} | seconds | detail |\n|---:|---|---|---:|---|\n",
                                  stage_column, status_column);
    for (int number = 1; number <= k_stage_count; ++number) {
        const StageReport row = stage_row(report, number);
        const bool ran = row.seconds >= 0;
        out += fmt::format("| {} | {} | {} | {} | {} |\n", number, row.name,
                           ran || number >= k_first_always_stage ? to_string(row.status) : "—",
                           ran ? format_seconds(row.seconds) : "—", markdown_cell(row.detail));
    }
    return out;
}

const StageReport* slowest_stage(const RunReport& report) {
    const StageReport* slowest = nullptr;
    for (const auto& stage : report.stages) {
        if (slowest == nullptr || stage.seconds > slowest->seconds) {
            slowest = &stage;
        }
    }
    return slowest;
}

std::string target_line(const RunReport& report) {
    if (report.target_label.empty()) {
        return report.env;
    }
    return report.env + " (" + report.target_label + ")";
}

} // namespace smo
