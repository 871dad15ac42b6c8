#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// .smorch/project.json (docs/configuration.md), resolved for one environment. Every field
// holds its final value: deploy-level defaults and built-in defaults applied.
namespace smo {

enum class Strategy { staged, in_place };
enum class Reversibility { automatic, manual, none }; // "auto", "manual", "none"

const char* to_string(Strategy strategy);
const char* to_string(Reversibility reversibility);

struct SshSettings {
    std::string user;          // empty: ~/.ssh/config, then the local user name
    int port = 0;              // 0: ~/.ssh/config, then 22
    std::string identity_file; // empty: ssh-agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa
    std::string known_hosts = "~/.ssh/known_hosts";
};

struct RollbackCommands {
    std::string install = "npm ci"; // the build needs devDependencies (docs/configuration.md)
    std::string build = "npm run build";
    std::string db_rollback = "npm run db:rollback";
    std::string reload = "pm2 reload {pm2_name}"; // {pm2_name} is substituted, quoted
};

struct RollbackSettings {
    Strategy strategy = Strategy::staged;
    std::string migrations_dir; // empty: auto-detect (see detect_migrations_dir)
    std::vector<std::string> env_files{".env", ".env.local", ".env.production"};
    // Never swapped at stage 8, whatever the build made: the users' data.
    std::vector<std::string> keep{"uploads", "public/uploads", "storage", "data", "logs", "tmp"};
    int keep_releases = 3; // asides of earlier releases kept on the target
    int settle_seconds = 10;
    int health_timeout_seconds = 60;
    int health_stable_polls = 3;
    int command_timeout_seconds = 600; // any one remote command
    int lock_stale_minutes = 30;       // --break-lock takes only older locks
    std::string remote_shell = "bash -lc";
    RollbackCommands commands;
    // Fleets (docs/configuration.md): hosts rolled back at once, and the host
    // whose live tree runs the down migration (empty: the first host).
    int parallel = 8;
    std::string migrations_host;
};

struct EnvironmentConfig {
    std::string name; // the key under "deploy"
    std::string host;
    std::string tailscale_ip;
    std::string path; // absolute path of the live checkout
    std::string pm2_name;
    std::string branch = "main";
    std::string health_url;
    int rollback_sla_seconds = 90;
    Reversibility migration_reversibility = Reversibility::automatic;
    SshSettings ssh;
    RollbackSettings rollback;
};

// One host of a fleet: the environment with the host entry's overrides
// (host, tailscale_ip, path, pm2_name, health_url, ssh) applied.
struct FleetHost {
    std::string name;
    EnvironmentConfig env;
};

struct ProjectConfig {
    std::filesystem::path project_dir; // holds .smorch/project.json
    std::filesystem::path config_file;
    std::string project;
    EnvironmentConfig env; // with hosts: the first host's
    // deploy.<env>.hosts; empty: the environment is its one host.
    std::vector<FleetHost> hosts;
    std::string telegram_chat_id; // empty: TELEGRAM_CHAT_ID, else no alert
};

// Parses project.json text for one environment. `file_label` names the file in
// errors. Throws ConfigError naming the file, the JSON path (e.g.
// deploy.production.rollback.settle_seconds) and what was expected. Unknown keys
// are ignored: other tools share the file.
ProjectConfig parse_project_config(std::string_view json_text, const std::string& file_label,
                                   const std::string& env_name);

// Walks up from `start` to the first directory holding .smorch/project.json.
std::optional<std::filesystem::path> find_project_dir(const std::filesystem::path& start);

// Reads and parses <project_dir>/.smorch/project.json. Throws ConfigError.
ProjectConfig load_project_config(const std::filesystem::path& project_dir,
                                  const std::string& env_name);

// The first of migrations, db/migrations, prisma/migrations, supabase/migrations
// for which `exists` answers true; empty when none does.
template <typename Exists>
std::string detect_migrations_dir(Exists&& exists) {
    for (const char* candidate :
         {"migrations", "db/migrations", "prisma/migrations", "supabase/migrations"}) {
        if (exists(candidate)) {
            return candidate;
        }
    }
    return {};
}

} // namespace smo
