#include "smo/errors.hpp"
#include "smo/remote/live_checks.hpp"
#include "smo/remote/lock.hpp"
#include "smo/remote/switch.hpp"
#include "stage_fixture.hpp"
#include "stages/stage_support.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace smo;
using namespace smo::test;

namespace {

// What lock_acquire prints when `owner` holds the lock.
std::string held_by(const remote::LockOwner& owner, long age) {
    return reply_of({remote::k_held, remote::k_age_seconds + std::to_string(age),
                     remote::k_owner_user + owner.user, remote::k_owner_host + owner.host,
                     remote::k_owner_pid + owner.pid, remote::k_owner_time + owner.time});
}

std::string held(long age) {
    return held_by({"alice", "laptop", "4242", "2026-04-19T02:00:00Z"}, age);
}

// What live_checks prints.
std::string live_reply(const std::string& missing, const std::string& changes,
                       const std::string& head) {
    return missing + reply_of({remote::k_status}) + changes + reply_of({remote::k_head, head});
}

void live_tree(TestRig& rig, const std::string& missing, const std::string& changes,
               const std::string& head) {
    rig.shell.on(remote::k_status, 0, live_reply(missing, changes, head));
}

// A target that answers like a healthy one on v1.4.2.
void healthy_target(TestRig& rig) {
    rig.shell.on("if mkdir", 0, reply_of({remote::k_acquired}));
    live_tree(rig, "", "", k_from_commit);
}

StageOutcome run_stage(TestRig& rig) {
    return make_ssh_connect_stage()->run(rig.context());
}

} // namespace

TEST_CASE("ssh-connect: connect, lock, tools, clean tree, HEAD, in that order",
          "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    healthy_target(rig);
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    REQUIRE(rig.shell.connected_to);
    CHECK(rig.shell.connected_to->address == "100.89.148.62");
    CHECK(context.state.connected);
    CHECK(context.state.lock_held);
    CHECK(context.state.live_commit == k_from_commit);
    REQUIRE(rig.shell.commands.size() == 2);
    CHECK(rig.shell.commands[0].find("mkdir '" + k_lock + "'") != std::string::npos);
    const std::string& checks = rig.shell.commands[1];
    CHECK(checks.find("for tool in git node npm pm2; do command -v \"$tool\"") !=
          std::string::npos);
    CHECK(checks.find("git -C '/opt/apps/eo-mena' status --porcelain --untracked-files=no") !=
          std::string::npos);
    CHECK(checks.find("git -C '/opt/apps/eo-mena' rev-parse HEAD") != std::string::npos);
    CHECK(no_destructive_git(rig.shell));
}

TEST_CASE("ssh-connect: a transport error propagates (exit 5 in the pipeline)",
          "[stages][ssh-connect]") {
    TestRig rig;
    given_release(rig);
    rig.shell.connect_error = "host key for 100.89.148.62 changed";
    CHECK_THROWS_AS(run_stage(rig), TransportError);
    CHECK_FALSE(rig.context().state.connected);
    CHECK(rig.shell.commands.empty());
}

TEST_CASE("ssh-connect: a held lock halts naming the holder", "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    healthy_target(rig);
    SECTION("fresh") {
        rig.shell.on("if mkdir", 0, held(300));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("alice@laptop pid 4242 since 2026-04-19T02:00:00Z") !=
              std::string::npos);
        CHECK(outcome.detail.find("5 min ago") != std::string::npos);
        CHECK_FALSE(context.state.lock_held);
        CHECK(rig.shell.commands.size() == 1); // nothing checked under someone else's lock
    }
    SECTION("fresh, with --break-lock: still refused") {
        rig.options.break_lock = true;
        rig.shell.on("if mkdir", 0, held(300));
        CHECK(run_stage(rig).exit_code == ExitCode::halted);
        CHECK_FALSE(rig.shell.ran("owner.next"));
    }
    SECTION("stale, without --break-lock: the message says how") {
        rig.shell.on("if mkdir", 0, held(31 * 60));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("--break-lock") != std::string::npos);
    }
    SECTION("stale, --break-lock: taken over with a warning naming the old holder") {
        rig.options.break_lock = true;
        rig.shell.on("if mkdir", 0, held(31 * 60));
        rig.shell.on("owner.next", 0, reply_of({remote::k_taken}));
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(context.state.lock_held);
        REQUIRE(rig.reporter.warnings.size() == 1);
        CHECK(rig.reporter.warnings[0].find("alice@laptop pid 4242") != std::string::npos);
    }
    SECTION("stale, --break-lock, --auto: never broken") {
        rig.options.break_lock = true;
        rig.options.auto_mode = true;
        rig.shell.on("if mkdir", 0, held(31 * 60));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("--auto never breaks") != std::string::npos);
        CHECK_FALSE(rig.shell.ran("owner.next"));
    }
}

