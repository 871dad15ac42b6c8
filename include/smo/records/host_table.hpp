#pragma once

#include "smo/records/deploy_record.hpp"
#include "smo/run_report.hpp"

#include <string>
#include <string_view>
#include <vector>

// A fleet's hosts in the record and the alert (docs/records.md). Pure
// functions of the report; all empty for a run on one host.
namespace smo {

// Hosts left on the to-release (switched, or already there and verified).
int hosts_on_to_release(const RunReport& report);

// "2/2 hosts"; empty for one host.
std::string hosts_fraction(const RunReport& report);

// A markdown table: host, from, to, outcome, seconds, served commit, detail;
// empty for one host.
std::string render_host_table(const RunReport& report);

// The record's "## Hosts" section around that table; empty for one host.
std::string render_host_section(const RunReport& report);

// The rows of the first "## Hosts" section of a record's text, the reverse of
// render_host_section: cells unescaped, commits checked as hex (else empty),
// rows with control characters or the wrong number of cells dropped, at most
// 64 rows. Empty when the record has no such section.
std::vector<RecordedHost> parse_host_section(std::string_view record);

// "web-1 switched; web-2 failed at build (exit 1: ...)" on one line; empty for one host.
std::string hosts_line(const RunReport& report);

} // namespace smo
