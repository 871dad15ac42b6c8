// Crash safety without the switch (docs/safety.md): locks that free
// themselves (a dead holder on this host, a silent heartbeat with
// --break-lock), SIGHUP handled like Ctrl-C, and a lost link during install
// reported as a failure with the live app untouched, not as SEV1.
#include "support/faults.hpp"
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

using namespace smo::integration;

namespace {

// Who the binary writes into the lock: as src/stages/stage_support.cpp does.
std::string local_user() {
    for (const char* name : {"USER", "LOGNAME"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0') {
            return value;
        }
    }
    const passwd* entry = getpwuid(getuid());
    return entry != nullptr ? entry->pw_name : "unknown";
}

std::string local_host() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return host;
}

// A pid that certainly ran on this machine and is gone now.
std::string dead_pid() {
    ProcessSpec spec;
    spec.argv = {"sh", "-c", "echo $$"};
    const ProcessResult result = run_process(spec);
    return std::to_string(std::atoi(result.out.c_str()));
}

void plant_lock(const Sandbox& sandbox, const std::string& user, const std::string& host,
                const std::string& pid, const std::string& heartbeat_age) {
    const ProcessResult planted =
        sandbox.remote("mkdir -p ../.smo-rollback/live.lock && printf "
                       "'user=%s\\nhost=%s\\npid=%s\\ntime=%s\\n' '" +
                       user + "' '" + host + "' '" + pid +
                       "' 2026-11-30T03:00:00Z > ../.smo-rollback/live.lock/owner && touch -d '" +
                       heartbeat_age + "' ../.smo-rollback/live.lock");
    REQUIRE(planted.exit_code == 0);
}

bool lock_present(const Sandbox& sandbox) {
    return sandbox.remote("test -e ../.smo-rollback/live.lock").exit_code == 0;
}

// What a rollback to v1.1.0 leaves: HEAD, served commit, schema of v1.1.0.
void check_rolled_back(const Sandbox& sandbox) {
    const std::string commit = sandbox.value("COMMIT_V1_1_0");
    CHECK(remote_text(sandbox, "git rev-parse HEAD") == commit);
    const HttpResponse health = sandbox.health();
    CHECK(health.status == 200);
    CHECK(health.body.find("\"commit\":\"" + commit + "\"") != std::string::npos);
    CHECK(remote_text(sandbox, "sqlite3 '" + sandbox.value("DATABASE_PATH") +
                                   "' 'select count(*) from knex_migrations'") == "2");
    CHECK_FALSE(lock_present(sandbox));
}

} // namespace

TEST_CASE("a lock left by a dead run of this host and user is taken over at once and recorded",
          "[rollback][integration][crash]") {
    Sandbox sandbox({"--bad", "500"});
    const std::string pid = dead_pid();
    plant_lock(sandbox, local_user(), local_host(), pid, "1 minute ago");
    const ProcessResult run = sandbox.run_binary({"--auto"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.err.find("took over the lock held by " + local_user() + "@" + local_host() + " pid " +
                       pid) != std::string::npos);
    const auto record = rollback_record(sandbox, "v1.2.0", "v1.1.0");
    REQUIRE(!record.empty());
    CHECK(read_text(record).find("no longer runs on this host") != std::string::npos);
    check_rolled_back(sandbox);
}

TEST_CASE("a lock whose heartbeat went silent halts, then --break-lock takes it over, recorded",
          "[rollback][integration][crash]") {
    Sandbox sandbox({"--bad", "500"});
    plant_lock(sandbox, "alice", "laptop", "4242", "2 hours ago");
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    const ProcessResult halted = sandbox.run_binary({});
    INFO(halted.err);
    CHECK(halted.exit_code == 3);
    CHECK(halted.err.find("alice@laptop pid 4242") != std::string::npos);
    CHECK(halted.err.find("--break-lock") != std::string::npos);
    CHECK(TargetSnapshot::take(sandbox) == before);

    const ProcessResult run = sandbox.run_binary({"--break-lock"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    const auto record = rollback_record(sandbox, "v1.2.0", "v1.1.0");
    REQUIRE(!record.empty());
    const std::string text = read_text(record);
    CHECK(text.find("took over the lock held by alice@laptop pid 4242") != std::string::npos);
    CHECK(text.find("--break-lock") != std::string::npos);
    check_rolled_back(sandbox);
}

TEST_CASE("SIGHUP during the build stops after it: exit 130, live untouched, lock free",
          "[rollback][integration][crash]") {
    Sandbox sandbox({"--bad", "500"});
    const auto marker = sandbox.dir() / "build-started";
    set_rollback_command(sandbox, "build",
                         "touch '" + marker.string() + "' && sleep 3 && npm run build");
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    SpawnedProcess process = spawn_process(sandbox.binary_spec({}));
    const bool started = wait_for_path(process, marker);
    INFO(process.output().err);
    REQUIRE(started);
    // A closed terminal: SIGHUP to the foreground process group.
    REQUIRE(::kill(-process.pid(), SIGHUP) == 0);
    const ProcessResult run = wait_process(process);
    INFO(run.err);
    CHECK(run.exit_code == 130);
    // The build command ran to its end (its sleep 3 included); the stage's
    // next command never started, and neither did stage 7.
    const std::string build = line_starting(run.err, "[6/12] build");
    CHECK(build.find("interrupted") != std::string::npos);
    CHECK(std::stod(build.substr(std::string("[6/12] build").size())) >= 3.0);
    CHECK(run.err.find("[7/12]") == std::string::npos);
    CHECK(run.err.find("[8/12]") == std::string::npos);
    const auto record = rollback_record(sandbox, "v1.2.0", "v1.1.0");
    REQUIRE(!record.empty());
    CHECK(read_text(record).find("outcome: interrupted") != std::string::npos);
    CHECK_FALSE(lock_present(sandbox));
    CHECK(TargetSnapshot::take(sandbox) == before);
}

TEST_CASE("the SSH session killed during install: failed (exit 5), live untouched, lock freed",
          "[rollback][integration][crash]") {
    Sandbox sandbox({"--bad", "500", "--deps-changed"});
    const auto started = sandbox.dir() / "install-started";
    const auto ended = sandbox.dir() / "install-ended";
    // Output to /dev/null: the orphaned install outlives its session and ends
    // on its own, marking it, so the test can wait for it before tearing down.
    set_rollback_command(sandbox, "install",
                         "touch '" + started.string() +
                             "' && sleep 3; npm ci >/dev/null 2>&1; touch '" + ended.string() +
                             "'");
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    SpawnedProcess process = spawn_process(sandbox.binary_spec({}));
    const bool running = wait_for_path(process, started);
    INFO(process.output().err);
    REQUIRE(running);
    CHECK(kill_ssh_sessions(sandbox) >= 1);
    const ProcessResult run = wait_process(process);
    INFO(run.err);
    CHECK(run.exit_code == 5);
    CHECK(run.err.find("SEV1") == std::string::npos);
    CHECK(run.err.find("live app untouched") != std::string::npos);
    const auto record = rollback_record(sandbox, "v1.2.0", "v1.1.0");
    REQUIRE(!record.empty());
    CHECK(read_text(record).find("outcome: failed") != std::string::npos);
    // The lock was released over a new session.
    CHECK_FALSE(lock_present(sandbox));
    for (int i = 0; i < 600 && !std::filesystem::exists(ended); ++i) {
        ::usleep(100 * 1000);
    }
    const TargetSnapshot after = TargetSnapshot::take(sandbox);
    CHECK(after.live_part() == before.live_part());
}
