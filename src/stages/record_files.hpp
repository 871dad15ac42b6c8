#pragma once

#include "smo/context.hpp"

#include <string>
#include <string_view>

// Where stages 11 and 12 keep the audit trail, and the few file moves they
// share. Paths are relative to the project directory (docs/records.md).
namespace smo::stages {

inline constexpr std::string_view k_deploys_dir = "docs/deploys";
inline constexpr std::string_view k_incidents_dir = "docs/incidents";
inline constexpr std::string_view k_trend_file = "docs/deploys/trend.csv";
inline constexpr std::string_view k_sla_breach_file = "docs/incidents/sla-breaches.csv";
inline constexpr std::string_view k_drill_log_file = "docs/drill-log.md";

// <project_dir>/<relative>.
std::string in_project(const Context& context, std::string_view relative);

// Appends `rows` (whole lines) to the CSV at `path`, preceded by `header` when
// the file is new or blank, and by a line break when its last line lacks one.
// Throws FileError.
void append_csv_rows(FileSystem& files, const std::string& path, std::string_view header,
                     const std::string& rows);

// What stage 11 needs that an earlier stage may not have set (a run that
// stopped at stage 1, a pipeline that left a field empty): the date and start
// time from the clock, the seconds so far, who triggered it, the post-mortem.
void fill_record_defaults(Context& context);

// The report as it will read once the running stage (12) has finished with
// `outcome`: the record and drill log are re-rendered from this copy.
RunReport with_stage(const RunReport& report, int number, std::string_view name, StageStatus status,
                     double seconds, const std::string& detail);

} // namespace smo::stages
