#pragma once

#include "smo/ssh_target.hpp"
#include "smo/stage.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

// Fleets: one environment on several hosts (docs/stages.md, "Fleets"). The
// single-host pipeline stays as it is; the fleet runner composes per-host
// runs of its stages.
namespace smo {

struct Context;
struct EnvironmentConfig;
struct ProjectConfig;
class RemoteShell;
class HttpClient;

// What one host has of its own; the clock, files, local git and prompt are
// the lead's. `shell` and `http` are used by that host's thread only.
struct FleetHostPorts {
    RemoteShell& shell;
    HttpClient& http;
    SshTarget target;
};

// "2 hosts: web-1, web-2".
std::string fleet_label(const ProjectConfig& config);

// One host of a fleet as --plan names it (the JSON plan's `hosts` entries).
struct PlannedHost {
    std::string name;
    std::string user;
    std::string address;
    int port = 0;
    std::string path;
    std::string pm2_name;
    std::string health_url;
    bool runs_migrations = false; // rollback.migrations_host, else the first host
};

// The hosts of config.hosts with their resolved targets (in the same order).
std::vector<PlannedHost> plan_fleet_hosts(const ProjectConfig& config,
                                          const std::vector<SshTarget>& targets);

// --plan on a fleet: a line per host (address, port, path, PM2 name, health
// URL; `targets` in config.hosts' order) and the host that runs the migration.
std::string render_fleet_plan(const ProjectConfig& config, const std::vector<SshTarget>& targets);

// Runs a rollback over lead.config.hosts (`hosts` in the same order):
// stages 1–2 once on `lead`; 3 on every host, then 4–6 on every host (at most
// rollback.parallel at a time), all locks taken before anything changes; if
// any host failed, no host switches. Stage 7 once on rollback.migrations_host,
// 8–10 on every host; clean-up on every host; 11–12 once on `lead`, whose
// report gets a row per stage and a HostOutcome per host. A host already
// serving the to-commit at stage 1 runs 3 and 10 only: verified, left alone.
void run_fleet(Context& lead, const std::vector<std::unique_ptr<Stage>>& stages,
               const std::vector<FleetHostPorts>& hosts);

// run_fleet with a Libssh2RemoteShell and a CurlHttpClient per host, each
// host's target from `resolve`.
void run_fleet_over_ssh(Context& lead, const std::vector<std::unique_ptr<Stage>>& stages,
                        const std::function<SshTarget(const EnvironmentConfig&)>& resolve);

} // namespace smo
