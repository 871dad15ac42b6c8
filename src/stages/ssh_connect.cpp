// ssh-connect: opens the session, takes the lock on the target, and checks
//   the tools, a clean live tree and that the live HEAD is the from-commit;
//   a live release that answers healthy needs a yes (healthy_live.cpp).
// Reads: target, state.paths/served_*, report.from_commit, options.break_lock/
//   auto_mode/yes, the prompt.
// Resume: an unfinished switch journal on the target makes this run finish
//   that rollback (from/to taken from the journal, docs/safety.md); no
//   healthy-live question then: the journal already holds the decision.
// Writes: state.connected, lock_held, live_commit, journal/resuming;
//   report.from_commit when the
//   records did not know it (and from/to again when the live HEAD shows the
//   records guessed wrong while the app was unreachable).
// Drill: the same (the lock is taken; everything else only reads).
#include "smo/health.hpp"
#include "smo/ports/clock.hpp"
#include "smo/ports/local_git.hpp"
#include "smo/ports/remote_shell.hpp"
#include "smo/ref_name.hpp"
#include "smo/remote/live_checks.hpp"
#include "smo/remote/lock.hpp"
#include "smo/remote/switch.hpp"
#include "smo/remote_replies.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

namespace smo::stages {
namespace {

std::string holder_text(const remote::LockReply& reply) {
    std::string text = reply.holder.user.empty() && reply.holder.host.empty()
                           ? std::string("an unknown holder (owner file unreadable)")
                           : reply.holder.describe();
    if (reply.age_seconds >= 0) {
        text += " (last heartbeat " + std::to_string(reply.age_seconds / 60) + " min ago)";
    }
    return text;
}

// The holder is this machine's user and its process is gone: a run of ours
// that was killed (SIGKILL, a crash) and could not release the lock.
bool dead_holder_here(Context& context, const remote::LockReply& reply,
                      const remote::LockOwner& owner) {
    return reply.holder.host == owner.host && reply.holder.user == owner.user &&
           !reply.holder.pid.empty() && reply.holder.pid != owner.pid &&
           local_process_gone(context, reply.holder.pid);
}

std::optional<StageOutcome> take_over(Context& context, const remote::LockReply& reply,
                                      const std::string& why) {
    const auto& paths = context.state.paths;
    const auto timeout = quick_timeout(context);
    const CommandResult taken =
        run_remote(context, remote::lock_take_over(paths, lock_owner(context)), timeout);
    if (!taken.succeeded() || !remote::lock_taken(taken.out)) {
        return StageOutcome::fail("could not take over the lock " + paths.lock + ": " +
                                  why_failed(taken, timeout));
    }
    context.state.lock_held = true;
    warn(context, "took over the lock held by " + holder_text(reply) + ": " + why);
    return std::nullopt;
}

std::optional<StageOutcome> take_lock(Context& context) {
    const auto& paths = context.state.paths;
    const remote::LockOwner owner = lock_owner(context);
    const auto timeout = quick_timeout(context);
    const CommandResult result = run_remote(context, remote::lock_acquire(paths, owner), timeout);
    if (!result.succeeded()) {
        return StageOutcome::fail("could not take the lock " + paths.lock + ": " +
                                  why_failed(result, timeout));
    }
    const remote::LockReply reply = remote::parse_lock_reply(result.out);
    if (reply.acquired) {
        context.state.lock_held = true;
        return std::nullopt;
    }
    if (dead_holder_here(context, reply, owner)) {
        return take_over(context, reply,
                         "process " + reply.holder.pid + " no longer runs on this host");
    }
    // Stale is judged by the heartbeat (the lock directory's mtime, touched
    // while long commands run), not by when the lock was taken.
    const int stale_minutes = context.env().rollback.lock_stale_minutes;
    const bool stale = reply.age_seconds > 60L * stale_minutes;
    context.report.lock_holder = reply.holder.describe();
    context.state.lock_fresh = !stale;
    std::string detail = "the target is locked by " + holder_text(reply) + " (" + paths.lock + ")";
    if (stale && context.options.break_lock && !context.options.auto_mode) {
        return take_over(context, reply,
                         "--break-lock, no heartbeat for over " + std::to_string(stale_minutes) +
                             " min");
    }
    if (stale && context.options.auto_mode) {
        detail += "; its heartbeat is stale, but --auto never breaks a lock";
        context.report.next = "a person checks the holder is gone, then smo-rollback --break-lock";
    } else if (stale) {
        detail += "; no heartbeat for over " + std::to_string(stale_minutes) +
                  " min: --break-lock takes it over";
        context.report.next = "smo-rollback --break-lock";
    } else {
        detail += ": another rollback is running";
        context.report.next = "wait for it (smo-rollback status shows the lock), then re-run "
                              "smo-rollback";
    }
    return finding(context, StageOutcome::halt(detail));
}

// Tools, a clean tree, the HEAD and the switch journal: one round trip.
std::string live_checks_command(const RemotePaths& paths) {
    return remote::live_checks(paths) + "\n" + remote::read_journal(paths);
}

// Runs live_checks_command; nullopt with `head` set when all is well.
std::optional<StageOutcome> check_live(Context& context, std::string& head,
                                       remote::JournalReply& journal) {
    const auto& paths = context.state.paths;
    const auto timeout = quick_timeout(context);
    const CommandResult result = run_remote(context, live_checks_command(paths), timeout);
    journal = remote::parse_journal_reply(result.out);
    const remote::LiveChecks checks = remote::parse_live_checks(result.out);
    if (!checks.missing_tools.empty()) {
        return finding(context, StageOutcome::fail("not found on the target through `" +
                                                   context.env().rollback.remote_shell +
                                                   "`: " + joined(checks.missing_tools, 4)));
    }
    if (!result.succeeded() || !checks.status_ok) {
        return finding(context, StageOutcome::fail("git status failed in " + paths.live + ": " +
                                                   why_failed(result, timeout)));
    }
    if (!checks.changes.empty()) {
        context.report.next = "on " + context.target.label + ": git -C " + paths.live +
                              " status — commit or revert the changes, then re-run smo-rollback";
        return finding(context,
                       StageOutcome::halt("the live tree " + paths.live + " has local changes (" +
                                          joined(checks.changes, 10) +
                                          "): commit or revert them by hand, then "
                                          "re-run"));
    }
    if (!checks.head_ok || !is_valid_commit(checks.head)) {
        return finding(context, StageOutcome::fail("git rev-parse HEAD failed in " + paths.live +
                                                   ": " + why_failed(result, timeout)));
    }
    head = checks.head;
    return std::nullopt;
}

// Stage 1 left the verdict to the journal (an older release served, nothing
// before it in the records): none to resume, so its usage error stands.
std::optional<StageOutcome> stage_1_stop(const Context& context) {
    const std::string& stop = context.state.stop_unless_resumed;
    if (stop.empty()) {
        return std::nullopt;
    }
    return StageOutcome{StageStatus::failed, stop + " (no interrupted rollback on the target)",
                        ExitCode::usage};
}

// The records guessed the current release while the app did not answer:
// the live HEAD is the truth, so identify and check again from it.
StageOutcome reidentify(Context& context, const std::string& head) {
    const std::string guessed = release_name(context.report.from_tag, context.report.from_commit);
    context.state.served_commit = head;
    StageOutcome outcome = identify_release(context);
    if (auto stop = stage_1_stop(context)) {
        outcome = *stop;
    } else if (outcome.status == StageStatus::ok) {
        outcome = check_release(context);
    }
    if (outcome.status != StageStatus::ok) {
        outcome.detail = "the target runs " + short_commit(head) + ", not " + guessed +
                         " as the records said; " + outcome.detail;
        return outcome;
    }
    warn(context, "the target runs " + short_commit(head) + ", not " + guessed +
                      " as the records said: rolling back from " +
                      release_name(context.report.from_tag, context.report.from_commit) + " to " +
                      release_name(context.report.to_tag, context.report.to_commit));
    return StageOutcome::ok();
}

StageOutcome check_head(Context& context, const std::string& head) {
    auto& report = context.report;
    context.state.live_commit = head;
    if (report.from_commit.empty()) {
        report.from_commit = head;
        if (report.from_tag.empty()) {
            const auto tags = context.ports.git.tags_at(head);
            if (!tags.empty() && is_valid_tag_name(tags.front())) {
                report.from_tag = tags.front();
            }
        }
        warn(context, "the records do not say which commit runs; the live HEAD is " +
                          release_name(report.from_tag, head));
        return check_release(context);
    }
    if (commit_matches(head, report.from_commit)) {
        report.from_commit = head;
        return StageOutcome::ok();
    }
    if (context.state.served_commit.empty()) {
        return finding(context, reidentify(context, head));
    }
    return finding(context, StageOutcome::halt("the live HEAD is " + short_commit(head) + " but " +
                                               release_name(report.from_tag, report.from_commit) +
                                               " was expected (the app reports " +
                                               short_commit(context.state.served_commit) +
                                               "): someone changed the target; check it by hand"));
}

// An unfinished journal on the target: finish THAT rollback (same from and
// to, whatever the records say now), or refuse when that is not safe.
StageOutcome resume(Context& context, const std::string& head, const remote::JournalReply& found) {
    const journal::Journal& j = found.journal;
    auto& report = context.report;
    auto& state = context.state;
    const std::string records_said = release_name(report.to_tag, report.to_commit);
    report.from_tag = j.from_tag;
    report.from_commit = j.from_commit;
    report.to_tag = j.to_tag;
    report.to_commit = j.to_commit;
    StageOutcome checked = check_release(context); // paths and migration gate of this pair
    if (checked.status != StageStatus::ok) {
        checked.detail = "resuming the unfinished rollback to " + j.to_tag + ": " + checked.detail;
        return checked;
    }
    // The interrupted run's own staging and aside areas (their names may hold
    // its start time); every command built on them still checks they lie
    // inside the work area.
    if (!j.staging.empty()) {
        state.paths.staging = j.staging;
    }
    if (!j.aside.empty()) {
        state.paths.aside = j.aside;
    }
    state.journal = j;
    state.journal_open = true;
    state.resuming = true;
    state.stop_unless_resumed.clear(); // the journal explained the older release served
    state.switch_begun = true;
    state.switch_launched = found.runner_alive;
    state.switch_in_flight = found.runner_alive;
    state.live_commit = head;
    const auto decision = journal::decide(j, head, context.options.to_tag, found.runner_alive);
    const std::string to = release_name(report.to_tag, report.to_commit);
    warn(context,
         "resuming the unfinished rollback " + release_name(report.from_tag, report.from_commit) +
             " → " + to + " (journal opened " + j.opened_at + " by " + j.holder +
             "): " + decision.why +
             (records_said != to ? "; not " + records_said + " as the records alone say" : ""));
    return StageOutcome::ok(context.target.user + "@" + context.target.address +
                            ", locked, resuming the unfinished rollback to " + to);
}

// nullopt: no unfinished journal, carry on from the records.
std::optional<StageOutcome> unfinished_journal(Context& context, const std::string& head,
                                               const remote::JournalReply& found) {
    const std::string journal_at = remote::journal_path(context.state.paths);
    if (context.drill() || context.preparing()) {
        if (found.journal.open()) {
            return finding(context,
                           StageOutcome::halt("an unfinished rollback to " + found.journal.to_tag +
                                              " is journaled in " + journal_at +
                                              ": run a rollback to finish it first"));
        }
        return std::nullopt;
    }
    const auto decision =
        journal::decide(found.journal, head, context.options.to_tag, found.runner_alive);
    switch (decision.action) {
    case journal::Resume::none:
        return std::nullopt;
    case journal::Resume::refuse:
        return StageOutcome::halt("unfinished rollback in " + journal_at + ": " + decision.why);
    case journal::Resume::resume:
        return resume(context, head, found);
    }
    return std::nullopt;
}

class SshConnectStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        context.ports.shell.connect(context.target); // TransportError → exit 5
        context.state.connected = true;
        if (context.state.paths.live.empty()) {
            const auto& r = context.report;
            context.state.paths =
                remote::paths_for_run(context.config, r.from_tag, r.from_commit, r.to_tag,
                                      r.to_commit, aside_stamp(context.ports.clock.wall_now()));
        }
        if (auto stop = take_lock(context)) {
            return *stop;
        }
        std::string head;
        remote::JournalReply journal;
        if (auto stop = check_live(context, head, journal)) {
            return *stop;
        }
        if (auto resumed = unfinished_journal(context, head, journal)) {
            return *resumed;
        }
        if (auto stop = stage_1_stop(context)) {
            return *stop;
        }
        StageOutcome outcome = check_head(context, head);
        if (outcome.status == StageStatus::ok) {
            if (auto stop = confirm_healthy_rollback(context)) {
                return *stop;
            }
            outcome.detail = context.target.user + "@" + context.target.address + ", locked, " +
                             "tools found, live tree clean on " +
                             release_name(context.report.from_tag, context.report.from_commit);
        }
        return outcome;
    }

    StagePlan plan(const Context& context) const override {
        const RemotePaths& paths = context.state.paths;
        return {{},
                {remote::lock_acquire(paths, planned_lock_owner()), live_checks_command(paths)}};
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_ssh_connect_stage() {
    return std::make_unique<stages::SshConnectStage>();
}
