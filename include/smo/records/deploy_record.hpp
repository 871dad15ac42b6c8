#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

// One file of docs/deploys/ read as an event of the history (docs/records.md). Parsers
// are pure functions from text to values so that they can be fuzzed.
namespace smo {

enum class EventKind { deploy, rollback };

// One row of a fleet record's "## Hosts" table (docs/records.md), as read
// back: commits are short (7 hex) or empty when the record says "unknown".
struct RecordedHost {
    std::string name;
    std::string from_commit;
    std::string to_commit;
    std::string outcome;
    std::string served_commit;
};

struct DeployEvent {
    EventKind kind = EventKind::deploy;
    std::string file;                // file name within docs/deploys/
    std::string date;                // YYYY-MM-DD (front matter, else the file name)
    std::string deployed_at;         // ISO-8601 when known, else empty
    std::string env;                 // empty when the record does not say
    std::string tag;                 // deploy: the tag deployed; rollback: the tag rolled back TO
    std::string from_tag;            // rollback only: the tag rolled back FROM (known bad)
    std::string commit;              // deploy: its commit; rollback: the to-commit; may be empty
    bool successful = true;          // deploy went live healthy / rollback ended healthy
    std::string outcome;             // rollback only: "success", "sev1", "halted", ... or empty
    std::vector<RecordedHost> hosts; // a fleet record's "## Hosts" rows; empty for one host
};

// Did this rollback change what the target runs? success and sev1 did (the
// to-tag went live), so their from_tag is known bad; halted, failed,
// interrupted did not or may not have. A rollback record that does not say
// (file name only) counts as switched: the safe side when choosing a target.
bool rollback_switched(const DeployEvent& event);

struct RecordProblem {
    std::string file;
    std::string reason;
};

// Front matter first, then `**Key:** value` lines, then the file name. A tag
// that is not a valid git ref name is a problem, never an event.
std::variant<DeployEvent, RecordProblem> parse_deploy_record(std::string_view file_name,
                                                             std::string_view text);

} // namespace smo
