#include "smo/adapters/libssh2_remote_shell.hpp"

#include "libssh2_channel_io.hpp"
#include "libssh2_internal.hpp"
#include "libssh2_login_env.hpp"
#include "smo/errors.hpp"
#include "smo/shell_quote.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <mutex>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

namespace smo {

namespace libssh2 {

std::string last_error(LIBSSH2_SESSION* session) {
    char* message = nullptr;
    int length = 0;
    int rc = libssh2_session_last_error(session, &message, &length, 0);
    if (message != nullptr && length > 0) {
        return std::string(message, static_cast<std::size_t>(length));
    }
    return fmt::format("error {}", rc);
}

std::string describe_target(const SshTarget& target) {
    return fmt::format("{}@{}:{}", target.user, target.address, target.port);
}

bool is_link_error(int rc) {
    switch (rc) {
    case LIBSSH2_ERROR_SOCKET_NONE:
    case LIBSSH2_ERROR_BANNER_RECV:
    case LIBSSH2_ERROR_BANNER_SEND:
    case LIBSSH2_ERROR_SOCKET_SEND:
    case LIBSSH2_ERROR_TIMEOUT:
    case LIBSSH2_ERROR_SOCKET_DISCONNECT:
    case LIBSSH2_ERROR_SOCKET_TIMEOUT:
    case LIBSSH2_ERROR_SOCKET_RECV:
    case LIBSSH2_ERROR_BAD_SOCKET:
    case LIBSSH2_ERROR_PROTO:
    case LIBSSH2_ERROR_DECRYPT:
    case LIBSSH2_ERROR_INVALID_MAC:
        return true;
    default:
        return false;
    }
}

} // namespace libssh2

namespace {

using Clock = std::chrono::steady_clock;

void initialise_libssh2_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (libssh2_init(0) != 0) {
            throw TransportError("libssh2_init failed");
        }
    });
}

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

