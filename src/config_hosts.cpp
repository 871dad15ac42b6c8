#include "config_hosts.hpp"

#include "smo/ref_name.hpp"
#include "smo/text.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace smo::config_json {
namespace {

// What a host entry may lay over its environment.
constexpr const char* k_overridable[] = {"host", "tailscale_ip", "path", "pm2_name", "health_url"};

// Stand-ins for required keys that only the entries give, so that the
// environment's own keys can be checked (and named) on their own first.
const json k_stand_ins = {{"tailscale_ip", "127.0.0.1"},
                          {"path", "/stand-in"},
                          {"pm2_name", "stand-in"},
                          {"health_url", "http://stand-in/"}};

json without_hosts(const json& env) {
    json copy = env;
    copy.erase("hosts");
    return copy;
}

void check_environment_alone(const Node& env, const ParseEnvironment& parse) {
    json alone = without_hosts(env.value);
    for (const auto& [key, value] : k_stand_ins.items()) {
        const bool address = key == "tailscale_ip" && alone.contains("host");
        if (!address && (!alone.contains(key) || alone[key].is_null())) {
            alone[key] = value;
        }
    }
    parse(Node{env.reader, alone, env.path});
}

// The environment with the entry's keys laid over it. An entry that names an
// address (host or tailscale_ip) names it alone: the environment's other one
// would otherwise win (tailscale_ip is preferred).
json merged_entry(const Node& env, const Node& entry) {
    json merged = without_hosts(env.value);
    if (entry.find("host") != nullptr || entry.find("tailscale_ip") != nullptr) {
        merged.erase("host");
        merged.erase("tailscale_ip");
    }
    for (const char* key : k_overridable) {
        if (const json* value = entry.find(key)) {
            merged[key] = *value;
        }
    }
    if (const json* ssh = entry.find("ssh")) {
        if (!ssh->is_object()) {
            entry.reader.expected(entry.child_path("ssh"), "an object", *ssh);
        }
        json base =
            merged.contains("ssh") && merged["ssh"].is_object() ? merged["ssh"] : json::object();
        base.update(*ssh);
        merged["ssh"] = base;
    }
    return merged;
}

std::string entry_name(const Node& entry, const std::vector<FleetHost>& earlier) {
    const std::string name =
        entry.required_string("name", "a host name ([A-Za-z0-9._-]+)", is_valid_pm2_name);
    const bool taken = std::any_of(earlier.begin(), earlier.end(),
                                   [&](const FleetHost& host) { return host.name == name; });
    if (taken) {
        entry.reader.fail(entry.child_path("name"), "\"" + name + "\" names two hosts");
    }
    return name;
}

void check_migrations_host(const Node& env, const std::vector<FleetHost>& hosts) {
    const std::string& wanted = hosts.front().env.rollback.migrations_host;
    const bool known =
        wanted.empty() || std::any_of(hosts.begin(), hosts.end(),
                                      [&](const FleetHost& host) { return host.name == wanted; });
    if (!known) {
        std::vector<std::string> names;
        for (const auto& host : hosts) {
            names.push_back(host.name);
        }
        env.reader.fail(env.child_path("rollback.migrations_host"),
                        "\"" + wanted + "\" is none of the hosts (" + text::join(names, ", ") +
                            ")");
    }
}

} // namespace

std::vector<FleetHost> parse_hosts(const Node& env, const ParseEnvironment& parse) {
    const json& list = *env.find("hosts");
    const std::string path = env.child_path("hosts");
    if (!list.is_array() || list.empty()) {
        env.reader.expected(path, "a non-empty array of host objects", list);
    }
    check_environment_alone(env, parse);
    std::vector<FleetHost> hosts;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string item_path = fmt::format("{}[{}]", path, i);
        if (!list[i].is_object()) {
            env.reader.expected(item_path, "a host object with a \"name\"", list[i]);
        }
        const Node entry{env.reader, list[i], item_path};
        std::string name = entry_name(entry, hosts);
        const json merged = merged_entry(env, entry);
        hosts.push_back({std::move(name), parse(Node{env.reader, merged, item_path})});
    }
    check_migrations_host(env, hosts);
    return hosts;
}

} // namespace smo::config_json
