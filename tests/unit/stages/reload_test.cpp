#include "stage_fixture.hpp"
#include "support/fake_switch.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

Context& built(TestRig& rig) {
    Context& context = given_connected(rig);
    context.state.staged = true;
    context.state.build_outputs = {"dist"};
    return context;
}

StageOutcome run_stage(TestRig& rig) {
    return make_reload_stage()->run(rig.context());
}

} // namespace

// What the detached switch journals for a staged switch of node_modules and
// dist, one chunk per poll.
std::vector<std::string> full_switch() {
    return {"done=aside\n", "begin=checkout\ndone=checkout\n",
            "done=out:node_modules\ndone=in:node_modules\n", "done=out:dist\ndone=in:dist\n",
            "begin=reload\ndone=reload\nresult=ok\n"};
}

// `text` as it appears once shell-quoted a second time (the script inside
// the launch command): every ' becomes '\''.
std::string twice(const std::string& text) {
    std::string out;
    for (const char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out;
}

TEST_CASE("reload: staged: the switch runs detached, journaled, followed by polling",
          "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    FakeSwitch target;
    target.install(rig.shell);
    target.progress = full_switch();
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(target.launches == 1);
    CHECK(target.polls == 5);
    const std::string& launch = target.launched;
    const auto at = [&](const std::string& text) {
        const auto found = launch.find(text);
        CHECK(found != std::string::npos);
        return found;
    };
    // The journal is written before anything changes, then the script, then
    // the detached start.
    const auto header = at("smo-journal 1\nfrom_tag=v1.4.2\nfrom_commit=" + k_from_commit);
    at("item=node_modules\nitem=dist\n");
    const auto head = at("rev-parse HEAD) || smo_fail head 39");
    // A new aside of its own (an empty one a crashed run made is reused):
    // nothing removed, a used one never mixed into; the asides area is the
    // SSH user's own and private first.
    const auto aside =
        at(twice("(umask 077 && mkdir -p '" + k_asides + "') && { if [ -L '" + k_asides + "' ]"));
    CHECK(aside < at(twice(" && (umask 077 && mkdir '" + k_aside + "')")));
    CHECK(launch.find("rm -") == std::string::npos);
    const auto checkout = at(twice("checkout --detach '" + k_to_commit + "'"));
    const auto modules_out =
        at(twice("mv -T '/opt/apps/eo-mena/node_modules' '" + k_aside + "/node_modules'"));
    const auto dist_in = at(twice("mv -T '" + k_staging + "/dist' '/opt/apps/eo-mena/dist'"));
    const auto reload = at("pm2 reload");
    const auto detached = at("setsid nohup bash '" + std::string(k_work_root) +
                             "/switch.sh' </dev/null >>'" + k_work_root + "/switch.log' 2>&1 &");
    CHECK(header < head);
    CHECK(head < aside);
    CHECK(aside < checkout);
    CHECK(checkout < modules_out);
    CHECK(modules_out < dist_in);
    CHECK(dist_in < reload);
    CHECK(reload < detached);
    CHECK(context.state.live_changed);
    CHECK(context.state.reloaded);
    CHECK_FALSE(context.state.switch_in_flight);
    CHECK(context.report.target_state == "v1.4.1 (b2c5d82) reloaded under PM2 eo-main");
    CHECK(no_destructive_git(rig.shell));
}

TEST_CASE("reload: a lost link during the switch: reconnect, read the journal, report",
          "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    FakeSwitch target;
    target.install(rig.shell);
    target.progress = full_switch();
    target.drop_link_on_polls = {2};
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(context.state.reloaded);
    CHECK(target.launches == 1); // never started twice
    REQUIRE(rig.reporter.warnings.size() == 1);
    CHECK(rig.reporter.warnings[0].find("lost the link while following the switch") !=
          std::string::npos);
}

TEST_CASE("reload: the link stays down: failed, the switch goes on detached, state named",
          "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    FakeSwitch target;
    target.install(rig.shell);
    target.progress = full_switch();
    target.drop_link_on_polls = {2, 3};
    rig.shell.connect_error = "Connection refused";
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::failed);
    CHECK(outcome.detail.find("lost the link") != std::string::npos);
    CHECK(outcome.detail.find("re-run to finish this rollback") != std::string::npos);
    CHECK(context.report.target_state.find("still running detached") != std::string::npos);
    CHECK(context.report.target_state.find("steps done: aside") != std::string::npos);
    CHECK(context.state.switch_in_flight);
}

TEST_CASE("reload: the live HEAD moved since stage 3: halt before anything changes",
          "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    FakeSwitch target;
    target.install(rig.shell);
    target.progress = {"head=0123456789abcdef\nfailed=head-moved 39\nresult=failed\n"};
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::halted);
    CHECK(outcome.detail.find("no longer v1.4.2") != std::string::npos);
    CHECK_FALSE(context.state.live_changed);
}

