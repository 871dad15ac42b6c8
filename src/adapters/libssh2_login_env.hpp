#pragma once

// Private to the libssh2 adapter: the login shell paid once per session.
//
// A login shell (`bash -lc`) reads /etc/profile, /etc/profile.d/*, ~/.profile
// and often nvm: 0.3–1 s on real servers, once per command. What the commands
// need from it is its environment (PATH to node, npm, pm2; NVM_DIR; …). So the
// first command of a session captures that environment through the login
// shell (`env -0`), and every command after runs in a plain `bash -c` given
// exactly that environment with `env -i` — same `timeout` wrapper, same exit
// codes and signals (env and the shell exec, no extra process). Functions and
// aliases defined by the profile are not carried over (docs/ssh.md).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smo::libssh2 {

// The same shell without its login option: "bash -lc" → "bash -c",
// "/bin/bash --login -c" → "/bin/bash -c". nullopt when remote_shell starts no
// login shell (nothing to save) or is not a plain bash/sh/zsh/ksh/dash
// command line with options only (e.g. "sudo -u app bash -lc").
std::optional<std::string> non_login_shell(std::string_view remote_shell);

// The command the login shell runs once: prints a marker, the umask, then
// `env -0`. Whatever the profile printed before stays before the marker.
std::string login_env_capture_command();

struct LoginEnv {
    std::string umask;                    // e.g. "0022"
    std::vector<std::string> assignments; // NAME=value, in env's order
};

// Parses the capture's stdout; nullopt when the marker or umask is missing.
// Drops `_`, PWD and OLDPWD (they describe the capturing shell) and any name
// `env -i` could mistake for an option or that is not a variable.
std::optional<LoginEnv> parse_login_env(const std::string& out);

// `timeout -k 2 N env -i 'NAME=value'… <shell> 'umask U; <command>'`: the
// replay of one command in the captured environment. Every word quoted.
std::string replay_command(const LoginEnv& env, std::string_view shell, std::string_view command,
                           int timeout_seconds);

// Above this size a replay line goes out the old way (OpenSSH caps a packet
// at 256 KiB); a profile exporting that much is not worth replaying.
constexpr std::size_t k_max_replay_bytes = 64 * 1024;

} // namespace smo::libssh2
