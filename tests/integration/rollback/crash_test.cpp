// Crash safety of the switch (docs/safety.md): the client SIGKILLed at the
// start of stage 8, and the SSH session killed while the detached switch
// runs. Each test ends on the target's real state: HEAD, schema, build and
// served commit, lock, journal.
#include "support/faults.hpp"
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <unistd.h>

using namespace smo::integration;

namespace {

std::string journal(const Sandbox& sandbox) {
    return sandbox.remote("cat ../.smo-rollback/live/journal 2>/dev/null").out;
}

// v1.1.0 everywhere: HEAD, the build (the health endpoint's commit is baked
// into dist/ at build time), PM2, the schema of v1.1.0, the lock free and the
// journal closed.
void check_consistent_on_v1_1_0(const Sandbox& sandbox) {
    const std::string commit = sandbox.value("COMMIT_V1_1_0");
    CHECK(remote_text(sandbox, "git rev-parse HEAD") == commit);
    CHECK(remote_text(sandbox, "git status --porcelain --untracked-files=no").empty());
    CHECK(remote_text(sandbox, "grep -rho '" + commit + "' dist | head -n 1").find(commit) !=
          std::string::npos);
    const HttpResponse health = sandbox.health();
    CHECK(health.status == 200);
    CHECK(health.body.find("\"commit\":\"" + commit + "\"") != std::string::npos);
    const Pm2Process process = sandbox.pm2_describe();
    CHECK(process.status == "online");
    const std::string db = "sqlite3 '" + sandbox.value("DATABASE_PATH") + "' ";
    CHECK(remote_text(sandbox, db + "'select count(*) from knex_migrations'") == "2");
    CHECK(remote_text(sandbox, db + ".tables").find("posts") != std::string::npos);
    CHECK(sandbox.remote("test -e ../.smo-rollback/live.lock").exit_code != 0);
    CHECK(journal(sandbox).find("\nclosed=success ") != std::string::npos);
    CHECK(sandbox.remote("git worktree list --porcelain | grep -c '^worktree'").out == "1\n");
}

} // namespace

TEST_CASE("the client SIGKILLed at the start of stage 8, then a re-run finishes the same rollback",
          "[rollback][integration][crash]") {
    Sandbox sandbox({"--bad", "500"});
    SpawnedProcess process = spawn_process(sandbox.binary_spec({"--json"}));
    const bool at_switch = wait_for_stage_event(process, 8, "running");
    INFO(process.output().err);
    REQUIRE(at_switch);
    REQUIRE(::kill(process.pid(), SIGKILL) == 0);
    const ProcessResult killed = wait_process(process);
    CHECK(killed.exit_code == 128 + SIGKILL);
    // Nothing on the target is left unknown: the journal says what happened.
    const std::string left = journal(sandbox);
    INFO(left);
    CHECK(left.find("smo-journal 1\n") == 0);
    CHECK(left.find("to_tag=v1.1.0\n") != std::string::npos);
    CHECK(left.find("closed=") == std::string::npos);

    const ProcessResult rerun = sandbox.run_binary({});
    INFO(rerun.err);
    CHECK(rerun.exit_code == 0);
    CHECK(rerun.err.find("resuming the unfinished rollback v1.2.0") != std::string::npos);
    CHECK(rerun.err.find("took over the lock") != std::string::npos);
    CHECK(rerun.err.find("To: v1.1.0") != std::string::npos); // never walked on to v1.0.0
    CHECK(!rollback_record(sandbox, "v1.2.0", "v1.1.0").empty());
    CHECK(rollback_record(sandbox, "v1.1.0", "v1.0.0").empty());
    check_consistent_on_v1_1_0(sandbox);
}

TEST_CASE("the SSH session killed during the detached switch: it finishes, the client reconnects",
          "[rollback][integration][crash]") {
    Sandbox sandbox({"--bad", "500"});
    const auto marker = sandbox.dir() / "reload-started";
    set_rollback_command(sandbox, "reload",
                         "touch '" + marker.string() + "' && sleep 3 && pm2 reload {pm2_name}");
    SpawnedProcess process = spawn_process(sandbox.binary_spec({}));
    const bool reloading = wait_for_path(process, marker);
    INFO(process.output().err);
    REQUIRE(reloading);
    CHECK(kill_ssh_sessions(sandbox) >= 1);
    const ProcessResult run = wait_process(process);
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.err.find("lost the link while following the switch") != std::string::npos);
    const std::string done = journal(sandbox);
    INFO(done);
    CHECK(done.find("\ndone=reload\nresult=ok\n") != std::string::npos);
    check_consistent_on_v1_1_0(sandbox);
}

// The switch already reloaded v1.1.0 when the client died, and the records
// hold only v1.1.0 and v1.2.0: the records alone name nothing before the
// release served, so stage 1 must leave the verdict to the target's journal.
TEST_CASE("the client SIGKILLed after the reload, two releases on record: a re-run finishes it",
          "[rollback][integration][crash]") {
    Sandbox sandbox({"--bad", "500"});
    for (const auto& entry :
         std::filesystem::directory_iterator(sandbox.operator_dir() / "docs" / "deploys")) {
        if (entry.path().filename().string().find("v1.0.0") != std::string::npos) {
            std::filesystem::remove(entry.path());
        }
    }
    SpawnedProcess process = spawn_process(sandbox.binary_spec({"--json"}));
    const bool settling = wait_for_stage_event(process, 9, "running");
    INFO(process.output().err);
    REQUIRE(settling);
    REQUIRE(::kill(process.pid(), SIGKILL) == 0);
    wait_process(process);
    const std::string left = journal(sandbox);
    INFO(left);
    REQUIRE(left.find("\nresult=ok\n") != std::string::npos);
    CHECK(left.find("closed=") == std::string::npos);
    CHECK(sandbox.health().body.find(sandbox.value("COMMIT_V1_1_0")) != std::string::npos);
    const ProcessResult status = sandbox.run_binary({"status"});
    CHECK(status.out.find("next smo-rollback finishes it") != std::string::npos);

    const ProcessResult rerun = sandbox.run_binary({});
    INFO(rerun.out);
    INFO(rerun.err);
    CHECK(rerun.exit_code == 0);
    CHECK(rerun.err.find("stage 3 looks for an interrupted rollback") != std::string::npos);
    CHECK(rerun.err.find("resuming the unfinished rollback v1.2.0") != std::string::npos);
    CHECK(!rollback_record(sandbox, "v1.2.0", "v1.1.0").empty());
    check_consistent_on_v1_1_0(sandbox);

    // Without its record, the finished rollback looks the same to stage 1;
    // its journal is closed, so stage 3 finds nothing to finish: exit 2,
    // nothing changed, no record written.
    std::filesystem::remove(rollback_record(sandbox, "v1.2.0", "v1.1.0"));
    const TargetSnapshot before = TargetSnapshot::take(sandbox);
    const auto deploys = sandbox.operator_dir() / "docs" / "deploys";
    const auto count = [&] {
        return std::distance(std::filesystem::directory_iterator(deploys),
                             std::filesystem::directory_iterator());
    };
    const auto records = count();
    const ProcessResult third = sandbox.run_binary({});
    INFO(third.err);
    CHECK(third.exit_code == 2);
    CHECK(third.err.find("no earlier good release") != std::string::npos);
    CHECK(third.err.find("no interrupted rollback on the target") != std::string::npos);
    CHECK(TargetSnapshot::take(sandbox) == before);
    CHECK(count() == records);
    CHECK(sandbox.remote("test -e ../.smo-rollback/live.lock").exit_code != 0);
}