TEST_CASE("ssh-connect: missing tools fail naming them", "[stages][ssh-connect]") {
    TestRig rig;
    given_release(rig);
    healthy_target(rig);
    live_tree(
        rig,
        reply_of({remote::k_missing + std::string("node"), remote::k_missing + std::string("pm2")}),
        "", k_from_commit);
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::failed);
    CHECK(outcome.detail.find("bash -lc") != std::string::npos);
    CHECK(outcome.detail.find("node, pm2") != std::string::npos);
    CHECK(rig.context().state.lock_held); // clean_up_target releases it
}

TEST_CASE("ssh-connect: a dirty live tree halts listing the files, and is never reset",
          "[stages][ssh-connect]") {
    TestRig rig;
    given_release(rig);
    healthy_target(rig);
    live_tree(rig, "", " M server.js\nM  package.json\n", k_from_commit);
    SECTION("rollback") {
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("M server.js, M  package.json") != std::string::npos);
        CHECK(no_destructive_git(rig.shell));
        CHECK_FALSE(rig.shell.ran("checkout"));
    }
    SECTION("drill") {
        rig.options.dry_run = true;
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
}

TEST_CASE("ssh-connect: git failing in the live tree fails the stage", "[stages][ssh-connect]") {
    TestRig rig;
    given_release(rig);
    healthy_target(rig);
    rig.shell.on(remote::k_status, 0,
                 reply_of({remote::k_status, remote::k_status_failed + std::string(" 128"),
                           remote::k_head, remote::k_head_failed + std::string(" 128")}),
                 "fatal: not a git repository\n");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::failed);
    CHECK(outcome.detail.find("not a git repository") != std::string::npos);
}

TEST_CASE("ssh-connect: the live HEAD must be the from-commit", "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    healthy_target(rig);
    context.state.served_commit = k_from_commit.substr(0, 7);
    live_tree(rig, "", "", "ffffffffffffffffffffffffffffffffffffffff");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::halted);
    CHECK(outcome.detail.find("fffffff") != std::string::npos);
    CHECK(outcome.detail.find("v1.4.2 (c3d4e5f)") != std::string::npos);
}

TEST_CASE("ssh-connect: records silent on the current commit: the live HEAD is adopted",
          "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    healthy_target(rig);
    context.report.from_tag.clear();
    context.report.from_commit.clear();
    rig.git.commits["v1.4.1"] = k_to_commit;
    rig.git.commits["v1.4.2"] = k_from_commit;
    rig.git.added[{k_to_commit, k_from_commit}] = {"db/migrations/2.js"};
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(context.report.from_commit == k_from_commit);
    CHECK(context.report.from_tag == "v1.4.2");
    CHECK(context.state.paths.aside == k_aside);
    // The migration gate that preflight deferred has now run.
    CHECK(context.state.migration_plan == MigrationPlan::run_auto);
    REQUIRE(rig.reporter.warnings.size() == 1);
    CHECK(rig.reporter.warnings[0].find("live HEAD is v1.4.2") != std::string::npos);
}

TEST_CASE("ssh-connect: the app was down and the records guessed wrong: identify again",
          "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    healthy_target(rig);
    const std::string v143 = "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3";
    DeployEvent older{
        EventKind::deploy,        "a.md", "2026-04-10", "", "production", "v1.4.1", "",
        k_to_commit.substr(0, 7), true,   "",           {}};
    DeployEvent good{
        EventKind::deploy,          "b.md", "2026-04-18", "", "production", "v1.4.2", "",
        k_from_commit.substr(0, 7), true,   "",           {}};
    DeployEvent failed{EventKind::deploy, "c.md", "2026-04-19", "", "production", "v1.4.3", "",
                       v143.substr(0, 7), false,  "",           {}};
    context.state.history = build_history({older, good, failed}, {}, "production");
    rig.git.commits["v1.4.2"] = k_from_commit;
    rig.git.commits[k_from_commit.substr(0, 7)] = k_from_commit;
    rig.git.commits[v143] = v143;
    live_tree(rig, "", "", v143);
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(context.report.from_tag == "v1.4.3");
    CHECK(context.report.from_commit == v143);
    CHECK(context.report.to_tag == "v1.4.2");
    CHECK(context.report.to_commit == k_from_commit);
    CHECK(context.state.paths.staging == "/opt/apps/.smo-rollback/eo-mena/staged-v1.4.2");
    REQUIRE(rig.reporter.warnings.size() == 1);
    CHECK(rig.reporter.warnings[0].find("not v1.4.2") != std::string::npos);
}

