#include "smo/ssh_target.hpp"

#include "smo/ssh_config.hpp"

namespace smo {
namespace {

// "~" and "~/…" become home; "~user/…" is left alone (no passwd lookups in a
// pure function).
std::string expand_home(const std::string& path, const std::string& home) {
    if (path == "~") {
        return home;
    }
    if (path.starts_with("~/")) {
        return home + path.substr(1);
    }
    return path;
}

struct Tokens {
    const std::string& home;
    const std::string& local_user;
    const std::string& host;
    const std::string& remote_user;
};

// The IdentityFile tokens OpenSSH documents that make sense here: %d home,
// %u local user, %h host, %r remote user, %% a percent sign.
std::string expand_identity_file(const std::string& value, const Tokens& tokens) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '%' || i + 1 >= value.size()) {
            out.push_back(value[i]);
            continue;
        }
        const char token = value[++i];
        if (token == 'd') {
            out.append(tokens.home);
        } else if (token == 'u') {
            out.append(tokens.local_user);
        } else if (token == 'h') {
            out.append(tokens.host);
        } else if (token == 'r') {
            out.append(tokens.remote_user);
        } else if (token == '%') {
            out.push_back('%');
        } else {
            out.push_back('%');
            out.push_back(token);
        }
    }
    return expand_home(out, tokens.home);
}

} // namespace

SshTarget resolve_ssh_target(const EnvironmentConfig& env, std::string_view ssh_config_text,
                             const std::string& home, const std::string& local_user) {
    // The ssh config is consulted for the alias the operator uses; with only a
    // tailscale_ip, for that address (a `Host 100.*` block still applies).
    const std::string& alias = env.host.empty() ? env.tailscale_ip : env.host;
    const SshHostSettings from_config = lookup_ssh_config(ssh_config_text, alias);

    SshTarget target;
    if (!env.tailscale_ip.empty()) {
        target.address = env.tailscale_ip;
    } else if (!from_config.host_name.empty()) {
        target.address = from_config.host_name;
    } else {
        target.address = env.host;
    }
    target.label = env.host.empty() ? target.address : env.host;

    if (env.ssh.port > 0) {
        target.port = env.ssh.port;
    } else if (from_config.port > 0) {
        target.port = from_config.port;
    } else {
        target.port = 22;
    }

    if (!env.ssh.user.empty()) {
        target.user = env.ssh.user;
    } else if (!from_config.user.empty()) {
        target.user = from_config.user;
    } else {
        target.user = local_user;
    }

    const Tokens tokens{home, local_user, target.address, target.user};
    if (!env.ssh.identity_file.empty()) {
        target.identity_files.push_back(expand_identity_file(env.ssh.identity_file, tokens));
    } else if (!from_config.identity_files.empty()) {
        for (const std::string& file : from_config.identity_files) {
            target.identity_files.push_back(expand_identity_file(file, tokens));
        }
    } else {
        target.identity_files_first = false;
        for (const char* file : {"~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa"}) {
            target.identity_files.push_back(expand_home(file, home));
        }
    }

    target.known_hosts_file = expand_home(env.ssh.known_hosts, home);
    target.remote_shell = env.rollback.remote_shell;
    return target;
}

} // namespace smo
