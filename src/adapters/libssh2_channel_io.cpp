#include "libssh2_channel_io.hpp"

#include "smo/errors.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>

namespace smo::libssh2 {

namespace {

using Clock = std::chrono::steady_clock;

// Like OpenSSH's ServerAliveCountMax: this many unanswered keepalive
// intervals mean the link is dead.
constexpr int k_keepalive_count_max = 3;
// Reads per stream per turn, so that a flood on one stream cannot starve the other.
constexpr int k_reads_per_turn = 32;
// How long closing a channel may take before it is abandoned to the session.
constexpr auto k_close_budget = std::chrono::seconds(3);

int remaining_ms(Clock::time_point until) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    return static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, 1000));
}

// "git fetch --tags origin", at most a few words, for error messages.
std::string first_words(const std::string& command) {
    std::string words;
    int count = 0;
    for (std::size_t pos = 0; pos < command.size() && count < 4;) {
        std::size_t start = command.find_first_not_of(" \t\n", pos);
        if (start == std::string::npos) {
            break;
        }
        std::size_t end = command.find_first_of(" \t\n", start);
        words += (words.empty() ? "" : " ") + command.substr(start, end - start);
        ++count;
        pos = end == std::string::npos ? command.size() : end;
    }
    if (words.size() > 60) {
        words = words.substr(0, 57) + "...";
    }
    return words;
}

// One output stream, keeping its last `max` bytes.
class Capture {
  public:
    explicit Capture(std::size_t max) : m_max(max) {}

    void add(const char* data, std::size_t size) {
        m_text.append(data, size);
        // Trim in chunks, not per read, so a flood stays linear.
        if (m_text.size() > m_max + m_max / 4) {
            trim();
        }
    }

    void note(const std::string& text) { m_text += text; }

    std::string finish(const char* name) {
        trim();
        if (m_dropped == 0) {
            return std::move(m_text);
        }
        return fmt::format("[smo: first {} bytes of {} dropped, last {} kept]\n", m_dropped, name,
                           m_text.size()) +
               m_text;
    }

  private:
    void trim() {
        if (m_text.size() > m_max) {
            std::size_t excess = m_text.size() - m_max;
            m_text.erase(0, excess);
            m_dropped += excess;
        }
    }

    std::size_t m_max;
    std::string m_text;
    std::size_t m_dropped = 0;
};

class ChannelIo {
  public:
    explicit ChannelIo(const ChannelRun& run)
        : m_run(run), m_started(Clock::now()),
          m_deadline(m_started + std::chrono::seconds(run.timeout_seconds + run.grace_seconds)),
          m_last_inbound(m_started), m_out(run.max_output_bytes), m_err(run.max_output_bytes) {}

    CommandResult execute();

  private:
    LIBSSH2_CHANNEL* open_channel();
    void exec(LIBSSH2_CHANNEL* channel);
    bool read_until_eof(LIBSSH2_CHANNEL* channel);
    bool drain(LIBSSH2_CHANNEL* channel, int stream, Capture& capture);
    void close_channel(LIBSSH2_CHANNEL* channel, bool collect, CommandResult& result);
    void wait(Clock::time_point until);
    [[noreturn]] void lost(const std::string& why) const;

    const ChannelRun& m_run;
    Clock::time_point m_started;
    Clock::time_point m_deadline;
    Clock::time_point m_last_inbound;
    Capture m_out;
    Capture m_err;
    bool m_noted_interrupt = false;
};

CommandResult ChannelIo::execute() {
    libssh2_session_set_blocking(m_run.session, 0);
    LIBSSH2_CHANNEL* channel = open_channel();
    exec(channel);
    CommandResult result;
    bool finished = read_until_eof(channel);
    close_channel(channel, finished, result);
    if (!finished) {
        result.timed_out = true;
        result.exit_status = -1;
    }
    auto elapsed = Clock::now() - m_started;
    // GNU timeout exits 124, or 128+9 when it had to follow up with -k's KILL.
    if (result.exit_status == 124 ||
        (result.exit_status == 137 && elapsed >= std::chrono::seconds(m_run.timeout_seconds))) {
        result.timed_out = true;
    }
    result.out = m_out.finish("stdout");
    result.err = m_err.finish("stderr");
    return result;
}

LIBSSH2_CHANNEL* ChannelIo::open_channel() {
    for (;;) {
        LIBSSH2_CHANNEL* channel = libssh2_channel_open_session(m_run.session);
        if (channel != nullptr) {
            return channel;
        }
        if (libssh2_session_last_errno(m_run.session) != LIBSSH2_ERROR_EAGAIN) {
            lost("cannot open a channel: " + last_error(m_run.session));
        }
        if (Clock::now() >= m_deadline) {
            lost("no answer while opening a channel");
        }
        wait(m_deadline);
    }
}

void ChannelIo::exec(LIBSSH2_CHANNEL* channel) {
    int rc = 0;
    while ((rc = libssh2_channel_exec(channel, m_run.wire_command.c_str())) ==
           LIBSSH2_ERROR_EAGAIN) {
        if (Clock::now() >= m_deadline) {
            lost("no answer to the exec request");
        }
        wait(m_deadline);
    }
    if (rc != 0) {
        lost("the server did not start the command: " + last_error(m_run.session));
    }
}

