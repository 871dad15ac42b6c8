#include "smo/records/sla_breach.hpp"

#include "smo/records/csv.hpp"
#include "smo/records/render_util.hpp"

#include <map>

namespace smo {

bool is_sla_breach(const RunReport& report) {
    return report.kind == RunKind::rollback && !report.within_sla();
}

namespace {

std::map<std::string, std::string, std::less<>> breach_values(const RunReport& report) {
    const StageReport* slowest = slowest_stage(report);
    return {{"date", report.date},
            {"time_utc", time_of_day(report.started_at_utc)},
            {"source", "smo-rollback"},
            {"project", report.project},
            {"env", report.env},
            {"from_tag", report.from_tag},
            {"to_tag", report.to_tag},
            {"sla_seconds", std::to_string(report.sla_seconds)},
            {"seconds", format_seconds(report.seconds)},
            {"over_seconds", format_seconds(report.seconds - report.sla_seconds)},
            {"slowest_stage", slowest == nullptr ? std::string() : slowest->name},
            {"log", report.log_path}};
}

// Header names are compared trimmed: spreadsheets like to pad them.
std::string trimmed(std::string_view text) {
    const size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const size_t last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

} // namespace

std::string sla_breach_append(const RunReport& report, const std::optional<std::string>& existing) {
    const auto values = breach_values(report);
    const CsvRow header = existing ? parse_csv_line(*existing) : CsvRow{};
    if (header.empty()) {
        CsvRow ours;
        CsvRow row;
        for (const auto& column : parse_csv_line(k_sla_breach_header)) {
            ours.push_back(column);
            row.push_back(values.at(column));
        }
        // An empty or blank existing file: our header first.
        return csv_join(ours) + "\n" + csv_join(row) + "\n";
    }
    const bool crlf = existing->find("\r\n") != std::string::npos;
    const std::string line_end = crlf ? "\r\n" : "\n";
    CsvRow row;
    for (const auto& column : header) {
        auto found = values.find(trimmed(column));
        row.push_back(found == values.end() ? std::string() : found->second);
    }
    std::string out;
    if (!existing->empty() && existing->back() != '\n') {
        out += line_end;
    }
    return out + csv_join(row) + line_end;
}

} // namespace smo
