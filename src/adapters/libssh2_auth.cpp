#include "libssh2_internal.hpp"
#include "smo/adapters/ssh_key_material.hpp"
#include "smo/errors.hpp"
#include "smo/text.hpp"

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <termios.h>
#include <unistd.h>

namespace smo::libssh2 {

namespace {

constexpr int k_passphrase_attempts = 3;

// What was tried, for the failure message.
struct Attempts {
    std::vector<std::string> notes;
    bool offered_rsa = false;
};

std::string read_text(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// Any failure that is not "this key was refused" ends authentication.
void throw_if_link_lost(LIBSSH2_SESSION* session, int rc, const SshTarget& target) {
    if (is_link_error(rc)) {
        throw TransportError(fmt::format(
            "lost the connection to {} during authentication: {} (a server closes it after "
            "MaxAuthTries refused keys: {})",
            describe_target(target), last_error(session),
            target.identity_files_first
                ? "the configured identity file went first; remove keys from the agent "
                  "(ssh-add -d) or unset SSH_AUTH_SOCK"
                : "with many keys in the agent, set ssh.identity_file: it is tried first"));
    }
}

// Asks on the terminal with echo off, like ssh. nullopt when there is no TTY.
std::optional<std::string> ask_passphrase(const std::string& key_file) {
    if (::isatty(STDIN_FILENO) == 0) {
        return std::nullopt;
    }
    int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty < 0) {
        return std::nullopt;
    }
    std::string prompt = fmt::format("Enter passphrase for key '{}': ", key_file);
    termios saved{};
    bool have_termios = ::tcgetattr(tty, &saved) == 0;
    if (have_termios) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    [[maybe_unused]] ssize_t ignored = ::write(tty, prompt.data(), prompt.size());
    std::string passphrase;
    char c = 0;
    while (::read(tty, &c, 1) == 1 && c != '\n' && c != '\r') {
        passphrase.push_back(c);
    }
    if (have_termios) {
        ::tcsetattr(tty, TCSAFLUSH, &saved);
    }
    ignored = ::write(tty, "\n", 1);
    ::close(tty);
    return passphrase;
}

void wipe(std::string& secret) {
    volatile char* bytes = secret.data();
    for (std::size_t i = 0; i < secret.size(); ++i) {
        bytes[i] = 0;
    }
    secret.clear();
}

bool try_agent(LIBSSH2_SESSION* session, const SshTarget& target, Attempts& attempts) {
    const char* socket = std::getenv("SSH_AUTH_SOCK");
    if (!target.use_agent) {
        attempts.notes.emplace_back("ssh-agent (disabled)");
        return false;
    }
    if (socket == nullptr || *socket == '\0') {
        attempts.notes.emplace_back("ssh-agent (SSH_AUTH_SOCK not set)");
        return false;
    }
    LIBSSH2_AGENT* agent = libssh2_agent_init(session);
    if (agent == nullptr) {
        attempts.notes.emplace_back("ssh-agent (libssh2 could not start an agent client)");
        return false;
    }
    bool authenticated = false;
    int identities = 0;
    if (libssh2_agent_connect(agent) != 0 || libssh2_agent_list_identities(agent) != 0) {
        attempts.notes.emplace_back(fmt::format("ssh-agent at {} (not reachable)", socket));
    } else {
        libssh2_agent_publickey* identity = nullptr;
        libssh2_agent_publickey* previous = nullptr;
        while (!authenticated && libssh2_agent_get_identity(agent, &identity, previous) == 0) {
            ++identities;
            std::string_view blob(reinterpret_cast<const char*>(identity->blob),
                                  identity->blob_len);
            attempts.offered_rsa = attempts.offered_rsa || key_blob_type(blob) == "ssh-rsa";
            int rc = libssh2_agent_userauth(agent, target.user.c_str(), identity);
            authenticated = rc == 0;
            if (!authenticated && is_link_error(rc)) {
                libssh2_agent_disconnect(agent);
                libssh2_agent_free(agent);
                throw_if_link_lost(session, rc, target);
            }
            previous = identity;
        }
        if (!authenticated) {
            attempts.notes.emplace_back(fmt::format("ssh-agent ({} identit{}, none accepted)",
                                                    identities, identities == 1 ? "y" : "ies"));
        }
        libssh2_agent_disconnect(agent);
    }
    libssh2_agent_free(agent);
    return authenticated;
}

int try_key_file(LIBSSH2_SESSION* session, const SshTarget& target, const std::string& path,
                 const char* passphrase) {
    // No public key path: with the OpenSSL backend libssh2 derives it from the
    // private key, so a missing or stale .pub beside it cannot get in the way.
    return libssh2_userauth_publickey_fromfile_ex(session, target.user.c_str(),
                                                  static_cast<unsigned int>(target.user.size()),
                                                  nullptr, path.c_str(), passphrase);
}

bool try_identity_file(LIBSSH2_SESSION* session, const SshTarget& target, const std::string& path,
                       Attempts& attempts) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        attempts.notes.push_back(path + " (no such file)");
        return false;
    }
    PrivateKeyInfo info = inspect_private_key(read_text(path), read_text(path + ".pub"));
    attempts.offered_rsa = attempts.offered_rsa || info.is_rsa();
    const char* from_env = std::getenv("SMO_SSH_PASSPHRASE");
    int rc = try_key_file(session, target, path, from_env != nullptr ? from_env : "");
    throw_if_link_lost(session, rc, target);
    // -16 (LIBSSH2_ERROR_FILE) is what a missing or wrong passphrase gives.
    bool passphrase_problem = info.encrypted && rc == LIBSSH2_ERROR_FILE;
    for (int attempt = 0; passphrase_problem && attempt < k_passphrase_attempts; ++attempt) {
        std::optional<std::string> typed = ask_passphrase(path);
        if (!typed) {
            break;
        }
        rc = try_key_file(session, target, path, typed->c_str());
        wipe(*typed);
        throw_if_link_lost(session, rc, target);
        passphrase_problem = rc == LIBSSH2_ERROR_FILE;
    }
    if (rc == 0) {
        return true;
    }
    std::string why;
    if (passphrase_problem) {
        why = from_env != nullptr ? "passphrase from SMO_SSH_PASSPHRASE is wrong"
                                  : "encrypted: set SMO_SSH_PASSPHRASE or add it to ssh-agent";
    } else if (rc == LIBSSH2_ERROR_FILE) {
        why = "unreadable: " + last_error(session);
    } else {
        why = "refused by the server";
    }
    attempts.notes.push_back(fmt::format("{} ({}{})", path, info.is_rsa() ? "RSA, " : "", why));
    return false;
}