TEST_CASE("reload: a swap failing after node_modules moved out is SEV1, the state named",
          "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    FakeSwitch target;
    target.install(rig.shell);
    rig.shell.on("tail -n 6", 0, "mv: cannot move: Permission denied\n");
    SECTION("node_modules out, not in") {
        target.progress = {"done=aside\ndone=checkout\ndone=out:node_modules\n"
                           "failed=in:node_modules 42\nresult=failed\n"};
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::sev1);
        CHECK(outcome.detail.find("Permission denied") != std::string::npos);
        CHECK(context.report.target_state.find("moved aside and not replaced: node_modules") !=
              std::string::npos);
    }
    SECTION("nothing moved yet: failed, not SEV1") {
        target.progress = {
            "done=aside\ndone=checkout\nfailed=out:node_modules 42\nresult=failed\n"};
        CHECK(run_stage(rig).exit_code == ExitCode::failed);
    }
    CHECK_FALSE(context.state.reloaded);
}

TEST_CASE("reload: a refused checkout leaves the live tree untouched", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    context.state.migrations_rolled_back = true;
    FakeSwitch target;
    target.install(rig.shell);
    target.progress = {"done=aside\nbegin=checkout\nfailed=checkout 41\nresult=failed\n"};
    rig.shell.on("git -C '/opt/apps/eo-mena' rev-parse HEAD", 0, k_from_commit + "\n");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::failed);
    CHECK(outcome.detail.find("live tree untouched, still v1.4.2") != std::string::npos);
    CHECK(outcome.detail.find("database was already rolled back") != std::string::npos);
    CHECK_FALSE(context.state.live_changed);
}

TEST_CASE("reload: a failed reload names the state", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    FakeSwitch target;
    target.install(rig.shell);
    rig.shell.on("tail -n 6", 0, "[PM2][ERROR] Process eo-main not found\n");
    target.progress = full_switch();
    target.progress.back() = "begin=reload\nfailed=reload 43\nresult=failed\n";
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::failed);
    CHECK(outcome.detail.find("Process eo-main not found") != std::string::npos);
    CHECK(context.report.target_state.find("reload failed") != std::string::npos);
    CHECK_FALSE(context.state.reloaded);
}

TEST_CASE("reload: resuming a switch that already completed launches nothing", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    FakeSwitch target;
    target.install(rig.shell);
    context.state.resuming = true;
    context.state.journal_open = true;
    context.state.journal.result = "ok";
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK(target.launches == 0);
    CHECK(context.state.reloaded);
}

TEST_CASE("reload: in-place journals checkout, install, build, reload in the live tree",
          "[stages][reload]") {
    TestRig rig;
    Context& context = given_connected(rig);
    rig.config.env.rollback.strategy = Strategy::in_place;
    FakeSwitch target;
    target.install(rig.shell);
    SECTION("ok") {
        target.progress = {"done=checkout\ndone=install\ndone=build\ndone=reload\nresult=ok\n"};
        CHECK(run_stage(rig).status == StageStatus::ok);
        const std::string& launch = target.launched;
        CHECK(launch.find("strategy=in-place") != std::string::npos);
        CHECK(launch.find(twice("timeout -k 5 600 bash -c 'npm ci'")) != std::string::npos);
        CHECK(launch.find("mv -T") == std::string::npos);
        CHECK(context.state.reloaded);
    }
    SECTION("build fails: SEV1, the tree is changed") {
        target.progress = {"done=checkout\ndone=install\nfailed=build 46\nresult=failed\n"};
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::sev1);
        CHECK(context.state.live_changed);
    }
}

TEST_CASE("reload: an auto down migration is the switch's first step, followed by stage 8",
          "[stages][reload][migration-check]") {
    TestRig rig;
    Context& context = built(rig);
    context.state.migration_plan = MigrationPlan::run_auto;
    context.state.added_migrations = {"db/migrations/2.js"};
    FakeSwitch target;
    target.install(rig.shell);
    target.progress = {"begin=db_rollback\n", "done=db_rollback\n"};
    for (const auto& chunk : full_switch()) {
        target.progress.push_back(chunk);
    }
    REQUIRE(make_migration_check_stage()->run(context).status == StageStatus::ok);
    CHECK(context.state.migrations_rolled_back);
    CHECK(context.state.switch_in_flight); // stage 8 follows it, even after Ctrl-C
    REQUIRE(run_stage(rig).status == StageStatus::ok);
    CHECK(target.launches == 1);
    const std::string& launch = target.launched;
    const auto down = launch.find("npm run db:rollback");
    REQUIRE(down != std::string::npos);
    CHECK(down < launch.find("checkout --detach"));
    CHECK(context.state.reloaded);
}

TEST_CASE("reload: a drill only checks the PM2 process", "[stages][reload]") {
    TestRig rig;
    Context& context = built(rig);
    rig.options.dry_run = true;
    SECTION("online") {
        rig.shell.on(
            "pm2 jlist", 0,
            R"([{"name":"eo-main","pid":811,"pm2_env":{"status":"online","restart_time":2}}])");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::ok);
        CHECK(outcome.detail.find("online (pid 811, 2 restarts)") != std::string::npos);
    }
    SECTION("stopped") {
        rig.shell.on("pm2 jlist", 0,
                     R"([{"name":"eo-main","pid":0,"pm2_env":{"status":"stopped"}}])");
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::drill_failed);
        CHECK(outcome.detail.find("stopped") != std::string::npos);
    }
    SECTION("absent") {
        rig.shell.on("pm2 jlist", 0, "[]");
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
    SECTION("pm2 fails") {
        rig.shell.on("pm2 jlist", 127, "", "pm2: command not found\n");
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
    CHECK(rig.shell.commands == std::vector<std::string>{"pm2 jlist"});
    CHECK_FALSE(context.state.live_changed);
}
