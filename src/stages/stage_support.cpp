#include "stage_support.hpp"

#include "smo/drill_rules.hpp"
#include "smo/errors.hpp"
#include "smo/local_user.hpp"
#include "smo/ports/clock.hpp"
#include "smo/ports/file_system.hpp"
#include "smo/redact.hpp"
#include "smo/remote/lock.hpp"
#include "smo/remote_replies.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace smo::stages {

std::chrono::seconds quick_timeout(const Context& context) {
    const int configured = std::max(1, context.env().rollback.command_timeout_seconds);
    return std::chrono::seconds(std::min(60, configured));
}

std::chrono::seconds long_timeout(const Context& context) {
    return std::chrono::seconds(std::max(1, context.env().rollback.command_timeout_seconds));
}

CommandResult run_remote(Context& context, const std::string& command,
                         std::chrono::seconds timeout) {
    if (context.interrupted()) {
        throw Interrupted();
    }
    context.ports.reporter.info("$ " + command);
    if (context.state.lock_held && timeout > std::chrono::seconds(60)) {
        return context.ports.shell.run(remote::with_heartbeat(context.state.paths, command),
                                       timeout);
    }
    return context.ports.shell.run(command, timeout);
}

bool reconnect(Context& context, int attempts, std::chrono::milliseconds pause) {
    for (int attempt = 1; attempt <= attempts; ++attempt) {
        try {
            context.ports.shell.connect(context.target);
            return true;
        } catch (const TransportError& error) {
            if (attempt == attempts) {
                warn(context, "could not reconnect after " + std::to_string(attempts) +
                                  " attempts: " + error.what());
                return false;
            }
            context.ports.clock.sleep_for(pause);
        }
    }
    return false;
}

bool local_process_gone(Context& context, const std::string& pid) {
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) {
        return false;
    }
    FileSystem& files = context.ports.files;
    return files.exists("/proc/self") && !files.exists("/proc/" + pid);
}

std::string why_failed(const CommandResult& result, std::chrono::seconds timeout) {
    std::string text;
    if (result.timed_out || result.exit_status == 124) {
        text = "timed out after " + std::to_string(timeout.count()) + "s";
    } else if (!result.exit_signal.empty()) {
        text = "killed by SIG" + result.exit_signal;
    } else {
        text = "exit " + std::to_string(result.exit_status);
    }
    std::string tail = remote::tail_of(result.err);
    if (tail.empty()) {
        tail = remote::tail_of(result.out);
    }
    return tail.empty() ? text : text + ": " + tail;
}

void warn(Context& context, const std::string& text) {
    const std::string shown = redacted_target_text(context, text, true);
    context.report.warnings.push_back(shown);
    context.ports.reporter.warning(shown);
}

void report_poll(Context& context, int stage, int number, const HealthReading& reading,
                 const std::string& expected_commit) {
    PollReport poll;
    poll.stage = stage;
    poll.number = number;
    poll.text = redacted_target_text(context, describe_health(reading, expected_commit), false);
    poll.healthy = is_healthy(reading, expected_commit);
    poll.http_status = reading.http_status;
    poll.commit = reading.commit;
    context.ports.reporter.poll(poll);
}

remote::LockOwner lock_owner(const Context& context) {
    // The operator's side of the link, so that a held lock names a person and
    // a machine someone can walk up to.
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
        std::snprintf(host, sizeof host, "%s", "unknown-host");
    }
    return remote::LockOwner{operator_name(), host, std::to_string(static_cast<long>(getpid())),
                             context.report.started_at_utc};
}

HealthReading poll_health(Context& context, std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - context.ports.clock.now());
    return read_health(context.ports.http, context.env().health_url,
                       std::clamp(left, k_health_poll_interval, k_health_request_timeout));
}

std::optional<StageOutcome> staged_work_skipped(const Context& context, const char* standby_note,
                                                const char* in_place_note) {
    if (context.state.resumed_staging) {
        return StageOutcome::skipped("resuming: the interrupted run's staged release is kept");
    }
    if (context.state.standby_reused) {
        return StageOutcome::skipped(standby_note);
    }
    if (context.env().rollback.strategy == Strategy::in_place) {
        return StageOutcome::skipped(in_place_note);
    }
    return std::nullopt;
}

remote::LockOwner planned_lock_owner() {
    return remote::LockOwner{"<you>", "<this host>", "<pid>", "<now>"};
}

std::string joined(const std::vector<std::string>& items, std::size_t limit) {
    std::string text = text::join(
        {items.begin(), items.begin() + static_cast<std::ptrdiff_t>(std::min(limit, items.size()))},
        ", ");
    if (items.size() > limit) {
        text += ", and " + std::to_string(items.size() - limit) + " more";
    }
    return text;
}

StageOutcome finding(const Context& context, StageOutcome outcome) {
    if (context.drill() && outcome.status == StageStatus::failed) {
        outcome.exit_code = drill_exit_code(outcome.exit_code);
    }
    return outcome;
}

} // namespace smo::stages

namespace smo {

std::string redacted_target_text(Context& context, const std::string& text, bool read_env) {
    auto& state = context.state;
    const auto& env_files = context.env().rollback.env_files;
    if (read_env && !text.empty() && !state.secret_values && state.connected &&
        !state.paths.live.empty()) {
        state.secret_values.emplace();
        if (!env_files.empty()) {
            try {
                const CommandResult read = context.ports.shell.run(
                    remote::read_env_files(state.paths, env_files), stages::quick_timeout(context));
                *state.secret_values = env_file_values(read.out);
            } catch (const Error&) {
                // A lost link: URL passwords are still redacted below.
            }
        }
    }
    return redact_secrets(text, state.secret_values.value_or(std::vector<std::string>()));
}

} // namespace smo
