// Ctrl-C (docs/safety.md): the binary lets the running remote command finish, stops
// before the next, cleans the staging area, releases the lock, writes the
// record and exits 130, with the live app exactly as it was.
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace smo::integration;

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A slow install that says when it started, so that Ctrl-C lands while it
// runs on the target however loaded the machine is.
void slow_install(const Sandbox& sandbox, const std::filesystem::path& marker) {
    const auto file = sandbox.operator_dir() / ".smorch" / "project.json";
    auto config = nlohmann::json::parse(read_file(file));
    config["deploy"]["production"]["rollback"]["commands"]["install"] =
        "touch '" + marker.string() + "' && sleep 4 && npm ci --production";
    std::ofstream(file) << config.dump(2) << "\n";
}

// Reads the binary's output until `marker` exists (or it exits).
bool wait_for(SpawnedProcess& process, const std::filesystem::path& marker) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(4);
    while (!std::filesystem::exists(marker)) {
        if (std::chrono::steady_clock::now() > give_up ||
            process.pump_for(std::chrono::milliseconds(100))) {
            return false;
        }
    }
    return true;
}

// The line of `text` that starts with `start`, or "".
std::string line_of(const std::string& text, const std::string& start) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(start, 0) == 0) {
            return line;
        }
    }
    return {};
}

std::filesystem::path rollback_record(const Sandbox& sandbox) {
    for (const auto& entry :
         std::filesystem::directory_iterator(sandbox.operator_dir() / "docs" / "deploys")) {
        if (entry.path().filename().string().find("-rollback-v1.2.0-to-v1.1.0") !=
            std::string::npos) {
            return entry.path();
        }
    }
    return {};
}

} // namespace

TEST_CASE("Ctrl-C during install stops after the command, logs, unlocks and exits 130",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500", "--deps-changed"});
    const auto marker = sandbox.dir() / "install-started";
    slow_install(sandbox, marker);
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    SpawnedProcess process = spawn_process(sandbox.binary_spec({}));
    const bool started = wait_for(process, marker);
    INFO(process.output().err);
    REQUIRE(started);
    // A terminal sends SIGINT to the whole foreground process group.
    REQUIRE(::kill(-process.pid(), SIGINT) == 0);
    const ProcessResult run = wait_process(process);
    INFO(run.err);
    CHECK(run.exit_code == 130);
    CHECK(run.err.find("interrupted") != std::string::npos);
    // The install that was running when Ctrl-C came finished; build never began.
    CHECK(line_of(run.err, "[5/12] install").find(" ok ") != std::string::npos);
    CHECK(line_of(run.err, "[6/12] build").find("interrupted") != std::string::npos);

    const auto record = rollback_record(sandbox);
    REQUIRE(!record.empty());
    CHECK(read_file(record).find("outcome: interrupted") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(sandbox.dir() / ".smo-rollback" / "live.lock"));
    CHECK(sandbox.remote("git worktree list --porcelain | grep -c '^worktree'").out == "1\n");
    CHECK(sandbox.remote("git rev-parse HEAD").out == sandbox.value("COMMIT_V1_2_0") + "\n");
    CHECK(sandbox.health().body.find(sandbox.value("COMMIT_V1_2_0")) != std::string::npos);
    CHECK(TargetSnapshot::take(sandbox) == before);
}