std::string join(const std::vector<std::string>& parts) {
    return text::join(parts, "; ");
}

} // namespace

void authenticate(LIBSSH2_SESSION* session, const SshTarget& target) {
    const char* methods = libssh2_userauth_list(session, target.user.c_str(),
                                                static_cast<unsigned int>(target.user.size()));
    if (methods == nullptr) {
        if (libssh2_userauth_authenticated(session) != 0) {
            return; // the server accepted "none"
        }
        throw TransportError(fmt::format("cannot ask {} for its authentication methods: {}",
                                         describe_target(target), last_error(session)));
    }
    if (std::strstr(methods, "publickey") == nullptr) {
        throw TransportError(fmt::format(
            "authentication impossible for {}: the server offers only \"{}\" and smo uses only "
            "public keys (never passwords)",
            describe_target(target), methods));
    }
    Attempts attempts;
    const auto try_files = [&] {
        for (const std::string& path : target.identity_files) {
            if (try_identity_file(session, target, path, attempts)) {
                return true;
            }
        }
        return false;
    };
    // Configured files first (OpenSSH's IdentitiesOnly idea): every refused
    // agent key costs one of the server's MaxAuthTries.
    const bool authenticated = target.identity_files_first
                                   ? try_files() || try_agent(session, target, attempts)
                                   : try_agent(session, target, attempts) || try_files();
    if (authenticated) {
        return;
    }
    std::string message =
        fmt::format("authentication failed for {} (public keys only, never passwords); tried: {}",
                    describe_target(target), join(attempts.notes));
    if (target.identity_files.empty()) {
        message += "; no identity files configured";
    }
    if (attempts.offered_rsa) {
        message += ". RSA keys cannot be used here (libssh2 1.10 signs with SHA-1, which OpenSSH 9 "
                   "refuses): use an ed25519 or ECDSA key";
    }
    throw TransportError(message);
}

} // namespace smo::libssh2
