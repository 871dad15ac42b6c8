#pragma once

#include "smo/records/csv.hpp"
#include "smo/run_report.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

// docs/deploys/trend.csv (docs/records.md): one row per rollback and per drill, so
// that rollback times can be watched over quarters and drills can predict.
namespace smo {

inline constexpr std::string_view k_trend_header =
    "date,time_utc,project,env,kind,from_tag,to_tag,to_commit,outcome,exit_code,seconds,"
    "sla_seconds,within_sla,failed_stage,triggered_by,stage_seconds";

// One trend.csv row read back.
struct TrendRow {
    std::string date;
    std::string time_utc;
    std::string project;
    std::string env;
    std::string kind; // "rollback" or "drill"
    std::string from_tag;
    std::string to_tag;
    std::string to_commit;
    std::string outcome; // outcome_name(), e.g. "success"
    int exit_code = 0;
    double seconds = 0;
    int sla_seconds = 0;
    bool within_sla = false;
    std::string failed_stage;
    std::string triggered_by;
    std::map<int, double> stage_seconds; // stage number → seconds
};

// `s1:0.1;s2:0.4;…` for the stages 1–10 of the report (the log and alert
// stages are still running when the row is written).
std::string render_stage_seconds(const RunReport& report);

// `s1:0.1;s2:0.4` → {1: 0.1, 2: 0.4}; malformed items are skipped.
std::map<int, double> parse_stage_seconds(std::string_view text);

// The row for this run, with its line end ("\n"). A drill's row holds the
// predicted rollback time in `seconds` and `within_sla`, and its verdict in
// `outcome`/`exit_code` (drill_failed, 6, when drill_passed() says no).
std::string render_trend_row(const RunReport& report);

// Rows of a trend.csv text, matched to the header by column name so that a
// file with added columns still reads; rows with unreadable numbers are
// skipped. Text without our columns gives no rows.
std::vector<TrendRow> parse_trend(std::string_view text);

} // namespace smo
