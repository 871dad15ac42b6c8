// `smo-rollback list`: the releases a rollback could go back to (docs/usage.md).
#include "smo/release_list.hpp"

#include "offline_ports.hpp"
#include "smo/adapters/local_file_system.hpp"
#include "smo/adapters/process_local_git.hpp"
#include "smo/context.hpp"
#include "smo/health.hpp"
#include "smo/stages.hpp"
#include "smo/subcommands.hpp"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>

namespace smo {

namespace {

bool contains(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

// Did any event put `tag` live healthy?
bool ever_good(const History& history, const std::string& tag) {
    return std::any_of(history.events.begin(), history.events.end(), [&](const DeployEvent& e) {
        return e.tag == tag && e.successful &&
               (e.kind == EventKind::deploy || rollback_switched(e));
    });
}

std::string state_of(const History& history, const std::string& tag, const std::string& live,
                     const std::string& commit) {
    if (tag == live) {
        return "live";
    }
    if (contains(rolled_back_from(history), tag)) {
        return "rolled back from";
    }
    if (!ever_good(history, tag)) {
        return "failed";
    }
    if (commit.empty()) {
        return "skipped: tag not in the local repository (git fetch --tags)";
    }
    return "good";
}

// Stage 1 with offline ports: the live release as the records tell it, and
// the one a rollback would pick.
struct Choice {
    History history;
    std::string live;
    std::string chosen;
    std::string note;
    std::vector<std::string> warnings;
};

Choice choose_offline(const Options& options, const ProjectConfig& config, FileSystem& files,
                      LocalGit& git) {
    OfflinePorts offline;
    Context context{options, config, {}, offline.with(files, git), offline.clock.now(),
                    nullptr, {},     {}};
    const StageOutcome outcome = make_identify_previous_stage()->run(context);
    Choice choice;
    choice.history = context.state.history;
    choice.live = context.report.from_tag;
    choice.warnings = offline.reporter.warnings;
    if (outcome.status == StageStatus::ok) {
        choice.chosen = context.report.to_tag;
    } else {
        choice.note = outcome.detail;
    }
    return choice;
}

// The commit a host served after a fleet run, as its row says.
std::string commit_after(const RecordedHost& row) {
    if (!row.served_commit.empty()) {
        return row.served_commit;
    }
    if (row.outcome == k_host_switched || row.outcome == k_host_already) {
        return row.to_commit;
    }
    if (row.outcome == k_host_not_switched || row.outcome == k_host_not_reached ||
        row.outcome == k_host_checked) {
        return row.from_commit;
    }
    return {}; // failed part-way: the record does not say what it serves
}

bool runs(const HostRelease& known, const ListedRelease& release) {
    return known.tag.empty() ? commit_matches(known.commit, release.commit)
                             : known.tag == release.tag;
}

void name_hosts(const ProjectConfig& config, const History& history,
                std::vector<ListedRelease>& releases) {
    for (const auto& host : config.hosts) {
        const auto known = last_known_release(history, host.name);
        if (!known) {
            continue;
        }
        for (auto& release : releases) {
            if (runs(*known, release)) {
                release.hosts.push_back(host.name);
                break;
            }
        }
    }
}

} // namespace

std::optional<HostRelease> last_known_release(const History& history, const std::string& host) {
    for (auto it = history.events.rbegin(); it != history.events.rend(); ++it) {
        if (!it->hosts.empty()) {
            const auto row = std::find_if(it->hosts.begin(), it->hosts.end(),
                                          [&](const RecordedHost& r) { return r.name == host; });
            if (row == it->hosts.end()) {
                continue; // not in that fleet then: an older event may tell
            }
            const std::string commit = commit_after(*row);
            if (commit.empty()) {
                return std::nullopt;
            }
            return HostRelease{{}, commit};
        }
        if (!it->tag.empty() && it->successful &&
            (it->kind == EventKind::deploy || rollback_switched(*it))) {
            return HostRelease{it->tag, it->commit};
        }
    }
    return std::nullopt;
}

ReleaseList list_releases(const Options& options, const ProjectConfig& config, FileSystem& files,
                          LocalGit& git) {
    Choice choice = choose_offline(options, config, files, git);
    ReleaseList list;
    list.project = config.project;
    list.env = config.env.name;
    list.choice_note = choice.note;
    list.warnings = choice.warnings;
    const auto& events = choice.history.events;
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        if (it->tag.empty() || (it->kind == EventKind::rollback && !rollback_switched(*it))) {
            continue;
        }
        const bool listed = std::any_of(list.releases.begin(), list.releases.end(),
                                        [&](const ListedRelease& r) { return r.tag == it->tag; });
        if (listed) {
            continue;
        }
        const std::string local = git.resolve_commit(it->tag).value_or("");
        ListedRelease release;
        release.tag = it->tag;
        release.commit = local.empty() ? it->commit : local;
        release.date = it->date;
        release.state = state_of(choice.history, it->tag, choice.live, local);
        release.chosen = it->tag == choice.chosen;
        list.releases.push_back(std::move(release));
    }
    list.fleet = !config.hosts.empty();
    name_hosts(config, choice.history, list.releases);
    return list;
}

std::string render_release_list(const ReleaseList& list) {
    std::string out = fmt::format("Releases of {} on {}, newest first:\n", list.project, list.env);
    std::size_t width = 3;
    for (const auto& release : list.releases) {
        width = std::max(width, release.tag.size());
    }
    for (const auto& release : list.releases) {
        std::string hosts;
        for (const auto& host : release.hosts) {
            hosts += (hosts.empty() ? "  hosts: " : ", ") + host;
        }
        out += fmt::format("{} {:<{}}  {:<7}  {:<10}  {}{}{}\n", release.chosen ? "→" : " ",
                           release.tag, width, release.commit.substr(0, 7), release.date,
                           release.state, hosts,
                           release.chosen ? "  ← a rollback would go back to this one" : "");
    }
    if (list.releases.empty()) {
        out += "  (no deploy records)\n";
    }
    if (!list.choice_note.empty()) {
        out += "No release to go back to: " + list.choice_note + "\n";
    }
    return out;
}

nlohmann::json release_list_json(const ReleaseList& list) {
    nlohmann::json releases = nlohmann::json::array();
    for (const auto& release : list.releases) {
        releases.push_back({{"tag", release.tag},
                            {"commit", release.commit},
                            {"date", release.date},
                            {"state", release.state},
                            {"chosen", release.chosen}});
        if (list.fleet) {
            releases.back()["hosts"] = release.hosts;
        }
    }
    return {{"releases", releases}};
}

int run_list(const Options& options, const ProjectConfig& config, LocalFileSystem& files) {
    ProcessLocalGit git(config.project_dir.string());
    const ReleaseList list = list_releases(options, config, files, git);
    for (const auto& warning : list.warnings) {
        std::fprintf(stderr, "warning: %s\n", warning.c_str());
    }
    if (options.json) {
        const std::string line =
            release_list_json(list).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        std::printf("%s\n", line.c_str());
    } else {
        std::fputs(render_release_list(list).c_str(), stdout);
    }
    return 0;
}

} // namespace smo
