#include "smo/config_check.hpp"

#include "smo/errors.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace smo {

namespace {

using Keys = std::vector<std::string_view>;

const Keys k_env_keys{"host",
                      "tailscale_ip",
                      "path",
                      "pm2_name",
                      "branch",
                      "health_url",
                      "rollback_sla_seconds",
                      "migration_reversibility",
                      "ssh",
                      "rollback",
                      "hosts"};
const Keys k_deploy_keys{"rollback_sla_seconds", "migration_reversibility"};
const Keys k_ssh_keys{"user", "port", "identity_file", "known_hosts"};
const Keys k_rollback_keys{"strategy",
                           "migrations_dir",
                           "env_files",
                           "settle_seconds",
                           "health_timeout_seconds",
                           "health_stable_polls",
                           "command_timeout_seconds",
                           "lock_stale_minutes",
                           "remote_shell",
                           "keep",
                           "keep_releases",
                           "commands",
                           "parallel",
                           "migrations_host"};
const Keys k_command_keys{"install", "build", "db_rollback", "reload"};
// A fleet's host entry (docs/configuration.md): its name and what it overrides.
const Keys k_host_keys{"name", "host", "tailscale_ip", "path", "pm2_name", "health_url", "ssh"};

constexpr std::size_t k_near = 2;

// The known key nearest to `key` within k_near, or empty.
std::string_view nearest(std::string_view key, const Keys& known) {
    std::string_view best;
    std::size_t best_distance = k_near + 1;
    for (std::string_view candidate : known) {
        const std::size_t distance = edit_distance(key, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

// owned: only this tool reads the section, so any unknown key is worth a word.
void check_section(const nlohmann::json& section, const std::string& path, const Keys& known,
                   bool owned, std::vector<std::string>& warnings) {
    if (!section.is_object()) {
        return;
    }
    for (const auto& [key, value] : section.items()) {
        if (std::find(known.begin(), known.end(), key) != known.end()) {
            continue;
        }
        const std::string_view likely = nearest(key, known);
        if (!likely.empty()) {
            warnings.push_back(fmt::format("{}.{} is not a key this tool knows; did you mean {}?",
                                           path, key, likely));
        } else if (owned) {
            warnings.push_back(
                fmt::format("{}.{} is not a key this tool knows (ignored)", path, key));
        }
    }
}

std::string expand_home(const std::string& path, const std::string& home) {
    if (path == "~" || path.starts_with("~/")) {
        return home + path.substr(1);
    }
    return path;
}

} // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::vector<std::string> config_warnings(std::string_view json_text, const std::string& env_name) {
    std::vector<std::string> warnings;
    const auto root = nlohmann::json::parse(json_text, nullptr, false);
    if (root.is_discarded() || !root.is_object() || !root.contains("deploy") ||
        !root["deploy"].is_object()) {
        return warnings;
    }
    const auto& deploy = root["deploy"];
    for (const auto& [key, value] : deploy.items()) {
        if (!value.is_object() &&
            std::find(k_deploy_keys.begin(), k_deploy_keys.end(), key) == k_deploy_keys.end()) {
            if (const auto likely = nearest(key, k_deploy_keys); !likely.empty()) {
                warnings.push_back(fmt::format(
                    "deploy.{} is not a key this tool knows; did you mean {}?", key, likely));
            }
        }
    }
    if (!deploy.contains(env_name) || !deploy[env_name].is_object()) {
        return warnings;
    }
    const auto& env = deploy[env_name];
    const std::string path = "deploy." + env_name;
    check_section(env, path, k_env_keys, false, warnings);
    if (env.contains("ssh")) {
        check_section(env["ssh"], path + ".ssh", k_ssh_keys, true, warnings);
    }
    if (env.contains("hosts") && env["hosts"].is_array()) {
        for (std::size_t i = 0; i < env["hosts"].size(); ++i) {
            const auto& host = env["hosts"][i];
            const std::string host_path = fmt::format("{}.hosts[{}]", path, i);
            check_section(host, host_path, k_host_keys, true, warnings);
            if (host.is_object() && host.contains("ssh")) {
                check_section(host["ssh"], host_path + ".ssh", k_ssh_keys, true, warnings);
            }
        }
    }
    if (env.contains("rollback")) {
        const auto& rollback = env["rollback"];
        check_section(rollback, path + ".rollback", k_rollback_keys, true, warnings);
        if (rollback.is_object() && rollback.contains("commands")) {
            check_section(rollback["commands"], path + ".rollback.commands", k_command_keys, true,
                          warnings);
        }
    }
    return warnings;
}

void check_key_files(std::string_view json_text, const std::string& file_label,
                     const std::string& env_name, const std::string& home,
                     bool accept_new_host_key) {
    const auto root = nlohmann::json::parse(json_text, nullptr, false);
    const auto pointer = nlohmann::json::json_pointer("/deploy/" + env_name + "/ssh");
    if (root.is_discarded() || !root.contains(pointer) || !root[pointer].is_object()) {
        return;
    }
    const auto& ssh = root[pointer];
    const std::array<std::pair<const char*, const char*>, 2> files{
        {{"identity_file", "the private key to log in with"},
         {"known_hosts", "the known_hosts file to check the host key against"}}};
    for (const auto& [key, what] : files) {
        if (!ssh.contains(key) || !ssh[key].is_string()) {
            continue;
        }
        if (std::string(key) == "known_hosts" && accept_new_host_key) {
            continue;
        }
        const std::string configured = ssh[key].get<std::string>();
        const std::string expanded = expand_home(configured, home);
        std::error_code error;
        if (!std::filesystem::exists(expanded, error)) {
            throw ConfigError(fmt::format("{}: deploy.{}.ssh.{}: expected {}, but {} does not "
                                          "exist",
                                          file_label, env_name, key, what, expanded));
        }
    }
}

} // namespace smo