TEST_CASE("ssh-connect: Ctrl-C stops before the next command", "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    healthy_target(rig);
    std::atomic<bool> flag{true};
    context.interrupt_flag = &flag;
    CHECK_THROWS_AS(run_stage(rig), Interrupted);
    CHECK(rig.shell.commands.empty());
}

TEST_CASE("ssh-connect: under sudo the lock names the person who ran sudo",
          "[stages][ssh-connect]") {
    TestRig rig;
    given_release(rig);
    healthy_target(rig);
    ::setenv("SUDO_USER", "alice-sudo", 1);
    const StageOutcome outcome = run_stage(rig);
    ::unsetenv("SUDO_USER");
    CHECK(outcome.status == StageStatus::ok);
    REQUIRE_FALSE(rig.shell.commands.empty());
    CHECK(rig.shell.commands[0].find(" 'alice-sudo' ") != std::string::npos);
}

TEST_CASE("ssh-connect: a lock of this host and user whose process died is taken over at once",
          "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    healthy_target(rig);
    const remote::LockOwner me = stages::lock_owner(context);
    const std::string reply = held_by({me.user, me.host, "4242", "t0"}, 20);
    rig.shell.on("if mkdir", 0, reply);
    rig.shell.on("owner.next", 0, reply_of({remote::k_taken}));
    rig.files.files["/proc/self/stat"] = "1";
    SECTION("pid gone: taken over, even with --auto, and said in a warning (the record)") {
        rig.options.auto_mode = true;
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(context.state.lock_held);
        CHECK(rig.shell.ran("owner.next"));
        REQUIRE(context.report.warnings.size() == 1);
        CHECK(context.report.warnings[0].find("took over the lock held by " + me.user + "@" +
                                              me.host + " pid 4242") != std::string::npos);
        CHECK(context.report.warnings[0].find("no longer runs on this host") != std::string::npos);
    }
    SECTION("pid alive: a running rollback, halt") {
        rig.files.files["/proc/4242/stat"] = "1";
        CHECK(run_stage(rig).exit_code == ExitCode::halted);
        CHECK_FALSE(rig.shell.ran("owner.next"));
    }
    SECTION("no procfs here: cannot tell, halt") {
        rig.files.files.erase("/proc/self/stat");
        CHECK(run_stage(rig).exit_code == ExitCode::halted);
        CHECK_FALSE(rig.shell.ran("owner.next"));
    }
    SECTION("another host with the same pid: never judged from here") {
        rig.shell.on("if mkdir", 0, held_by({me.user, "elsewhere", "4242", "t0"}, 20));
        CHECK(run_stage(rig).exit_code == ExitCode::halted);
        CHECK_FALSE(rig.shell.ran("owner.next"));
    }
}

TEST_CASE("ssh-connect: staleness is the heartbeat's age", "[stages][ssh-connect]") {
    TestRig rig;
    given_release(rig);
    healthy_target(rig);
    rig.options.break_lock = true;
    rig.shell.on("owner.next", 0, reply_of({remote::k_taken}));
    SECTION("a lock taken hours ago whose heartbeat is fresh is not stale") {
        rig.shell.on("if mkdir", 0, held_by({"alice", "laptop", "1", "2026-04-19T00:00:00Z"}, 30));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::halted);
        CHECK(outcome.detail.find("last heartbeat 0 min ago") != std::string::npos);
    }
    SECTION("a silent heartbeat is taken over with --break-lock and recorded") {
        rig.shell.on("if mkdir", 0, held(45 * 60));
        CHECK(run_stage(rig).status == StageStatus::ok);
        REQUIRE(rig.context().report.warnings.size() == 1);
        CHECK(rig.context().report.warnings[0].find("--break-lock, no heartbeat for over 30 min") !=
              std::string::npos);
    }
}

TEST_CASE("run_remote: long commands under the lock refresh its heartbeat",
          "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_connected(rig);
    stages::run_remote(context, "npm ci", std::chrono::seconds(600));
    stages::run_remote(context, "git status", std::chrono::seconds(60));
    context.state.lock_held = false;
    stages::run_remote(context, "npm run build", std::chrono::seconds(600));
    REQUIRE(rig.shell.commands.size() == 3);
    CHECK(rig.shell.commands[0] ==
          "touch -c '" + k_lock +
              "' 2>/dev/null; (while sleep 15; do kill -0 $$ 2>/dev/null || "
              "exit 0; touch -c '" +
              k_lock +
              "' 2>/dev/null; done) </dev/null >/dev/null 2>&1 &\n"
              "npm ci");
    CHECK(rig.shell.commands[1] == "git status");
    CHECK(rig.shell.commands[2] == "npm run build");
}

