#include "smo/records/trend.hpp"

#include "smo/drill_rules.hpp"
#include "smo/records/prediction.hpp"
#include "smo/records/render_util.hpp"

#include <charconv>
#include <fmt/format.h>
#include <optional>

namespace smo {

std::string render_stage_seconds(const RunReport& report) {
    std::string out;
    for (const auto& stage : report.stages) {
        if (stage.number < 1 || stage.number > 10 || never_ran(stage)) {
            continue;
        }
        if (!out.empty()) {
            out += ';';
        }
        out += fmt::format("s{}:{}", stage.number, format_seconds(stage.seconds));
    }
    return out;
}

namespace {

std::optional<double> to_double(std::string_view text) {
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<int> to_int_value(std::string_view text) {
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

std::map<int, double> parse_stage_seconds(std::string_view text) {
    std::map<int, double> seconds;
    while (!text.empty()) {
        const size_t end = text.find(';');
        const std::string_view item = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        const size_t colon = item.find(':');
        if (item.size() < 2 || item.front() != 's' || colon == std::string_view::npos) {
            continue;
        }
        auto number = to_int_value(item.substr(1, colon - 1));
        auto value = to_double(item.substr(colon + 1));
        if (number && value) {
            seconds[*number] = *value;
        }
    }
    return seconds;
}

namespace {

// A drill's row carries what a drill is for: the predicted rollback time and
// its verdict, so that the quarterly trend of "could we meet the SLA?" reads
// from the same columns as real rollbacks. Its stage_seconds are measured.
struct RowFacts {
    std::string outcome;
    int exit_code;
    double seconds;
    bool within_sla;
};

RowFacts facts_of(const RunReport& report) {
    if (report.kind == RunKind::rollback) {
        return {outcome_of(report), to_int(report.exit_code), report.seconds, report.within_sla()};
    }
    ExitCode code = report.exit_code;
    if (code == ExitCode::success && !drill_passed(report)) {
        code = ExitCode::drill_failed;
    }
    return {outcome_name(code), to_int(code), report.predicted_seconds,
            report.predicted_seconds <= report.sla_seconds};
}

} // namespace

std::string render_trend_row(const RunReport& report) {
    const RowFacts facts = facts_of(report);
    const CsvRow fields{report.date,
                        time_of_day(report.started_at_utc),
                        report.project,
                        report.env,
                        report.kind == RunKind::drill ? "drill" : "rollback",
                        report.from_tag,
                        report.to_tag,
                        report.to_commit,
                        facts.outcome,
                        std::to_string(facts.exit_code),
                        format_seconds(facts.seconds),
                        std::to_string(report.sla_seconds),
                        facts.within_sla ? "true" : "false",
                        report.failed_stage,
                        report.triggered_by,
                        render_stage_seconds(report)};
    return csv_join(fields) + "\n";
}

namespace {

// Column name → index in the file's header.
class Columns {
  public:
    explicit Columns(const CsvRow& header) : m_header(header) {}

    std::string get(const CsvRow& row, std::string_view name) const {
        for (size_t i = 0; i < m_header.size() && i < row.size(); ++i) {
            if (m_header[i] == name) {
                return row[i];
            }
        }
        return {};
    }

  private:
    const CsvRow& m_header;
};

std::optional<TrendRow> read_row(const Columns& columns, const CsvRow& row) {
    TrendRow trend;
    trend.date = columns.get(row, "date");
    trend.time_utc = columns.get(row, "time_utc");
    trend.project = columns.get(row, "project");
    trend.env = columns.get(row, "env");
    trend.kind = columns.get(row, "kind");
    trend.from_tag = columns.get(row, "from_tag");
    trend.to_tag = columns.get(row, "to_tag");
    trend.to_commit = columns.get(row, "to_commit");
    trend.outcome = columns.get(row, "outcome");
    trend.failed_stage = columns.get(row, "failed_stage");
    trend.triggered_by = columns.get(row, "triggered_by");
    trend.within_sla = columns.get(row, "within_sla") == "true";
    trend.stage_seconds = parse_stage_seconds(columns.get(row, "stage_seconds"));
    auto exit_code = to_int_value(columns.get(row, "exit_code"));
    auto seconds = to_double(columns.get(row, "seconds"));
    auto sla = to_int_value(columns.get(row, "sla_seconds"));
    if (!exit_code || !seconds || !sla || trend.kind.empty()) {
        return std::nullopt;
    }
    trend.exit_code = *exit_code;
    trend.seconds = *seconds;
    trend.sla_seconds = *sla;
    return trend;
}

} // namespace

std::vector<TrendRow> parse_trend(std::string_view text) {
    std::vector<TrendRow> rows;
    const auto records = parse_csv(text);
    if (records.empty()) {
        return rows;
    }
    const Columns columns(records.front());
    for (size_t i = 1; i < records.size(); ++i) {
        if (auto row = read_row(columns, records[i])) {
            rows.push_back(std::move(*row));
        }
    }
    return rows;
}

} // namespace smo
