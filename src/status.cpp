// `smo-rollback status`: what runs now (docs/usage.md).
#include "smo/status.hpp"

#include "smo/adapters/curl_http_client.hpp"
#include "smo/adapters/libssh2_remote_shell.hpp"
#include "smo/adapters/local_file_system.hpp"
#include "smo/adapters/process_local_git.hpp"
#include "smo/context.hpp"
#include "smo/errors.hpp"
#include "smo/health.hpp"
#include "smo/ports/local_git.hpp"
#include "smo/ports/remote_shell.hpp"
#include "smo/records/history.hpp"
#include "smo/ref_name.hpp"
#include "smo/remote/standby.hpp"
#include "smo/remote/status_probe.hpp"
#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"
#include "smo/subcommands.hpp"

#include <cstdio>
#include <fmt/format.h>

namespace smo {

namespace {

constexpr std::chrono::seconds k_health_timeout{5};
constexpr std::chrono::seconds k_probe_timeout{30};

nlohmann::json nullable(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

std::optional<nlohmann::json> last_rollback(const History& history) {
    for (auto it = history.events.rbegin(); it != history.events.rend(); ++it) {
        if (it->kind == EventKind::rollback) {
            return nlohmann::json{{"from", nullable(it->from_tag)},
                                  {"to", nullable(it->tag)},
                                  {"date", it->date},
                                  {"outcome", nullable(it->outcome)},
                                  {"record", "docs/deploys/" + it->file}};
        }
    }
    return std::nullopt;
}

// The records' name for the live commit, else a local tag at it.
std::string tag_of(const History& history, LocalGit& git, const std::string& commit) {
    if (commit.empty()) {
        return {};
    }
    if (const auto current = find_current(history, commit); current && !current->tag.empty()) {
        return current->tag;
    }
    for (const auto& tag : git.tags_at(commit)) {
        if (is_valid_tag_name(tag)) {
            return tag;
        }
    }
    return {};
}

nlohmann::json prepared_json(const std::optional<standby::Manifest>& manifest) {
    if (!manifest) {
        return nullptr;
    }
    return {{"tag", nullable(manifest->to_tag)},
            {"commit", manifest->to_commit},
            {"built_at", nullable(manifest->built_at)}};
}

nlohmann::json journal_json(const std::optional<journal::Journal>& journal) {
    if (!journal) {
        return nullptr;
    }
    return {{"from", nullable(journal->from_tag)},
            {"from_commit", journal->from_commit},
            {"to", nullable(journal->to_tag)},
            {"to_commit", journal->to_commit},
            {"opened_at", nullable(journal->opened_at)},
            {"holder", nullable(journal->holder)},
            {"steps_done", journal->done},
            {"result", nullable(journal->result)}};
}

void apply_probe(LiveStatus& status, const remote::StatusProbe& probe) {
    status.live_commit = probe.head;
    if (probe.status_ok) {
        status.tree_clean = probe.changes.empty();
        status.changes = probe.changes;
    }
    status.pm2_found = probe.pm2.found;
    status.pm2_status = probe.pm2.found ? probe.pm2.status : std::string("not found");
    status.pm2_restarts = probe.pm2.restarts;
    if (probe.pm2.status == "online" && probe.pm2.started_ms > 0 && probe.now_ms > 0) {
        status.pm2_uptime_seconds = (probe.now_ms - probe.pm2.started_ms) / 1000;
    }
    status.locked = probe.locked;
    if (probe.locked) {
        status.lock_holder =
            probe.lock.holder.user + "@" + probe.lock.holder.host + " pid " + probe.lock.holder.pid;
        status.lock_since = probe.lock.holder.time;
        status.lock_age_seconds = probe.lock.age_seconds;
    }
}

} // namespace

LiveStatus read_live_status(const ProjectConfig& config, const SshTarget& target,
                            RemoteShell& shell, HttpClient& http, LocalGit& git,
                            FileSystem& files) {
    LiveStatus status;
    status.project = config.project;
    status.env = config.env.name;
    status.target_label = target.label;
    const History history =
        load_history(files, (config.project_dir / "docs" / "deploys").string(), config.env.name);
    status.last_rollback = last_rollback(history);
    const HealthReading reading = read_health(http, config.env.health_url, k_health_timeout);
    status.served_commit = reading.commit;
    try {
        shell.connect(target);
        const RemotePaths paths = remote_paths_for(config.env.path, "", "");
        // One round trip: the work area first (the probe ends with pm2's JSON).
        const CommandResult result =
            shell.run(remote::standby_and_journal(paths) + "\n" + remote::status_probe(paths),
                      k_probe_timeout);
        apply_probe(status, remote::parse_status_probe(result.out, config.env.pm2_name));
        auto found = remote::parse_standby_and_journal(result.out);
        status.prepared = std::move(found.standby);
        if (found.journal.open()) {
            status.journal = std::move(found.journal);
        }
        shell.disconnect();
    } catch (const TransportError& error) {
        status.unreachable = error.what();
    }
    const std::string& expected =
        status.live_commit.empty() ? status.served_commit : status.live_commit;
    status.health = describe_health(reading, expected);
    status.healthy = !expected.empty() && is_healthy(reading, expected);
    status.live_tag = tag_of(history, git, expected);
    return status;
}

std::string render_live_status(const LiveStatus& s) {
    auto or_unknown = [](const std::string& text) { return text.empty() ? "unknown" : text; };
    std::string out = fmt::format("{} on {} ({})\n", s.project, s.env, s.target_label);
    out += fmt::format("Live:        {} ({}){}\n", or_unknown(s.live_tag),
                       or_unknown(s.live_commit.substr(0, 7)),
                       s.unreachable.empty() ? "" : " — target not reached: " + s.unreachable);
    out += fmt::format("Serving:     {} — {}\n", or_unknown(s.served_commit.substr(0, 7)),
                       s.healthy ? "healthy" : "NOT healthy");
    out += "Health:      " + s.health + "\n";
    if (s.tree_clean) {
        out += std::string("Live tree:   ") +
               (*s.tree_clean ? "clean" : fmt::format("{} local change(s)", s.changes.size())) +
               "\n";
    }
    if (s.unreachable.empty()) {
        out += fmt::format("PM2:         {}, {} restart(s){}\n", s.pm2_status, s.pm2_restarts,
                           s.pm2_uptime_seconds ? fmt::format(", up {}s", *s.pm2_uptime_seconds)
                                                : std::string());
        out += "Lock:        " +
               (s.locked ? fmt::format("held by {} since {}", s.lock_holder, s.lock_since)
                         : std::string("free")) +
               "\n";
    }
    if (s.prepared) {
        out += fmt::format("Prepared:    {} ({}), built {} by {}: a rollback to it is a switch\n",
                           or_unknown(s.prepared->to_tag), s.prepared->to_commit.substr(0, 7),
                           or_unknown(s.prepared->built_at), or_unknown(s.prepared->built_by));
    } else if (s.unreachable.empty()) {
        out += "Prepared:    none (smo-rollback prepare builds one)\n";
    }
    if (s.journal) {
        out += fmt::format("Unfinished:  rollback {} → {} journaled {} ({} step(s) done): the "
                           "next smo-rollback finishes it\n",
                           or_unknown(s.journal->from_tag), or_unknown(s.journal->to_tag),
                           or_unknown(s.journal->opened_at), s.journal->done.size());
    }
    return out + last_rollback_line(s.last_rollback);
}

std::string last_rollback_line(const std::optional<nlohmann::json>& last_rollback) {
    if (!last_rollback) {
        return "Last rollback: none in the records\n";
    }
    const auto& r = *last_rollback;
    return fmt::format("Last rollback: {} → {} on {} ({}), {}\n", r["from"].dump(), r["to"].dump(),
                       r["date"].get<std::string>(), r["outcome"].dump(),
                       r["record"].get<std::string>());
}

nlohmann::json live_status_json(const LiveStatus& s) {
    nlohmann::json pm2 = nullptr;
    nlohmann::json lock = nullptr;
    nlohmann::json tree_clean = nullptr;
    if (s.unreachable.empty()) {
        pm2 = {{"status", s.pm2_status},
               {"restarts", s.pm2_restarts},
               {"uptime_seconds", s.pm2_uptime_seconds ? nlohmann::json(*s.pm2_uptime_seconds)
                                                       : nlohmann::json(nullptr)}};
        if (s.locked) {
            lock = {{"holder", s.lock_holder}, {"since", nullable(s.lock_since)}};
        }
    }
    if (s.tree_clean) {
        tree_clean = *s.tree_clean;
    }
    nlohmann::json out = {{"live_tag", nullable(s.live_tag)},
                          {"live_commit", nullable(s.live_commit)},
                          {"served_commit", nullable(s.served_commit)},
                          {"healthy", s.healthy},
                          {"health", s.health},
                          {"tree_clean", tree_clean},
                          {"pm2", pm2},
                          {"lock", lock},
                          {"prepared", prepared_json(s.prepared)},
                          {"journal", journal_json(s.journal)},
                          {"last_rollback", s.last_rollback ? *s.last_rollback : nlohmann::json()}};
    if (!s.unreachable.empty()) {
        out["error"] = s.unreachable;
    }
    return out;
}

int run_status(const Options& options, const ProjectConfig& config, const SshTarget& target,
               LocalFileSystem& files) {
    Libssh2RemoteShell shell;
    CurlHttpClient http;
    ProcessLocalGit git(config.project_dir.string());
    const LiveStatus status = read_live_status(config, target, shell, http, git, files);
    if (options.json) {
        const std::string line =
            live_status_json(status).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        std::printf("%s\n", line.c_str());
    } else {
        std::fputs(render_live_status(status).c_str(), stdout);
    }
    return status.unreachable.empty() ? 0 : to_int(ExitCode::failed);
}

} // namespace smo