namespace {

// An unfinished journal of a rollback v1.4.2 → v1.4.1 with these steps done.
std::string unfinished(const std::string& steps) {
    return reply_of({remote::k_journal}) +
           "smo-journal 1\nfrom_tag=v1.4.2\nfrom_commit=" + k_from_commit +
           "\nto_tag=v1.4.1\nto_commit=" + k_to_commit + "\nstrategy=staged\nstaging=" + k_staging +
           "\naside=" + k_aside +
           "\nitem=node_modules\nitem=dist\nopened_at=2026-04-19T03:00:00Z\nholder=bob@laptop pid "
           "7\n" +
           steps + "\n" + reply_of({remote::k_journal_end});
}

} // namespace

TEST_CASE("ssh-connect: an unfinished journal makes this run finish THAT rollback",
          "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    // The records (and the health endpoint, already serving v1.4.1) would now
    // pick an older release: v1.4.1 → v1.4.0.
    context.report.from_tag = "v1.4.1";
    context.report.from_commit = k_to_commit;
    context.report.to_tag = "v1.4.0";
    context.report.to_commit = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    rig.git.commits["v1.4.2"] = k_from_commit;
    rig.git.commits[k_from_commit] = k_from_commit;
    rig.git.commits["v1.4.1"] = k_to_commit;
    rig.shell.on("if mkdir", 0, reply_of({remote::k_acquired}));
    rig.shell.on(remote::k_status, 0,
                 live_reply("", "", k_to_commit) +
                     unfinished("runner=99\ndone=db_rollback\ndone=aside\ndone=checkout\n"));
    const StageOutcome outcome = run_stage(rig);
    INFO(outcome.detail);
    REQUIRE(outcome.status == StageStatus::ok);
    CHECK(outcome.detail.find("resuming the unfinished rollback to v1.4.1") != std::string::npos);
    CHECK(context.report.from_tag == "v1.4.2");
    CHECK(context.report.to_tag == "v1.4.1");
    CHECK(context.report.to_commit == k_to_commit);
    CHECK(context.state.resuming);
    CHECK(context.state.journal.has_done("checkout"));
    CHECK_FALSE(context.state.switch_in_flight);
    REQUIRE_FALSE(context.report.warnings.empty());
    CHECK(context.report.warnings.back().find("not v1.4.0") != std::string::npos);
}

TEST_CASE("ssh-connect: an unfinished journal that cannot be finished safely halts",
          "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    rig.shell.on("if mkdir", 0, reply_of({remote::k_acquired}));
    SECTION("HEAD moved to a third commit") {
        rig.shell.on(remote::k_status, 0,
                     live_reply("", "", std::string(40, 'e')) + unfinished("done=checkout\n"));
    }
    SECTION("a drill never resumes") {
        rig.options.dry_run = true;
        rig.shell.on(remote::k_status, 0, live_reply("", "", k_from_commit) + unfinished(""));
    }
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::failed);
    CHECK((outcome.exit_code == ExitCode::halted || outcome.exit_code == ExitCode::drill_failed));
    CHECK_FALSE(context.state.resuming);
}

TEST_CASE("ssh-connect: stage 1's deferred stop stands without a journal, not with one",
          "[stages][ssh-connect]") {
    TestRig rig;
    Context& context = given_release(rig);
    context.state.stop_unless_resumed = "no earlier good release of production before v1.4.1";
    rig.git.commits["v1.4.2"] = k_from_commit;
    rig.git.commits[k_from_commit] = k_from_commit;
    rig.git.commits["v1.4.1"] = k_to_commit;
    rig.shell.on("if mkdir", 0, reply_of({remote::k_acquired}));
    SECTION("no journal on the target: the usage error, after nothing changed") {
        rig.shell.on(remote::k_status, 0, live_reply("", "", k_to_commit));
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::failed);
        CHECK(outcome.exit_code == ExitCode::usage);
        CHECK(outcome.detail.find("no earlier good release") != std::string::npos);
        CHECK(outcome.detail.find("no interrupted rollback on the target") != std::string::npos);
        CHECK(no_destructive_git(rig.shell));
    }
    SECTION("the interrupted rollback's journal: it is finished") {
        rig.shell.on(remote::k_status, 0,
                     live_reply("", "", k_to_commit) +
                         unfinished("runner=99\ndone=db_rollback\ndone=aside\ndone=checkout\n"
                                    "done=reload\nresult=ok\n"));
        const StageOutcome outcome = run_stage(rig);
        INFO(outcome.detail);
        CHECK(outcome.status == StageStatus::ok);
        CHECK(context.state.resuming);
        CHECK(context.state.stop_unless_resumed.empty());
    }
}
