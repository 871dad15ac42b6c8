#include "smo/remote/lock.hpp"
#include "smo/remote/staging.hpp"
#include "smo/remote/tag.hpp"
#include "stage_fixture.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

const std::string k_worktrees =
    reply_of({remote::k_worktree + std::string("/opt/apps/eo-mena"), "HEAD " + k_from_commit});

// checkout_overwrites' reply: env files tracked at the to-commit, then live
// untracked files at paths it tracks.
std::string overwrites_reply(const std::string& tracked_env = {},
                             const std::string& untracked = {}) {
    return reply_of({remote::k_tracked_env}) + tracked_env + reply_of({remote::k_overwrites}) +
           untracked + reply_of({remote::k_overwrites_done});
}

// fetch_and_resolve_tag's reply: the fetch's exit code, then the tag's commit
// (or k_no_tag when `commit` is empty).
std::string fetched(int status, const std::string& commit) {
    return reply_of({remote::k_fetch_exit + std::to_string(status),
                     commit.empty() ? std::string(remote::k_no_tag) : commit});
}

// The fetch round trip (with the check folded in) answers `fetch_out`; the
// overwrite check on its own answers `check_out`.
void answer_fetch(TestRig& rig, const std::string& fetch_out, const std::string& check_out,
                  const std::string& fetch_err = {}) {
    rig.shell.on("ls-files -z -o", [=](const std::string& command) {
        CommandResult result;
        const bool fetch = command.find("fetch --tags") != std::string::npos;
        result.out = fetch ? fetch_out : check_out;
        result.err = fetch ? fetch_err : std::string();
        return result;
    });
}

void origin_agrees(TestRig& rig) {
    rig.shell.on("fetch --tags origin", 0, fetched(0, k_to_commit) + overwrites_reply());
    rig.shell.on("worktree list --porcelain", 0,
                 reply_of({remote::k_real + k_staging}) + k_worktrees);
    rig.shell.on("worktree add", 0, "HEAD is now at b2c5d82 v1.4.1\n.env\n");
}

// The fetch failed (exit `status`, stderr `err`); the tag is then `commit`.
void fetch_failed(TestRig& rig, int status, const std::string& err, const std::string& commit) {
    answer_fetch(rig,
                 fetched(status, commit) + (commit.empty() ? std::string() : overwrites_reply()),
                 overwrites_reply(), err);
}

StageOutcome run_stage(TestRig& rig) {
    return make_checkout_prev_stage()->run(rig.context());
}

} // namespace

TEST_CASE("checkout-prev: fetch, same tag on the target, worktree beside the live tree",
          "[stages][checkout-prev]") {
    TestRig rig;
    Context& context = given_connected(rig);
    origin_agrees(rig);
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(context.state.staged);
    REQUIRE(rig.shell.commands.size() == 3);
    CHECK(rig.shell.commands[0].rfind(
              remote::with_heartbeat(context.state.paths,
                                     "git -C '/opt/apps/eo-mena' fetch --tags origin\necho "
                                     "\"smo:fetch-exit $?\"\ngit -C "
                                     "'/opt/apps/eo-mena' rev-parse --verify --quiet "
                                     "'refs/tags/v1.4.1^{commit}' || echo "
                                     "smo:no-tag\n"),
              0) == 0);
    CHECK(rig.shell.commands[1].find("worktree list --porcelain") != std::string::npos);
    // The work area is checked (owner, mode, no link) before the worktree goes in.
    CHECK(rig.shell.commands[2].rfind(
              remote::with_heartbeat(context.state.paths,
                                     remote::ensure_work_area(context.state.paths) +
                                         " && git -C '/opt/apps/eo-mena' worktree add --detach '" +
                                         k_staging + "' '" + k_to_commit + "' && "),
              0) == 0);
    CHECK(rig.shell.commands[2].find("(umask 077 && mkdir -p '/opt/apps/.smo-rollback/eo-mena')") !=
          std::string::npos);
    CHECK(rig.shell.commands[2].find("ln -s '/opt/apps/eo-mena/.env' '" + k_staging + "/.env'") !=
          std::string::npos);
    CHECK(outcome.detail.find("linked .env") != std::string::npos);
    CHECK_FALSE(rig.shell.ran("worktree remove"));
    CHECK(no_destructive_git(rig.shell));
}

TEST_CASE("checkout-prev: origin's tag must be the local tag", "[stages][checkout-prev]") {
    TestRig rig;
    given_connected(rig);
    origin_agrees(rig);
    SECTION("the target's tag differs") {
        fetch_failed(rig, 0, "", "0123456789012345678901234567890123456789");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("origin's v1.4.1 (0123456) differs from your local tag "
                                  "(b2c5d82)") != std::string::npos);
        CHECK_FALSE(rig.shell.ran("worktree add"));
    }
    SECTION("origin moved the tag: fetch refuses to clobber it") {
        fetch_failed(rig, 1,
                     " ! [rejected]        v1.4.1     -> v1.4.1  (would clobber existing tag)\n",
                     k_to_commit);
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("origin's v1.4.1 differs") != std::string::npos);
        CHECK_FALSE(rig.shell.ran("worktree add"));
    }
    SECTION("another tag was refused: only a warning") {
        fetch_failed(rig, 1,
                     " ! [rejected]        v0.9     -> v0.9  (would clobber existing tag)\n",
                     k_to_commit);
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(rig.reporter.warnings.size() == 1);
    }
    SECTION("origin unreachable, the target already has the commit") {
        fetch_failed(rig, 128, "fatal: unable to access origin\n", "");
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(rig.shell.ran("cat-file -e '" + k_to_commit + "^{commit}'"));
        REQUIRE(rig.reporter.warnings.size() == 2);
        CHECK(rig.reporter.warnings[0].find("unable to access origin") != std::string::npos);
    }
    SECTION("origin unreachable and the commit missing: failed (not SEV1), live untouched") {
        // Registered first: the fetch round trip (newest rule wins) holds a cat-file too.
        rig.shell.on("cat-file -e", 1, "");
        fetch_failed(rig, 128, "fatal: unable to access origin\n", "");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::failed);
        CHECK(outcome.detail.find("git fetch failed") != std::string::npos);
        CHECK(outcome.detail.find("live app untouched") != std::string::npos);
    }
    SECTION("fetched, yet neither tag nor commit on origin: SEV1, live untouched") {
        // Registered first: the fetch round trip (newest rule wins) holds a cat-file too.
        rig.shell.on("cat-file -e", 1, "");
        fetch_failed(rig, 0, "", "");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::sev1);
        CHECK(outcome.detail.find("live app untouched") != std::string::npos);
    }
}

