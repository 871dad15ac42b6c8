#pragma once

#include "smo/config.hpp"
#include "smo/options.hpp"
#include "smo/records/history.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

// `smo-rollback list` (docs/usage.md): the environment's releases from the
// records and the local repository, newest first, and the one a rollback
// would pick. Offline: the choice is stage 1's own, run with ports that
// refuse the network.
namespace smo {

class FileSystem;
class LocalGit;

struct ListedRelease {
    std::string tag;
    std::string commit;  // full, from the local repository (else the records), may be empty
    std::string date;    // YYYY-MM-DD of its newest event
    std::string state;   // live | good | rolled back from | failed | skipped: <why>
    bool chosen = false; // what a rollback would go back to now
    // A fleet's hosts last known to run it: the newest fleet record's "## Hosts"
    // row naming the host, else the newest successful event without one.
    std::vector<std::string> hosts;
};

struct ReleaseList {
    std::string project;
    std::string env;
    bool fleet = false;                  // the environment has `hosts`
    std::vector<ListedRelease> releases; // newest first
    std::string choice_note;             // why nothing is chosen, when nothing is
    std::vector<std::string> warnings;   // skipped record files
};

ReleaseList list_releases(const Options& options, const ProjectConfig& config, FileSystem& files,
                          LocalGit& git);

// The operator's table; ends with a newline.
std::string render_release_list(const ReleaseList& list);

// What `host` ran after the newest event that tells (the records only):
// a tag (an event without a hosts table) or a commit (a fleet record's row);
// nullopt when the records do not say.
struct HostRelease {
    std::string tag;
    std::string commit;
};
std::optional<HostRelease> last_known_release(const History& history, const std::string& host);

// {"releases": [{"tag", "commit", "date", "state", "chosen"}...]}; on a fleet
// each release also has "hosts": [name...].
nlohmann::json release_list_json(const ReleaseList& list);

} // namespace smo
