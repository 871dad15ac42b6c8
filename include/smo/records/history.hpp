#pragma once

#include "smo/records/deploy_record.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The events of one environment in time order, and the choice of the tag to
// roll back to (docs/records.md).
namespace smo {

struct History {
    std::vector<DeployEvent> events; // oldest first
    std::vector<RecordProblem> problems;
};

// Semver-ish order of two tags: <0, 0, >0. Digit runs compare as numbers
// (v1.10.0 > v1.9.0), other runs as text; v1.0.0-rc1 < v1.0.0.
int compare_versions(std::string_view a, std::string_view b);

// Keeps events of `env` (and events that name no env), sorted by date, then
// deployed_at, then (same day, no times) deploys before rollbacks, then version
// order of the tag, then file name.
History build_history(std::vector<DeployEvent> events, std::vector<RecordProblem> problems,
                      const std::string& env);

// Reads every *.md of `deploys_dir` (through the files port) into a history.
class FileSystem;
History load_history(FileSystem& files, const std::string& deploys_dir, const std::string& env);

struct Release {
    std::string tag;
    std::string commit; // may be empty when the records do not say
};

// The event that put `running_commit` live (prefix match, 7+ chars), newest
// first; when running_commit is empty, the newest successful event.
std::optional<Release> find_current(const History& history, const std::string& running_commit);

// Newest tag successfully deployed (or rolled back to) before `current_tag`
// that was never rolled back from and is not current_tag itself. `usable`,
// when set, may refuse a candidate (a tag that does not resolve in the local
// repository: meeting notes named like a record); the next one is taken.
std::optional<Release>
find_previous(const History& history, const std::string& current_tag,
              const std::function<bool(const DeployEvent&)>& usable = nullptr);

// Tags that some rollback left (known bad).
std::vector<std::string> rolled_back_from(const History& history);

} // namespace smo
