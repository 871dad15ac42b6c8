#include "smo/errors.hpp"
#include "stage_fixture.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

TEST_CASE("clean-up: removes the staging worktree, then releases the lock", "[stages][clean-up]") {
    TestRig rig;
    Context& context = given_connected(rig);
    context.state.staged = true;
    clean_up_target(context);
    REQUIRE(rig.shell.commands.size() == 2);
    CHECK(rig.shell.commands[0] ==
          "git -C '/opt/apps/eo-mena' worktree prune && if [ -e '" + k_staging +
              "' ]; then git -C '/opt/apps/eo-mena' worktree remove --force '" + k_staging +
              "'; fi && rm -f -- '" + k_staging + ".prepared'");
    CHECK(rig.shell.commands[1].find("rmdir '" + k_lock + "'") != std::string::npos);
    CHECK_FALSE(context.state.staged);
    CHECK_FALSE(context.state.lock_held);
    CHECK(rig.reporter.warnings.empty());
}

TEST_CASE("clean-up: the lock released is this run's own", "[stages][clean-up]") {
    TestRig rig;
    Context& context = given_connected(rig);
    context.report.started_at_utc = "2026-04-19T03:12:09Z";
    clean_up_target(context);
    REQUIRE(rig.shell.commands.size() == 1);
    CHECK(rig.shell.commands[0].find("grep -qxF 'time=2026-04-19T03:12:09Z'") != std::string::npos);
}

TEST_CASE("clean-up: a switch stopped half-way keeps the staging worktree", "[stages][clean-up]") {
    TestRig rig;
    Context& context = given_connected(rig);
    context.state.staged = true;
    context.state.live_changed = true;
    clean_up_target(context);
    CHECK_FALSE(rig.shell.ran("worktree remove"));
    CHECK(context.state.staged);
    CHECK(rig.shell.ran("rmdir"));
    REQUIRE(rig.reporter.warnings.size() == 1);
    CHECK(rig.reporter.warnings[0].find(k_staging) != std::string::npos);
}

TEST_CASE("clean-up: never throws, even when the link is gone or Ctrl-C was pressed",
          "[stages][clean-up]") {
    TestRig rig;
    Context& context = given_connected(rig);
    context.state.staged = true;
    std::atomic<bool> flag{true};
    context.interrupt_flag = &flag;
    SECTION("interrupted: still cleans up") {
        CHECK_NOTHROW(clean_up_target(context));
        CHECK(rig.shell.commands.size() == 2);
        CHECK_FALSE(context.state.lock_held);
    }
    SECTION("link lost") {
        rig.shell.on("", [](const std::string&) -> CommandResult {
            throw TransportError("connection reset");
        });
        CHECK_NOTHROW(clean_up_target(context));
        CHECK(context.state.lock_held);
        CHECK(rig.reporter.warnings.size() == 2);
    }
    SECTION("commands fail") {
        rig.shell.on("", 1, "", "permission denied");
        CHECK_NOTHROW(clean_up_target(context));
        CHECK(context.state.staged);
        CHECK(rig.reporter.warnings.size() == 2);
    }
}

TEST_CASE("clean-up: nothing to do before a connection", "[stages][clean-up]") {
    TestRig rig;
    Context& context = given_release(rig);
    clean_up_target(context);
    CHECK(rig.shell.commands.empty());
}

TEST_CASE("clean-up: after a complete switch the asides rotate, keep_releases kept",
          "[stages][clean-up]") {
    TestRig rig;
    Context& context = given_connected(rig);
    context.state.staged = true;
    context.state.live_changed = true;
    context.state.reloaded = true;
    rig.config.env.rollback.keep_releases = 5;
    clean_up_target(context);
    REQUIRE(rig.shell.commands.size() == 3);
    const std::string& rotate = rig.shell.commands[1];
    CHECK(rotate.find("find '" + k_asides + "' -mindepth 1 -maxdepth 1") != std::string::npos);
    CHECK(rotate.find("grep -vxF '" + k_stamp + "-v1.4.2'") != std::string::npos);
    CHECK(rotate.find("tail -n +5 ") != std::string::npos); // 4 others + this run's
    CHECK(rig.shell.commands[2].find("rmdir '" + k_lock + "'") != std::string::npos);
}

TEST_CASE("clean-up: no aside is removed when the switch did not complete", "[stages][clean-up]") {
    TestRig rig;
    Context& context = given_connected(rig);
    context.state.live_changed = true;
    clean_up_target(context);
    CHECK_FALSE(rig.shell.ran("rm -rf"));
    CHECK_FALSE(rig.shell.ran(k_asides));
}

TEST_CASE("clean-up: the switch journal is closed once the verdict holds, else left open",
          "[stages][clean-up]") {
    TestRig rig;
    Context& context = given_connected(rig);
    context.state.staged = true;
    context.state.journal_open = true;
    SECTION("switched and verified (or SEV1 at health): closed with the outcome") {
        context.state.live_changed = true;
        context.state.reloaded = true;
        context.state.journal.done = {"checkout", "reload"};
        context.report.exit_code = ExitCode::sev1;
        clean_up_target(context);
        CHECK(rig.shell.ran("printf '%s\\n' 'closed=sev1 "));
        CHECK(rig.shell.ran("worktree remove"));
        CHECK(rig.shell.ran("rmdir '" + k_lock + "'"));
    }
    SECTION("nothing changed (the operator said no): closed") {
        context.report.exit_code = ExitCode::halted;
        clean_up_target(context);
        CHECK(rig.shell.ran("'closed=halted "));
    }
    SECTION("stopped half-way: open, staging kept, the next run finishes it") {
        context.state.live_changed = true;
        context.state.journal.done = {"db_rollback", "aside", "checkout"};
        context.report.exit_code = ExitCode::failed;
        clean_up_target(context);
        CHECK_FALSE(rig.shell.ran("closed="));
        CHECK_FALSE(rig.shell.ran("worktree remove"));
        CHECK(rig.shell.ran("rmdir '" + k_lock + "'"));
        REQUIRE_FALSE(rig.reporter.warnings.empty());
        CHECK(rig.reporter.warnings.back().find("left open") != std::string::npos);
    }
    SECTION("the detached switch still runs: neither closed nor unlocked") {
        context.state.switch_in_flight = true;
        context.state.live_changed = true;
        clean_up_target(context);
        CHECK_FALSE(rig.shell.ran("closed="));
        CHECK_FALSE(rig.shell.ran("worktree remove"));
        CHECK_FALSE(rig.shell.ran("rmdir"));
    }
}

TEST_CASE("clean-up: a lost link is re-opened once to release the lock", "[stages][clean-up]") {
    TestRig rig;
    Context& context = given_connected(rig);
    int calls = 0;
    rig.shell.on("rmdir", [&](const std::string&) -> CommandResult {
        if (++calls == 1) {
            throw TransportError("Connection reset by peer");
        }
        return {};
    });
    clean_up_target(context);
    CHECK(calls == 2);
    CHECK(rig.shell.connected); // a new session
    CHECK_FALSE(context.state.lock_held);
}
