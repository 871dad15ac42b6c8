#include "smo/config.hpp"

#include "config_hosts.hpp"
#include "config_node.hpp"
#include "config_values.hpp"
#include "smo/errors.hpp"
#include "smo/ref_name.hpp"
#include "smo/remote_commands.hpp"
#include "smo/text.hpp"

#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

// project.json is read with one rule: a key this tool knows is checked hard
// (type, range, form), any other key is left alone for the tools that share the
// file. `null` counts as absent.
namespace smo {
namespace {

using config_json::Node;
using config_json::Reader;
using nlohmann::json;
using namespace config_values;
using text::has_control;

constexpr int k_max_seconds = 86400;

std::string without_trailing_slashes(std::string path) {
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    return path;
}

Reversibility parse_reversibility(const Node& node, const std::string& key,
                                  Reversibility fallback) {
    const auto text = node.string(key, R"("auto", "manual" or "none")", [](const std::string& v) {
        return v == "auto" || v == "manual" || v == "none";
    });
    if (!text) {
        return fallback;
    }
    if (*text == "manual") {
        return Reversibility::manual;
    }
    return *text == "none" ? Reversibility::none : Reversibility::automatic;
}

SshSettings parse_ssh(const Node& ssh) {
    SshSettings settings;
    settings.user =
        ssh.string("user", "a user name ([A-Za-z0-9._@-]+)", is_user_name).value_or(settings.user);
    settings.port = ssh.integer("port", 1, 65535).value_or(settings.port);
    settings.identity_file =
        ssh.string("identity_file", "a key file path", is_local_file).value_or("");
    settings.known_hosts = ssh.string("known_hosts", "a known_hosts file path", is_local_file)
                               .value_or(settings.known_hosts);
    return settings;
}

RollbackCommands parse_commands(const Node& commands) {
    RollbackCommands parsed;
    const std::string what = "a non-empty command string";
    parsed.install = commands.string("install", what, is_command).value_or(parsed.install);
    parsed.build = commands.string("build", what, is_command).value_or(parsed.build);
    parsed.db_rollback =
        commands.string("db_rollback", what, is_command).value_or(parsed.db_rollback);
    parsed.reload = commands.string("reload", what, is_command).value_or(parsed.reload);
    return parsed;
}

// An array of paths relative to the checkout (env_files, keep), each accepted
// by `valid`; absent: the defaults. env_files are checked with the rule
// preflight and the switch apply, so they are refused here, not after a
// connection was opened.
std::vector<std::string> parse_relative_paths(const Node& rollback, const char* key,
                                              const std::string& what,
                                              bool (*valid)(const std::string&),
                                              std::vector<std::string> paths) {
    const json* found = rollback.find(key);
    if (found == nullptr) {
        return paths;
    }
    const std::string path = rollback.child_path(key);
    if (!found->is_array()) {
        rollback.reader.expected(path, "an array of paths", *found);
    }
    paths.clear();
    for (std::size_t i = 0; i < found->size(); ++i) {
        const json& item = (*found)[i];
        if (!item.is_string() || !valid(item.get_ref<const std::string&>())) {
            rollback.reader.expected(fmt::format("{}[{}]", path, i), what, item);
        }
        paths.push_back(without_trailing_slashes(item.get<std::string>()));
    }
    return paths;
}

bool is_valid_env_file(const std::string& text) {
    return remote::is_valid_swap_item(text);
}

RollbackSettings parse_rollback(const Node& rollback) {
    RollbackSettings settings;
    const auto strategy =
        rollback.string("strategy", R"("staged" or "in-place")",
                        [](const std::string& v) { return v == "staged" || v == "in-place"; });
    if (strategy == "in-place") {
        settings.strategy = Strategy::in_place;
    }
    settings.migrations_dir =
        rollback.string("migrations_dir", "a directory relative to the checkout", is_relative_path)
            .value_or("");
    settings.env_files =
        parse_relative_paths(rollback, "env_files",
                             "a file path relative to the app (no '.', '..', '.git' or "
                             "empty parts)",
                             is_valid_env_file, settings.env_files);
    settings.keep = parse_relative_paths(rollback, "keep", "a path relative to the checkout",
                                         is_relative_path, settings.keep);
    settings.keep_releases =
        rollback.integer("keep_releases", 1, 100).value_or(settings.keep_releases);
    settings.settle_seconds =
        rollback.integer("settle_seconds", 0, k_max_seconds).value_or(settings.settle_seconds);
    settings.health_timeout_seconds = rollback.integer("health_timeout_seconds", 1, k_max_seconds)
                                          .value_or(settings.health_timeout_seconds);
    settings.health_stable_polls =
        rollback.integer("health_stable_polls", 1, 1000).value_or(settings.health_stable_polls);
    settings.command_timeout_seconds = rollback.integer("command_timeout_seconds", 1, k_max_seconds)
                                           .value_or(settings.command_timeout_seconds);
    settings.lock_stale_minutes =
        rollback.integer("lock_stale_minutes", 1, 525600).value_or(settings.lock_stale_minutes);
    settings.remote_shell =
        rollback
            .string("remote_shell", "a shell command like \"bash -lc\" ([A-Za-z0-9._/+=-] words)",
                    is_shell_words)
            .value_or(settings.remote_shell);
    const json empty = json::object();
    settings.commands = parse_commands(rollback.object("commands", empty));
    settings.parallel = rollback.integer("parallel", 1, 64).value_or(settings.parallel);
    settings.migrations_host =
        rollback.string("migrations_host", "a host name of deploy.<env>.hosts", is_pm2_name)
            .value_or("");
    return settings;
}

EnvironmentConfig parse_environment(const Node& deploy, const Node& env,
                                    const std::string& env_name) {
    EnvironmentConfig config;
    config.name = env_name;
    config.host = env.string("host", "an SSH host name or alias", is_host_name).value_or("");
    config.tailscale_ip =
        env.string("tailscale_ip", "an IP address or host name", is_host_name).value_or("");
    if (config.host.empty() && config.tailscale_ip.empty()) {
        env.reader.fail(env.path, R"(required key is missing; expected "tailscale_ip" or "host")");
    }
    config.path = without_trailing_slashes(env.required_string(
        "path", "an absolute path without \"..\" (the live checkout)", is_remote_path));
    config.pm2_name =
        env.required_string("pm2_name", "a PM2 process name ([A-Za-z0-9._-]+)", is_pm2_name);
    config.branch = env.string("branch", "a git branch name", is_ref_name).value_or(config.branch);
    config.health_url =
        env.required_string("health_url", "an http:// or https:// URL", is_http_url);

    const int sla_default = deploy.integer("rollback_sla_seconds", 1, k_max_seconds)
                                .value_or(config.rollback_sla_seconds);
    config.rollback_sla_seconds =
        env.integer("rollback_sla_seconds", 1, k_max_seconds).value_or(sla_default);
    const Reversibility reversibility_default =
        parse_reversibility(deploy, "migration_reversibility", config.migration_reversibility);
    config.migration_reversibility =
        parse_reversibility(env, "migration_reversibility", reversibility_default);

    const json empty = json::object();
    config.ssh = parse_ssh(env.object("ssh", empty));
    config.rollback = parse_rollback(env.object("rollback", empty));
    return config;
}

std::string environment_names(const json& deploy) {
    std::string names;
    for (const auto& [key, value] : deploy.items()) {
        if (value.is_object()) {
            names += names.empty() ? key : ", " + key;
        }
    }
    return names.empty() ? "none" : names;
}

std::string parse_chat_id(const Node& telegram) {
    const json* found = telegram.find("chat_id");
    if (found == nullptr) {
        return {};
    }
    if (found->is_number_integer()) {
        return found->dump();
    }
    if (!found->is_string() || has_control(found->get_ref<const std::string&>())) {
        telegram.reader.expected(telegram.child_path("chat_id"), "a chat id (string or integer)",
                                 *found);
    }
    return found->get<std::string>();
}

json parse_json(std::string_view text, const std::string& file_label) {
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::parse_error& error) {
        // Our own line/column: nlohmann's byte offset counts from 1.
        std::size_t line = 1;
        std::size_t column = 1;
        const std::size_t stop =
            std::min<std::size_t>(error.byte == 0 ? 0 : error.byte - 1, text.size());
        for (std::size_t i = 0; i < stop; ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        std::string detail = error.what();
        const std::size_t at = detail.find("column");
        const std::size_t colon = at == std::string::npos ? at : detail.find(": ", at);
        if (colon != std::string::npos) {
            detail = detail.substr(colon + 2);
        }
        throw ConfigError(fmt::format("{}: invalid JSON at line {}, column {}: {}", file_label,
                                      line, column, detail));
    } catch (const json::exception& error) {
        // A number no double holds (out_of_range.406) and the like: nlohmann
        // reports it without a position.
        std::string detail = error.what();
        if (const auto bracket = detail.find("] "); bracket != std::string::npos) {
            detail = detail.substr(bracket + 2);
        }
        throw ConfigError(fmt::format("{}: invalid JSON: {}", file_label, detail));
    }
}

} // namespace

const char* to_string(Strategy strategy) {
    return strategy == Strategy::staged ? "staged" : "in-place";
}

const char* to_string(Reversibility reversibility) {
    switch (reversibility) {
    case Reversibility::automatic:
        return "auto";
    case Reversibility::manual:
        return "manual";
    case Reversibility::none:
        return "none";
    }
    return "auto";
}

ProjectConfig parse_project_config(std::string_view json_text, const std::string& file_label,
                                   const std::string& env_name) {
    const json root = parse_json(json_text, file_label);
    const Reader reader(file_label);
    if (!root.is_object()) {
        reader.expected("(top level)", "a JSON object", root);
    }
    const json empty = json::object();
    const Node top{reader, root, ""};
    ProjectConfig config;
    config.project = top.string("project", "a project name",
                                [](const std::string& v) { return !has_control(v); })
                         .value_or("");

    const json* deploy_json = top.find("deploy");
    if (deploy_json == nullptr) {
        reader.fail("deploy", "required key is missing; expected an object with one key per "
                              "environment");
    }
    const Node deploy = top.object("deploy", empty);
    const json* env_json = deploy.find(env_name);
    if (env_json == nullptr) {
        reader.fail(deploy.child_path(env_name),
                    fmt::format("no such environment (environments in the file: {})",
                                environment_names(deploy.value)));
    }
    const Node env = deploy.object(env_name, empty);
    if (env.find("hosts") == nullptr) {
        config.env = parse_environment(deploy, env, env_name);
    } else {
        config.hosts = config_json::parse_hosts(
            env, [&](const Node& node) { return parse_environment(deploy, node, env_name); });
        config.env = config.hosts.front().env;
    }
    config.telegram_chat_id = parse_chat_id(top.object("telegram", empty));
    return config;
}

std::optional<std::filesystem::path> find_project_dir(const std::filesystem::path& start) {
    std::error_code error;
    std::filesystem::path dir = std::filesystem::absolute(start, error);
    if (error) {
        return std::nullopt;
    }
    dir = dir.lexically_normal();
    while (true) {
        if (std::filesystem::is_regular_file(dir / ".smorch" / "project.json", error)) {
            return dir;
        }
        if (!dir.has_relative_path()) {
            return std::nullopt;
        }
        std::filesystem::path parent = dir.parent_path();
        if (parent == dir) {
            return std::nullopt;
        }
        dir = std::move(parent);
    }
}

ProjectConfig load_project_config(const std::filesystem::path& project_dir,
                                  const std::string& env_name) {
    const std::filesystem::path file = project_dir / ".smorch" / "project.json";
    const std::string label = file.lexically_normal().string();
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw ConfigError(fmt::format("{}: cannot be read (run from the app repository, or "
                                      "pass --project-dir)",
                                      label));
    }
    std::ostringstream text;
    text << in.rdbuf();
    ProjectConfig config = parse_project_config(text.str(), label, env_name);
    config.project_dir = project_dir;
    config.config_file = file;
    if (config.project.empty()) {
        // Alerts and records need a name: the repository's directory is the
        // one everybody recognises.
        config.project = std::filesystem::absolute(project_dir).lexically_normal().filename();
        if (config.project.empty()) {
            config.project =
                std::filesystem::absolute(project_dir).lexically_normal().parent_path().filename();
        }
    }
    return config;
}

} // namespace smo
