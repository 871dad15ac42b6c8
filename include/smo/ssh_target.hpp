#pragma once

#include "smo/config.hpp"

#include <string>
#include <vector>

// Where and how to connect, after project.json, ~/.ssh/config and defaults
// have been merged (docs/configuration.md order).
namespace smo {

struct SshTarget {
    std::string label;   // what the operator calls it: host alias or address
    std::string address; // tailscale_ip, else HostName from ssh config, else host
    int port = 22;
    std::string user;
    std::vector<std::string> identity_files; // expanded
    // Configured files (identity_file, IdentityFile) go before the agent's
    // keys, like OpenSSH's IdentitiesOnly: six agent keys would otherwise use
    // up the server's MaxAuthTries first. Off for the default key list.
    bool identity_files_first = true;
    bool use_agent = true;
    std::string known_hosts_file; // expanded
    bool accept_new_host_key = false;
    std::string remote_shell = "bash -lc";
    int connect_timeout_seconds = 10;
    int keepalive_seconds = 15;
};

// Merges the environment's ssh settings with ~/.ssh/config text (may be empty)
// and defaults. `home` expands `~`; `local_user` is the fallback user name.
SshTarget resolve_ssh_target(const EnvironmentConfig& env, std::string_view ssh_config_text,
                             const std::string& home, const std::string& local_user);

} // namespace smo
