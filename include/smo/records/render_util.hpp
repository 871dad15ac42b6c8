#pragma once

#include "smo/run_report.hpp"
#include "smo/text.hpp"

#include <array>
#include <string>
#include <string_view>

// Small formatting rules shared by the record, trend, drill-log and alert
// renderers, so that a number or a name reads the same everywhere.
namespace smo {

// One decimal: "74.2".
std::string format_seconds(double seconds);

// Whole seconds rounded UP, so a time is never reported under its SLA when
// within_sla() says it is over: 90.2 s against 90 s reads "91s", breached by 1s.
long whole_seconds(double seconds);

using text::short_commit;

// "HH:MM:SS" of an ISO-8601 "YYYY-MM-DDTHH:MM:SSZ" (empty when it has none).
std::string time_of_day(std::string_view iso_utc);

// A YAML double-quoted scalar: values come from records and config, so any
// character (colon, quote, newline, '#') must survive a round trip.
std::string yaml_quote(std::string_view value);

// Free text on one line: CR, LF and tabs become spaces, other control
// characters are dropped (a value from the command line or a remote error
// must not forge lines in a record or a summary).
std::string one_line(std::string_view text);

// The report with one_line() applied to every text field: what the human
// renderers (summary, record body, drill log, alert) work from.
RunReport flattened(const RunReport& report);

// A markdown table cell: '|' escaped, line breaks flattened.
std::string markdown_cell(std::string_view value);

// The tag, or "(unknown)" when stage 1 never learned it.
std::string tag_or_unknown(std::string_view tag);

// The report's stage `number` (1..12), or nullptr when it did not run.
const StageReport* find_stage(const RunReport& report, int number);

// The pipeline's placeholder for a stage after a failure (skipped, "not
// run"): shown as not reached, never counted as 0 seconds of work.
bool never_ran(const StageReport& stage);

// The row of stage `number` for a record's stage table: the report's stage,
// or for one that did not run a row with seconds -1 and detail "not run".
// Stage 11 writes the record and stage 12 re-writes it, so when missing, 11
// reads "running: writing this record" and 12 "pending" or the Telegram result.
StageReport stage_row(const RunReport& report, int number);

// A markdown table of the twelve stages: #, name, status, seconds, detail,
// headed with the given column titles ("stage"/"status", "check"/"result").
std::string render_stage_table(const RunReport& report, std::string_view stage_column,
                               std::string_view status_column);

// The stage that took longest (nullptr when none ran).
const StageReport* slowest_stage(const RunReport& report);

// "production (eo-prod)".
std::string target_line(const RunReport& report);

} // namespace smo