// Waits for a non-blocking connect; returns 0 or an errno value.
int finish_connect(int fd, Clock::time_point deadline) {
    pollfd entry{fd, POLLOUT, 0};
    int rc = 0;
    do {
        rc = ::poll(&entry, 1, remaining_ms(deadline));
    } while (rc < 0 && errno == EINTR);
    if (rc == 0) {
        return ETIMEDOUT;
    }
    if (rc < 0) {
        return errno;
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    return error;
}

// A connected TCP socket (non-blocking: libssh2 waits on it itself), or
// TransportError within the connect timeout.
int tcp_connect(const SshTarget& target) {
    const std::string where = fmt::format("{}:{}", target.address, target.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    int rc =
        ::getaddrinfo(target.address.c_str(), std::to_string(target.port).c_str(), &hints, &found);
    if (rc != 0) {
        throw TransportError(
            fmt::format("cannot resolve {}: {}", target.address, gai_strerror(rc)));
    }
    const auto deadline = Clock::now() + std::chrono::seconds(target.connect_timeout_seconds);
    int error = EHOSTUNREACH;
    int fd = -1;
    for (addrinfo* address = found; address != nullptr && fd < 0; address = address->ai_next) {
        fd = ::socket(address->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            error = errno;
            continue;
        }
        error = ::connect(fd, address->ai_addr, address->ai_addrlen) == 0 ? 0 : errno;
        if (error == EINPROGRESS) {
            error = finish_connect(fd, deadline);
        }
        if (error != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(found);
    if (fd < 0) {
        std::string why = error == ETIMEDOUT
                              ? fmt::format("no answer within {} s", target.connect_timeout_seconds)
                              : std::strerror(error);
        throw TransportError(
            fmt::format("cannot connect to {} ({}): {}", where, target.label, why));
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    return fd;
}

void handshake(LIBSSH2_SESSION* session, int fd, const SshTarget& target) {
    int rc = libssh2_session_handshake(session, fd);
    if (rc == 0) {
        return;
    }
    std::string message = fmt::format("SSH handshake with {}:{} failed: {}", target.address,
                                      target.port, libssh2::last_error(session));
    if (rc == LIBSSH2_ERROR_KEX_FAILURE || rc == LIBSSH2_ERROR_METHOD_NONE ||
        rc == LIBSSH2_ERROR_HOSTKEY_INIT) {
        message += ". This libssh2 (1.10) verifies only ssh-ed25519 and ecdsa-sha2-nistp* host "
                   "keys: it cannot verify rsa-sha2 host keys, so a server with only an RSA host "
                   "key is unreachable; give the server an ed25519 host key";
    }
    throw TransportError(message);
}

} // namespace

struct Libssh2RemoteShell::Session {
    SshTarget target;
    int fd = -1;
    LIBSSH2_SESSION* session = nullptr;
    // The login shell paid once (libssh2_login_env.hpp): the shell to replay
    // commands in, and the environment once captured.
    std::optional<std::string> plain_shell;
    std::optional<libssh2::LoginEnv> login_env;

    ~Session() { close(false); }

    CommandResult exec(const std::string& command, std::string wire, int seconds,
                       const std::atomic<bool>* interrupt) {
        libssh2::ChannelRun channel_run{
            session,         fd,      target,          command,
            std::move(wire), seconds, k_grace_seconds, k_max_output_bytes,
            interrupt};
        return libssh2::run_channel(channel_run);
    }

    // Runs the login shell once for its environment. Returns the command's
    // result only when the login shell itself timed out (the command would
    // have too); a capture that fails otherwise leaves every command on the
    // login shell, as before.
    std::optional<CommandResult> capture_login_env(const std::string& command, int seconds,
                                                   const std::atomic<bool>* interrupt) {
        const auto started = std::chrono::steady_clock::now();
        CommandResult captured = exec(
            command,
            wrap_remote_command(target.remote_shell, libssh2::login_env_capture_command(), seconds),
            seconds, interrupt);
        if (captured.timed_out) {
            return captured;
        }
        if (captured.succeeded()) {
            login_env = libssh2::parse_login_env(captured.out);
        }
        const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
        if (login_env) {
            spdlog::debug("login shell ({}) paid once: {:.2f} s, {} variables; commands run in "
                          "`{}` with that environment",
                          target.remote_shell, took.count(), login_env->assignments.size(),
                          *plain_shell);
        } else {
            spdlog::debug("could not capture the login environment (exit {}): every command "
                          "runs through `{}`",
                          captured.exit_status, target.remote_shell);
        }
        if (!login_env) {
            plain_shell.reset(); // not tried again this session
        }
        return std::nullopt;
    }

    std::string wire_for(const std::string& command, int seconds) const {
        if (plain_shell && login_env) {
            std::string line = libssh2::replay_command(*login_env, *plain_shell, command, seconds);
            if (line.size() <= libssh2::k_max_replay_bytes) {
                return line;
            }
        }
        return wrap_remote_command(target.remote_shell, command, seconds);
    }

    void close(bool polite) {
        if (session != nullptr) {
            if (polite) {
                // Bounded: a dead link must not hang disconnect().
                libssh2_session_set_blocking(session, 1);
                libssh2_session_set_timeout(session, 2000);
                libssh2_session_disconnect(session, "smo-rollback done");
            }
            // With the socket shut, what libssh2_session_free still wants to
            // say (closing channels of a dead link) fails at once instead of
            // returning EAGAIN, which would leave the session unfreed.
            if (fd >= 0) {
                ::shutdown(fd, SHUT_RDWR);
            }
            libssh2_session_set_blocking(session, 0);
            for (int attempt = 0; attempt < 10; ++attempt) {
                if (libssh2_session_free(session) != LIBSSH2_ERROR_EAGAIN) {
                    break;
                }
            }
            session = nullptr;
        }
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }
};

Libssh2RemoteShell::Libssh2RemoteShell() = default;

Libssh2RemoteShell::~Libssh2RemoteShell() = default;

void Libssh2RemoteShell::connect(const SshTarget& target) {
    disconnect();
    initialise_libssh2_once();
    auto state = std::make_unique<Session>();
    state->target = target;
    state->fd = tcp_connect(target);
    state->session = libssh2_session_init();
    if (state->session == nullptr) {
        throw TransportError("libssh2_session_init failed");
    }
    libssh2_session_set_blocking(state->session, 1);
    libssh2_session_set_timeout(state->session,
                                std::max(1, target.connect_timeout_seconds) * 1000L);
    // Host key algorithms come from known_hosts: left alone, libssh2 picks
    // ecdsa while known_hosts usually holds the ed25519 key.
    libssh2::KnownHosts known_hosts(state->session, target);
    const std::string preference = known_hosts.hostkey_preference();
    if (libssh2_session_method_pref(state->session, LIBSSH2_METHOD_HOSTKEY, preference.c_str()) !=
        0) {
        throw TransportError(fmt::format("libssh2 rejected host key algorithms {}: {}", preference,
                                         libssh2::last_error(state->session)));
    }
    handshake(state->session, state->fd, target);
    known_hosts.verify(state->session);
    libssh2::authenticate(state->session, target);
    if (target.keepalive_seconds > 0) {
        libssh2_keepalive_config(state->session, 1,
                                 static_cast<unsigned int>(target.keepalive_seconds));
    }
    // A login shell is started once, by the first command (capture_login_env).
    state->plain_shell = libssh2::non_login_shell(target.remote_shell);
    m_session = std::move(state);
}

CommandResult Libssh2RemoteShell::run(const std::string& command, std::chrono::seconds timeout) {
    if (!m_session) {
        throw TransportError(fmt::format(
            "SSH: not connected (never connected, or the link was lost earlier): cannot run `{}`",
            command));
    }
    const int seconds = static_cast<int>(std::max<std::int64_t>(1, timeout.count()));
    try {
        if (m_session->plain_shell && !m_session->login_env) {
            if (auto timed_out = m_session->capture_login_env(command, seconds, m_interrupt)) {
                return *timed_out;
            }
        }
        return m_session->exec(command, m_session->wire_for(command, seconds), seconds,
                               m_interrupt);
    } catch (const TransportError&) {
        // The session is unusable after a lost link; later calls must not hang on it.
        m_session->close(false);
        m_session.reset();
        throw;
    }
}

void Libssh2RemoteShell::disconnect() {
    if (m_session) {
        m_session->close(true);
        m_session.reset();
    }
}

} // namespace smo
