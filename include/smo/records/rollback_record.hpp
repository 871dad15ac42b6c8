#pragma once

#include "smo/run_report.hpp"

#include <string>

// The rollback record docs/deploys/YYYY-MM-DD-rollback-{from}-to-{to}.md
// (docs/records.md) and the final summary of docs/usage.md. Pure functions of the report.
namespace smo {

// The summary block printed at the end of a run and embedded in the record:
// headline (✅ / ⛔ / 🚨 / ❌ / ⏹, or the drill verdict), then `Key: value`
// lines, ending with "Next: …". Ends with a newline.
std::string render_summary(const RunReport& report);

// What production runs now, as last seen: "v1.2.0 (abc1234) — NOT healthy: 500
// (status "error")", or "unknown (the target was not reached)".
std::string live_line(const RunReport& report);

// The summary's one concrete next step (the exact command where there is one);
// also the `result` event's `next`. report.next wins when a stage set it.
std::string next_step(const RunReport& report);

// YAML front matter that the history parser reads back (kind: rollback,
// tag/commit = the to-release, deployed_at = started_at), then the human
// account: summary, the twelve stages with seconds, the SLA verdict, the
// post-mortem reference, the target's state, warnings and the Telegram result.
// Every value that comes from records, config or the command line is quoted.
std::string render_rollback_record(const RunReport& report);

} // namespace smo
