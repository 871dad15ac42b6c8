// Ctrl-C (docs/safety.md): the binary lets the running remote command finish, stops
// before the next, cleans the staging area, releases the lock, writes the
// record and exits 130, with the live app exactly as it was.
#include "support/faults.hpp"
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>
#include <csignal>

using namespace smo::integration;

namespace {

// A slow install that says when it started, so that Ctrl-C lands while it
// runs on the target however loaded the machine is.
void slow_install(const Sandbox& sandbox, const std::filesystem::path& marker) {
    set_rollback_command(sandbox, "install",
                         "touch '" + marker.string() + "' && sleep 4 && npm ci --production");
}

} // namespace

TEST_CASE("Ctrl-C during install stops after the command, logs, unlocks and exits 130",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500", "--deps-changed"});
    const auto marker = sandbox.dir() / "install-started";
    slow_install(sandbox, marker);
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    SpawnedProcess process = spawn_process(sandbox.binary_spec({}));
    const bool started = wait_for_path(process, marker);
    INFO(process.output().err);
    REQUIRE(started);
    // A terminal sends SIGINT to the whole foreground process group.
    REQUIRE(::kill(-process.pid(), SIGINT) == 0);
    const ProcessResult run = wait_process(process);
    INFO(run.err);
    CHECK(run.exit_code == 130);
    CHECK(run.err.find("interrupted") != std::string::npos);
    // The install that was running when Ctrl-C came finished; build never began.
    CHECK(line_starting(run.err, "[5/12] install").find(" ok ") != std::string::npos);
    CHECK(line_starting(run.err, "[6/12] build").find("interrupted") != std::string::npos);

    const auto record = rollback_record(sandbox, "v1.2.0", "v1.1.0");
    REQUIRE(!record.empty());
    CHECK(read_text(record).find("outcome: interrupted") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(sandbox.dir() / ".smo-rollback" / "live.lock"));
    CHECK(sandbox.remote("git worktree list --porcelain | grep -c '^worktree'").out == "1\n");
    CHECK(sandbox.remote("git rev-parse HEAD").out == sandbox.value("COMMIT_V1_2_0") + "\n");
    CHECK(sandbox.health().body.find(sandbox.value("COMMIT_V1_2_0")) != std::string::npos);
    CHECK(TargetSnapshot::take(sandbox) == before);
}
