#include "switch_support.hpp"

#include "smo/errors.hpp"
#include "smo/ports/clock.hpp"
#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"
#include "stage_support.hpp"

namespace smo::stages {
namespace {

constexpr std::chrono::milliseconds k_poll_interval{500};
constexpr int k_reconnect_attempts = 5;
constexpr std::chrono::milliseconds k_reconnect_pause{2000};

std::optional<StageOutcome> refused(const CommandResult& result, std::chrono::seconds timeout,
                                    const std::string& what) {
    if (result.succeeded()) {
        return std::nullopt;
    }
    return StageOutcome::fail("could not " + what + ": " + why_failed(result, timeout) +
                              "; live app untouched");
}

// One poll; nullopt when the link is lost for good.
std::optional<remote::JournalReply> poll(Context& context) {
    const auto timeout = quick_timeout(context);
    const std::string command = remote::read_journal(context.state.paths);
    for (int round = 0; round < 2; ++round) {
        try {
            const CommandResult result = context.ports.shell.run(command, timeout);
            remote::JournalReply reply = remote::parse_journal_reply(result.out);
            if (reply.answered) {
                return reply;
            }
        } catch (const TransportError& error) {
            warn(context, std::string("lost the link while following the switch: ") + error.what() +
                              "; reconnecting");
            if (!reconnect(context, k_reconnect_attempts, k_reconnect_pause)) {
                return std::nullopt;
            }
        }
    }
    return std::nullopt;
}

} // namespace

journal::Header journal_header(const Context& context) {
    const auto& report = context.report;
    const auto& paths = context.state.paths;
    journal::Header header;
    header.from_tag = report.from_tag;
    header.from_commit = report.from_commit;
    header.to_tag = report.to_tag;
    header.to_commit = report.to_commit;
    header.strategy = to_string(context.env().rollback.strategy);
    header.staging = paths.staging;
    header.aside = paths.aside;
    if (context.env().rollback.strategy == Strategy::staged) {
        header.items = switch_plan(context, false).items;
    }
    header.opened_at = report.started_at_utc;
    header.holder = lock_owner(context).describe();
    return header;
}

remote::SwitchPlan switch_plan(const Context& context, bool with_db) {
    const auto& env = context.env();
    remote::SwitchPlan plan;
    plan.from_commit = context.report.from_commit;
    plan.to_commit = context.report.to_commit;
    plan.strategy = env.rollback.strategy;
    plan.db_rollback = with_db;
    plan.db_text = env.rollback.commands.db_rollback;
    plan.items = {"node_modules"};
    plan.items.insert(plan.items.end(), context.state.build_outputs.begin(),
                      context.state.build_outputs.end());
    plan.install_text = env.rollback.commands.install;
    plan.build_text = env.rollback.commands.build;
    plan.reload_text = remote::with_pm2_name(env.rollback.commands.reload, env.pm2_name);
    plan.step_timeout_seconds = static_cast<int>(long_timeout(context).count());
    return plan;
}

std::optional<StageOutcome> ensure_journal(Context& context) {
    if (context.state.journal_open) {
        return std::nullopt;
    }
    const auto timeout = quick_timeout(context);
    const std::string header = journal::render_header(journal_header(context));
    const CommandResult result =
        run_remote(context, remote::open_journal(context.state.paths, header), timeout);
    if (auto stop = refused(result, timeout, "write the switch journal")) {
        return stop;
    }
    context.state.journal = journal::parse(header);
    context.state.journal_open = true;
    return std::nullopt;
}

std::optional<StageOutcome> note_in_journal(Context& context, const std::string& step) {
    const auto timeout = quick_timeout(context);
    const CommandResult result =
        run_remote(context, remote::append_journal(context.state.paths, "done=" + step), timeout);
    if (!result.succeeded()) {
        return StageOutcome::fail("could not journal " + step + ": " + why_failed(result, timeout));
    }
    context.state.journal.done.push_back(step);
    return std::nullopt;
}

std::optional<StageOutcome> launch_switch(Context& context, bool with_db) {
    auto& state = context.state;
    const std::string header =
        state.journal_open ? std::string() : journal::render_header(journal_header(context));
    const std::string script = remote::switch_script(state.paths, switch_plan(context, with_db));
    const auto timeout = quick_timeout(context);
    const CommandResult result =
        run_remote(context, remote::launch_switch(state.paths, script, header), timeout);
    if (auto stop = refused(result, timeout, "start the switch on the target")) {
        return stop;
    }
    if (!header.empty()) {
        state.journal = journal::parse(header);
        state.journal_open = true;
    }
    state.switch_begun = true;
    state.switch_launched = true;
    state.switch_in_flight = true;
    return std::nullopt;
}

Followed follow_switch(Context& context, const std::function<bool(const journal::Journal&)>& until,
                       std::chrono::seconds limit) {
    Clock& clock = context.ports.clock;
    const auto deadline = clock.now() + limit;
    Followed followed;
    while (true) {
        const auto reply = poll(context);
        if (!reply) {
            followed.lost = true;
            return followed;
        }
        context.state.journal = reply->journal;
        followed.runner_alive = reply->runner_alive;
        const bool ended = !reply->journal.result.empty() || !reply->runner_alive;
        context.state.switch_in_flight = !ended;
        if (ended || until(reply->journal)) {
            return followed;
        }
        if (clock.now() >= deadline) {
            followed.timed_out = true;
            return followed;
        }
        clock.sleep_for(k_poll_interval);
    }
}

std::string steps_done(const journal::Journal& journal) {
    const std::string text = text::join(journal.done, ", ");
    return text.empty() ? std::string("none") : text;
}

std::string switch_log_tail(Context& context) {
    try {
        const CommandResult result = context.ports.shell.run(
            remote::switch_log_tail(context.state.paths), quick_timeout(context));
        return remote::tail_of(result.out, 4);
    } catch (const std::exception&) {
        return {};
    }
}

} // namespace smo::stages