// True at EOF, false when the local deadline passed first.
bool ChannelIo::read_until_eof(LIBSSH2_CHANNEL* channel) {
    for (;;) {
        bool progress = drain(channel, 0, m_out);
        progress = drain(channel, SSH_EXTENDED_DATA_STDERR, m_err) || progress;
        int eof = libssh2_channel_eof(channel);
        if (eof < 0) {
            lost("channel error: " + last_error(m_run.session));
        }
        if (eof > 0 && !progress) {
            return true;
        }
        if (Clock::now() >= m_deadline) {
            return false;
        }
        if (!progress) {
            wait(m_deadline);
        }
    }
}

bool ChannelIo::drain(LIBSSH2_CHANNEL* channel, int stream, Capture& capture) {
    std::array<char, 32 * 1024> buffer{};
    bool progress = false;
    for (int turn = 0; turn < k_reads_per_turn; ++turn) {
        ssize_t n = libssh2_channel_read_ex(channel, stream, buffer.data(), buffer.size());
        if (n == LIBSSH2_ERROR_EAGAIN || n == 0) {
            break;
        }
        if (n < 0) {
            lost(last_error(m_run.session));
        }
        capture.add(buffer.data(), static_cast<std::size_t>(n));
        m_last_inbound = Clock::now();
        progress = true;
    }
    return progress;
}

// Closes and frees the channel. With `collect`, waits for the server's close
// and reads exit status and signal; without (local timeout) it only tries.
void ChannelIo::close_channel(LIBSSH2_CHANNEL* channel, bool collect, CommandResult& result) {
    const auto budget = Clock::now() + k_close_budget;
    auto retry = [&](auto&& call) {
        int rc = 0;
        while ((rc = call()) == LIBSSH2_ERROR_EAGAIN && Clock::now() < budget) {
            wait(budget);
        }
        return rc;
    };
    int rc = retry([&] { return libssh2_channel_close(channel); });
    const bool closed =
        collect && rc == 0 && retry([&] { return libssh2_channel_wait_closed(channel); }) == 0;
    if (collect && !closed) {
        // libssh2 answers 0 when no exit status arrived: a command still
        // running (or killed) would read as a success.
        result.exit_status = -1;
        m_err.note("[smo: the server never closed the channel; exit status unknown]\n");
    } else if (collect) {
        result.exit_status = libssh2_channel_get_exit_status(channel);
        char* signal = nullptr;
        size_t signal_length = 0;
        libssh2_channel_get_exit_signal(channel, &signal, &signal_length, nullptr, nullptr, nullptr,
                                        nullptr);
        if (signal != nullptr) {
            result.exit_signal.assign(signal, signal_length);
            libssh2_free(m_run.session, signal);
        }
    }
    if (is_link_error(rc)) {
        lost(last_error(m_run.session));
    }
    retry([&] { return libssh2_channel_free(channel); });
}

// Waits for the socket in the direction libssh2 needs, sending keepalives and
// giving up on a silent link.
void ChannelIo::wait(Clock::time_point until) {
    int wait_ms = remaining_ms(until);
    const int keepalive = m_run.target.keepalive_seconds;
    if (keepalive > 0) {
        int next = 0;
        int rc = libssh2_keepalive_send(m_run.session, &next);
        if (rc != 0 && rc != LIBSSH2_ERROR_EAGAIN) {
            lost("cannot send a keepalive: " + last_error(m_run.session));
        }
        auto silent = Clock::now() - m_last_inbound;
        if (silent > std::chrono::seconds(keepalive * k_keepalive_count_max + 1)) {
            lost(fmt::format("no reply to {} keepalives ({} s of silence)", k_keepalive_count_max,
                             std::chrono::duration_cast<std::chrono::seconds>(silent).count()));
        }
        wait_ms = std::min(wait_ms, std::max(next, 1) * 1000);
    }
    int directions = libssh2_session_block_directions(m_run.session);
    short events = 0;
    if ((directions & LIBSSH2_SESSION_BLOCK_INBOUND) != 0) {
        events |= POLLIN;
    }
    if ((directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) != 0) {
        events |= POLLOUT;
    }
    pollfd entry{m_run.fd, events != 0 ? events : static_cast<short>(POLLIN), 0};
    int rc = ::poll(&entry, 1, wait_ms);
    if (rc < 0 && errno != EINTR) {
        lost(std::string("poll: ") + std::strerror(errno));
    }
    if (m_run.interrupt != nullptr && m_run.interrupt->load() && !m_noted_interrupt) {
        // docs/safety.md: Ctrl-C stops after the current command, never in the middle.
        m_noted_interrupt = true;
        spdlog::info("Ctrl-C: letting `{}` finish first", first_words(m_run.command));
    }
    if (rc > 0 && (entry.revents & (POLLERR | POLLNVAL)) != 0) {
        lost("socket error");
    }
    if (rc > 0 && (entry.revents & (POLLIN | POLLHUP)) != 0) {
        m_last_inbound = Clock::now();
    }
}

void ChannelIo::lost(const std::string& why) const {
    throw TransportError(fmt::format("lost the SSH connection to {} ({}:{}) while running `{}`: {}",
                                     m_run.target.label, m_run.target.address, m_run.target.port,
                                     first_words(m_run.command), why));
}

} // namespace

CommandResult run_channel(const ChannelRun& run) {
    ChannelIo io(run);
    return io.execute();
}

} // namespace smo::libssh2
