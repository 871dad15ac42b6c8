#pragma once

#include "smo/run_report.hpp"

#include <optional>
#include <string>
#include <string_view>

// docs/incidents/sla-breaches.csv (docs/records.md): a row when a rollback ends over
// its SLA. Other tools write the same file, so its header is theirs to keep.
namespace smo {

inline constexpr std::string_view k_sla_breach_header =
    "date,time_utc,source,project,env,from_tag,to_tag,sla_seconds,seconds,over_seconds,"
    "slowest_stage,log";

// A rollback (never a drill) whose seconds exceed its SLA, whatever its outcome.
bool is_sla_breach(const RunReport& report);

// What to append to the file whose current content is `existing` (nullopt when
// the file does not exist): our header and the row for a new or empty file;
// for a file with our header, the row; for a file with another header, a row
// with the columns it has filled by name (ours it lacks are left out, its own
// we do not know stay empty). The existing bytes are never rewritten: a file
// that does not end in a line break gets one first, and the row uses the
// file's own line ending (CRLF or LF).
std::string sla_breach_append(const RunReport& report, const std::optional<std::string>& existing);

} // namespace smo
