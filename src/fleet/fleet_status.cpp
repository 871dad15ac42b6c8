// `smo-rollback status` on a fleet (docs/usage.md).
#include "smo/fleet_status.hpp"

#include "fleet/bounded_parallel.hpp"
#include "smo/adapters/curl_http_client.hpp"
#include "smo/adapters/libssh2_remote_shell.hpp"
#include "smo/adapters/local_file_system.hpp"
#include "smo/adapters/process_local_git.hpp"
#include "smo/config.hpp"
#include "smo/errors.hpp"
#include "smo/subcommands.hpp"
#include "smo/text.hpp"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <memory>

namespace smo {

namespace {

std::string short_or_unknown(const std::string& text) {
    return text.empty() ? std::string("unknown") : text::short_commit(text);
}

std::string host_row(const HostStatus& host, std::size_t width) {
    const LiveStatus& s = host.status;
    const std::string live = (s.live_tag.empty() ? std::string("unknown") : s.live_tag) + " (" +
                             short_or_unknown(s.live_commit) + ")";
    std::string row =
        fmt::format("  {:<{}}  live {}, serving {}, {}", host.name, width, live,
                    short_or_unknown(s.served_commit), s.healthy ? "healthy" : "NOT healthy");
    if (!s.unreachable.empty()) {
        return row + ", not reached: " + s.unreachable + "\n";
    }
    row += fmt::format(", PM2 {} ({} restart(s))", s.pm2_status, s.pm2_restarts);
    row += s.locked ? ", lock held by " + s.lock_holder : std::string(", lock free");
    row += s.prepared ? ", standby " + (s.prepared->to_tag.empty()
                                            ? short_or_unknown(s.prepared->to_commit)
                                            : s.prepared->to_tag)
                      : std::string(", no standby");
    if (s.journal) {
        row += fmt::format(", unfinished rollback {} → {}", s.journal->from_tag, s.journal->to_tag);
    }
    return row + "\n";
}

} // namespace

std::vector<HostStatus> read_fleet_status(const ProjectConfig& config,
                                          const std::vector<FleetHostPorts>& ports, LocalGit& git,
                                          FileSystem& files) {
    std::vector<HostStatus> hosts(config.hosts.size());
    fleet::bounded_parallel(hosts.size(), config.env.rollback.parallel, [&](std::size_t i) {
        ProjectConfig host_config = config;
        host_config.env = config.hosts[i].env;
        hosts[i].name = config.hosts[i].name;
        hosts[i].status = read_live_status(host_config, ports[i].target, ports[i].shell,
                                           ports[i].http, git, files);
    });
    return hosts;
}

std::string render_fleet_status(const ProjectConfig& config, const std::vector<HostStatus>& hosts) {
    std::string out =
        fmt::format("{} on {} ({})\n", config.project, config.env.name, fleet_label(config));
    std::size_t width = 0;
    for (const auto& host : hosts) {
        width = std::max(width, host.name.size());
    }
    for (const auto& host : hosts) {
        out += host_row(host, width);
    }
    return out +
           last_rollback_line(hosts.empty() ? std::nullopt : hosts.front().status.last_rollback);
}

nlohmann::json fleet_status_json(const std::vector<HostStatus>& hosts) {
    nlohmann::json list = nlohmann::json::array();
    bool healthy = !hosts.empty();
    for (const auto& host : hosts) {
        nlohmann::json entry = {{"name", host.name}};
        entry.update(live_status_json(host.status));
        entry.erase("last_rollback");
        list.push_back(std::move(entry));
        healthy = healthy && host.status.healthy;
    }
    const auto& last = hosts.empty() ? std::nullopt : hosts.front().status.last_rollback;
    return {
        {"hosts", list}, {"healthy", healthy}, {"last_rollback", last ? *last : nlohmann::json()}};
}

int fleet_status_exit_code(const std::vector<HostStatus>& hosts) {
    for (const auto& host : hosts) {
        if (!host.status.unreachable.empty()) {
            return to_int(ExitCode::failed);
        }
    }
    return 0;
}

// Each host its own session and HTTP client, made here on the main thread
// (the libraries' global set-up is not for concurrent first calls).
int run_fleet_status(const Options& options, const ProjectConfig& config,
                     const std::vector<SshTarget>& targets, LocalFileSystem& files) {
    std::vector<std::unique_ptr<Libssh2RemoteShell>> shells;
    std::vector<std::unique_ptr<CurlHttpClient>> clients;
    std::vector<FleetHostPorts> ports;
    for (const auto& target : targets) {
        shells.push_back(std::make_unique<Libssh2RemoteShell>());
        clients.push_back(std::make_unique<CurlHttpClient>());
        ports.push_back({*shells.back(), *clients.back(), target});
    }
    ProcessLocalGit git(config.project_dir.string());
    const std::vector<HostStatus> hosts = read_fleet_status(config, ports, git, files);
    if (options.json) {
        const std::string line =
            fleet_status_json(hosts).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        std::printf("%s\n", line.c_str());
    } else {
        std::fputs(render_fleet_status(config, hosts).c_str(), stdout);
    }
    return fleet_status_exit_code(hosts);
}

} // namespace smo