TEST_CASE("checkout-prev: checkout never overwrites an untracked live file",
          "[stages][checkout-prev]") {
    TestRig rig;
    given_connected(rig);
    origin_agrees(rig);
    SECTION("the to-release tracks an env file: halt, whether or not the live tree has it") {
        rig.shell.on("fetch --tags origin", 0,
                     fetched(0, k_to_commit) + overwrites_reply(".env\n"));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("v1.4.1 tracks the env file(s) .env") != std::string::npos);
        CHECK(outcome.detail.find("nothing was changed") != std::string::npos);
        CHECK_FALSE(rig.shell.ran("worktree add"));
        CHECK_FALSE(rig.context().state.staged);
    }
    SECTION("ignored live files the to-release tracks: halt naming them") {
        rig.shell.on("fetch --tags origin", 0,
                     fetched(0, k_to_commit) +
                         overwrites_reply("", "config/secrets.json\npublic/robots.txt\n"));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("would overwrite files of the live tree that git does not "
                                  "track (ignored or untracked): config/secrets.json, "
                                  "public/robots.txt") != std::string::npos);
        CHECK_FALSE(rig.shell.ran("worktree add"));
    }
    SECTION("the tag is missing on the target: the check runs on its own") {
        answer_fetch(rig, fetched(0, ""), overwrites_reply("", ".env.local\n"));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find(".env.local") != std::string::npos);
        CHECK(rig.shell.commands_with("ls-files -z -o").size() == 2); // folded, then alone
    }
    SECTION("a reply cut short is a failure, never a pass") {
        answer_fetch(rig, fetched(0, k_to_commit),
                     reply_of({remote::k_tracked_env, remote::k_overwrites}));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::failed);
        CHECK_FALSE(rig.shell.ran("worktree add"));
    }
    SECTION("in a drill the finding fails the drill") {
        rig.options.dry_run = true;
        rig.shell.on("fetch --tags origin", 0,
                     fetched(0, k_to_commit) + overwrites_reply(".env\n"));
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
}

TEST_CASE("checkout-prev: a leftover staging worktree is removed only if git registered it",
          "[stages][checkout-prev]") {
    TestRig rig;
    given_connected(rig);
    origin_agrees(rig);
    SECTION("registered") {
        rig.shell.on(
            "worktree list --porcelain", 0,
            reply_of({remote::k_present, remote::k_real + k_staging}) + k_worktrees +
                reply_of({"", remote::k_worktree + k_staging, "HEAD " + k_to_commit, "detached"}));
        CHECK(run_stage(rig).status == StageStatus::ok);
        const int removed = rig.shell.index_of("worktree remove --force '" + k_staging + "'");
        CHECK(removed == 2);
        REQUIRE(removed >= 0);
        CHECK(removed < rig.shell.index_of("worktree add"));
        CHECK_FALSE(rig.shell.ran("worktree remove --force '/opt/apps/eo-mena'"));
    }
    SECTION("an unknown directory: halt, nothing removed") {
        rig.shell.on("worktree list --porcelain", 0,
                     reply_of({remote::k_present, remote::k_real + k_staging}) + k_worktrees);
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("not a worktree") != std::string::npos);
        CHECK_FALSE(rig.shell.ran("worktree remove"));
        CHECK_FALSE(rig.shell.ran("worktree add"));
        CHECK_FALSE(rig.shell.ran("rm -"));
    }
}

TEST_CASE("checkout-prev: a failed checkout is SEV1 with the live app untouched",
          "[stages][checkout-prev]") {
    TestRig rig;
    Context& context = given_connected(rig);
    origin_agrees(rig);
    rig.shell.on("worktree add", 128, "", "fatal: No space left on device\n");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::sev1);
    CHECK(outcome.detail.find("No space left on device") != std::string::npos);
    CHECK(outcome.detail.find("live app untouched") != std::string::npos);
    CHECK(context.state.staged); // clean_up_target removes whatever was added
}

TEST_CASE("checkout-prev: in-place strategy stages nothing", "[stages][checkout-prev]") {
    TestRig rig;
    given_connected(rig);
    origin_agrees(rig);
    rig.config.env.rollback.strategy = Strategy::in_place;
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::skipped);
    CHECK(outcome.detail.find("in-place") != std::string::npos);
    CHECK(rig.shell.ran("fetch --tags origin"));
    CHECK_FALSE(rig.shell.ran("worktree add"));
}

TEST_CASE("checkout-prev: a drill stages for real", "[stages][checkout-prev]") {
    TestRig rig;
    given_connected(rig);
    origin_agrees(rig);
    rig.options.dry_run = true;
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(rig.shell.ran("worktree add --detach"));
    CHECK(rig.context().state.staged);
}
