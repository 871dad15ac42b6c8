// A fleet rollback interrupted and resumed (docs/stages.md "Fleets",
// docs/safety.md): the client SIGKILLed once stage 8 runs on a sandbox of two
// hosts, then a re-run finishes the SAME rollback on every host from each
// host's journal, without running the down migration a second time.
#include "support/faults.hpp"
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

using namespace smo::integration;

namespace {

// Host 1 is the sandbox's own live tree; host 2 is DIR/host-2.
std::string live_of(const Sandbox& sandbox, int number) {
    return sandbox.value(number == 1 ? "LIVE_PATH" : "HOST2_LIVE_PATH");
}

int app_port_of(const Sandbox& sandbox, int number) {
    return std::stoi(sandbox.value(number == 1 ? "APP_PORT" : "HOST2_APP_PORT"));
}

std::filesystem::path work_area(const Sandbox& sandbox, int number) {
    return std::filesystem::path(live_of(sandbox, number)).parent_path() / ".smo-rollback";
}

std::string journal_of(const Sandbox& sandbox, int number) {
    return local_text("cat '" + (work_area(sandbox, number) / "live" / "journal").string() +
                      "' 2>/dev/null");
}

int applied_migrations(const Sandbox& sandbox) {
    return std::stoi(local_text("sqlite3 '" + sandbox.value("DATABASE_PATH") +
                                "' 'select count(*) from knex_migrations'"));
}

} // namespace

TEST_CASE("fleet: the client SIGKILLed during stage 8, then a re-run finishes the same rollback "
          "on every host",
          "[fleet][rollback][integration][crash]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "500"});
    const std::string v110 = sandbox.value("COMMIT_V1_1_0");
    REQUIRE(applied_migrations(sandbox) == 3);

    SpawnedProcess process = spawn_process(sandbox.binary_spec({"--json"}));
    const bool at_switch = wait_for_stage_event(process, 8, "running");
    INFO(process.output().err);
    REQUIRE(at_switch);
    REQUIRE(::kill(process.pid(), SIGKILL) == 0);
    const ProcessResult killed = wait_process(process);
    CHECK(killed.exit_code == 128 + SIGKILL);
    // Stage 7 ran once, on web-1, inside web-1's journaled switch.
    const std::string web1 = journal_of(sandbox, 1);
    INFO(web1);
    CHECK(web1.find("smo-journal 1\n") == 0);
    CHECK(web1.find("to_tag=v1.1.0\n") != std::string::npos);
    CHECK(web1.find("\ndone=db_rollback\n") != std::string::npos);
    CHECK(web1.find("closed=") == std::string::npos);
    CHECK(applied_migrations(sandbox) == 2);

    const ProcessResult rerun = sandbox.run_binary({"--json"});
    INFO(rerun.out << rerun.err);
    CHECK(rerun.exit_code == 0);
    CHECK(rerun.err.find("resuming the unfinished rollback v1.2.0") != std::string::npos);
    CHECK(!rollback_record(sandbox, "v1.2.0", "v1.1.0").empty());
    CHECK(rollback_record(sandbox, "v1.1.0", "v1.0.0").empty());
    CHECK(applied_migrations(sandbox) == 2); // 003 undone once, never 002
    for (int number : {1, 2}) {
        INFO("host " << number);
        CHECK(local_text("git -C '" + live_of(sandbox, number) + "' rev-parse HEAD") == v110);
        CHECK(http_get_local(app_port_of(sandbox, number), "/api/health")
                  .body.find("\"commit\":\"" + v110 + "\"") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(work_area(sandbox, number) / "live.lock"));
        CHECK(journal_of(sandbox, number).find("\nclosed=success ") != std::string::npos);
    }

    // list reads the record's hosts table back: both hosts on v1.1.0.
    const ProcessResult list = sandbox.run_binary({"list", "--json"});
    INFO(list.out);
    REQUIRE(list.exit_code == 0);
    const auto releases = nlohmann::json::parse(list.out)["releases"];
    for (const auto& release : releases) {
        const auto expected = release["tag"] == "v1.1.0" ? nlohmann::json::array({"web-1", "web-2"})
                                                         : nlohmann::json::array();
        CHECK(release["hosts"] == expected);
    }
}
