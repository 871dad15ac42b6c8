// checkout-prev: fetches tags in the live repository, checks that the target
//   agrees with the local tag and that checking it out in the live tree would
//   overwrite no untracked file (a live .env the old release tracked), and
//   checks the to-commit out beside the live tree (a detached worktree in the
//   staging area) with the env files linked.
//   A warm standby of the same release (docs/prepare.md) is reused instead,
//   or discarded when stale.
// Reads: state.paths, report.to_tag/to_commit, rollback.strategy/env_files.
// Writes: state.staged, standby_reused, build_outputs (of a reused standby).
// Drill: the same, for real: the staging area is removed by clean_up_target.
#include "smo/health.hpp"
#include "smo/remote/staging.hpp"
#include "smo/remote/standby.hpp"
#include "smo/remote/tag.hpp"
#include "smo/remote_replies.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"
#include "standby_support.hpp"

#include <algorithm>

namespace smo::stages {
namespace {

// `git fetch --tags` refuses to move a tag the target already has; say so
// only when it is the tag this rollback needs.
bool refused_our_tag(const std::string& err, const std::string& tag) {
    for (const auto& line : remote::lines_of(err)) {
        if (line.find("would clobber existing tag") != std::string::npos &&
            line.find(" " + tag + " ") != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Checkout never overwrites: git replaces an ignored file silently, and an
// env file the old release tracked would replace the live secrets (and be
// built with in staging instead of the linked live one).
std::optional<StageOutcome> judge_overwrites(Context& context,
                                             const remote::CheckoutOverwrites& reply) {
    const auto& report = context.report;
    if (!reply.tracked_env.empty()) {
        return finding(
            context,
            StageOutcome::halt(report.to_tag + " tracks the env file(s) " +
                               joined(reply.tracked_env, 10) +
                               " (committed by mistake?): checking it out would replace the live "
                               "ones; nothing was changed. Roll back to another release with --to "
                               "TAG, or tag a fixed release"));
    }
    if (!reply.untracked.empty()) {
        return finding(
            context,
            StageOutcome::halt("checking out " + report.to_tag +
                               " would overwrite files of the live tree that git does not "
                               "track (ignored or untracked): " +
                               joined(reply.untracked, 10) + " in " + context.state.paths.live +
                               "; nothing was changed. Move them out of the way by hand "
                               "(keep a copy), then re-run"));
    }
    return std::nullopt;
}

// The commit was not there at fetch time (tag missing on the target): the
// check on its own, now that the commit is known to be present.
std::optional<StageOutcome> check_overwrites(Context& context) {
    const auto timeout = quick_timeout(context);
    const CommandResult result =
        run_remote(context,
                   remote::checkout_overwrites(context.state.paths, context.report.to_commit,
                                               context.env().rollback.env_files),
                   timeout);
    const auto reply = remote::parse_checkout_overwrites(result.out);
    if (!result.succeeded() || !reply.checked) {
        return finding(context, StageOutcome::fail("could not compare the live tree's untracked "
                                                   "files with " +
                                                   context.report.to_tag + ": " +
                                                   why_failed(result, timeout)));
    }
    return judge_overwrites(context, reply);
}

std::string fetch_command(const Context& context) {
    const auto& report = context.report;
    return remote::fetch_and_check_tag(context.state.paths, report.to_tag, report.to_commit,
                                       context.env().rollback.env_files);
}

std::string in_place_note(const Context& context) {
    return "in-place strategy: nothing staged; stage 8 checks out " + context.report.to_tag +
           " in the live tree";
}

std::optional<StageOutcome> verify_tag(Context& context) {
    const auto& paths = context.state.paths;
    const auto& report = context.report;
    const auto fetch_timeout = long_timeout(context);
    const CommandResult fetched = run_remote(context, fetch_command(context), fetch_timeout);
    const remote::TagCheck check = remote::parse_tag_check(fetched.out);
    if (check.fetch_exit != 0) {
        if (refused_our_tag(fetched.err, report.to_tag)) {
            return finding(context,
                           StageOutcome::halt("origin's " + report.to_tag +
                                              " differs from the target's copy of the tag: fix the "
                                              "tag before rolling back"));
        }
        warn(context,
             "git fetch --tags origin failed on the target (" +
                 (check.fetch_exit > 0 ? "exit " + std::to_string(check.fetch_exit)
                                       : why_failed(fetched, fetch_timeout)) +
                 (remote::tail_of(fetched.err).empty() ? std::string()
                                                       : ": " + remote::tail_of(fetched.err)) +
                 "); using what it already has");
    }
    if (!check.tag_commit.empty()) {
        if (!commit_matches(check.tag_commit, report.to_commit)) {
            return finding(context, StageOutcome::halt("origin's " + report.to_tag + " (" +
                                                       short_commit(check.tag_commit) +
                                                       ") differs from your local tag (" +
                                                       short_commit(report.to_commit) + ")"));
        }
        const auto overwrites = remote::parse_checkout_overwrites(fetched.out);
        return overwrites.checked ? judge_overwrites(context, overwrites)
                                  : check_overwrites(context);
    }
    const auto timeout = quick_timeout(context);
    const CommandResult present =
        run_remote(context, remote::has_commit(paths, report.to_commit), timeout);
    if (!present.succeeded() && check.fetch_exit != 0) {
        // The fetch failed (network, origin down): the release may be fine.
        return finding(context, StageOutcome::fail("commit " + short_commit(report.to_commit) +
                                                   " of " + report.to_tag +
                                                   " is not on the target and git fetch failed; "
                                                   "live app untouched"));
    }
    if (!present.succeeded()) {
        return finding(context, StageOutcome::sev1("commit " + short_commit(report.to_commit) +
                                                   " of " + report.to_tag +
                                                   " is not in the target's repository and the "
                                                   "fetch did not bring it; live app untouched"));
    }
    warn(context, "tag " + report.to_tag + " is not on the target; its commit " +
                      short_commit(report.to_commit) + " is");
    return check_overwrites(context);
}

// A staging worktree left by a crashed run is removed, but only when git
// itself says it is a worktree of the live repository: never an unknown
// directory.
std::optional<StageOutcome> clear_leftover(Context& context, const CommandResult& probed) {
    const auto& paths = context.state.paths;
    const auto timeout = quick_timeout(context);
    if (!probed.succeeded()) {
        return finding(context, StageOutcome::fail("could not inspect " + paths.staging + ": " +
                                                   why_failed(probed, timeout)));
    }
    const auto probe = remote::parse_staging_probe(probed.out, paths.staging);
    if (probe.present && !probe.registered) {
        return finding(context,
                       StageOutcome::halt(paths.staging + " exists and is not a worktree of " +
                                          paths.live + ": move it away by hand, then re-run"));
    }
    if (probe.registered) {
        const CommandResult removed = run_remote(context, remote::remove_staging(paths), timeout);
        if (!removed.succeeded()) {
            return finding(context,
                           StageOutcome::halt("could not remove the leftover staging "
                                              "worktree " +
                                              paths.staging + ": " + why_failed(removed, timeout)));
        }
        warn(context, "removed a staging worktree left by an earlier run: " + paths.staging);
    }
    return std::nullopt;
}

// Resuming: the interrupted run's staged release, when still there, holds
// what its switch has not moved in yet; it is kept, never rebuilt over.
std::optional<StageOutcome> keep_resumed_staging(Context& context) {
    auto& state = context.state;
    const auto timeout = quick_timeout(context);
    const CommandResult probed = run_remote(context, remote::staging_probe(state.paths), timeout);
    const auto probe = remote::parse_staging_probe(probed.out, state.paths.staging);
    if (!probed.succeeded() || !probe.registered) {
        return std::nullopt;
    }
    state.staged = true;
    state.resumed_staging = true;
    state.build_outputs.clear();
    for (const auto& item : state.journal.items) {
        if (item != "node_modules") {
            state.build_outputs.push_back(item);
        }
    }
    return StageOutcome::skipped("resuming: the interrupted run's staged " + context.report.to_tag +
                                 " at " + state.paths.staging + " is kept");
}

class CheckoutPrevStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        if (auto stop = verify_tag(context)) {
            return *stop;
        }
        const auto& report = context.report;
        if (context.env().rollback.strategy == Strategy::in_place) {
            return StageOutcome::skipped(in_place_note(context) + " (target agrees on " +
                                         short_commit(report.to_commit) + ")");
        }
        if (context.state.resuming) {
            if (auto kept = keep_resumed_staging(context)) {
                return *kept;
            }
        }
        // One round trip tells both: a warm standby to reuse, or a leftover
        // staging worktree to clear.
        const CommandResult probed =
            run_remote(context, remote::probe_standby(context.state.paths), quick_timeout(context));
        if (auto reused = reuse_standby(context, probed)) {
            return *reused;
        }
        if (auto stop = clear_leftover(context, probed)) {
            return *stop;
        }
        const auto& paths = context.state.paths;
        const auto timeout = long_timeout(context);
        // Set before: a worktree added whose env links then failed must still
        // be removed by clean_up_target (which tolerates one never added).
        context.state.staged = true;
        const CommandResult added = run_remote(
            context,
            remote::stage_release(paths, report.to_commit, context.env().rollback.env_files),
            timeout);
        if (!added.succeeded()) {
            return finding(context,
                           StageOutcome::sev1("previous tag cannot be checked out "
                                              "beside the live tree: " +
                                              why_failed(added, timeout) + "; live app untouched"));
        }
        const auto& env_files = context.env().rollback.env_files;
        std::string names;
        for (const auto& name : remote::lines_of(added.out)) {
            if (std::find(env_files.begin(), env_files.end(), name) != env_files.end()) {
                names += (names.empty() ? "" : ", ") + name;
            }
        }
        return StageOutcome::ok(report.to_tag + " checked out at " + paths.staging +
                                (names.empty() ? "; no env files to link" : "; linked " + names));
    }

    StagePlan plan(const Context& context) const override {
        const auto& paths = context.state.paths;
        StagePlan plan{{}, {fetch_command(context)}};
        if (context.env().rollback.strategy == Strategy::in_place) {
            plan.commands.push_back("# " + in_place_note(context));
            return plan;
        }
        plan.commands.insert(
            plan.commands.end(),
            {remote::probe_standby(paths),
             "# a matching warm standby (smo-rollback prepare) is reused: stages 5-6 skip; else "
             "a stale one or a crashed run's leftover is removed:",
             remote::remove_staging(paths),
             remote::stage_release(paths, context.report.to_commit,
                                   context.env().rollback.env_files)});
        return plan;
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_checkout_prev_stage() {
    return std::make_unique<stages::CheckoutPrevStage>();
}
