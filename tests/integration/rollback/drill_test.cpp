// The drill (issue 6): every stage rehearsed for real in the staging area, and
// the target exactly as before afterwards — for a passing drill and for one
// whose previous tag no longer builds.
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace smo::integration;

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("a passing drill rehearses stages 1–12 and changes nothing", "[drill][integration]") {
    Sandbox sandbox({"--bad", "good"});
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    const ProcessResult run = sandbox.run_binary({"--dry-run"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    for (const char* stage : {"[4/12] checkout-prev", "[5/12] install", "[6/12] build",
                              "[8/12] reload", "[10/12] health-check", "[12/12] telegram"}) {
        CHECK(run.err.find(stage) != std::string::npos);
    }
    CHECK(run.err.find("Predicted rollback time") != std::string::npos);
    CHECK(TargetSnapshot::take(sandbox) == before);

    const std::string drill_log = read_file(sandbox.operator_dir() / "docs" / "drill-log.md");
    CHECK(drill_log.find("v1.2.0") != std::string::npos);
    CHECK(drill_log.find("v1.1.0") != std::string::npos);
    CHECK(drill_log.find("PASS") != std::string::npos);
    const std::string trend = read_file(sandbox.operator_dir() / "docs" / "deploys" / "trend.csv");
    CHECK(trend.find(",drill,v1.2.0,v1.1.0,") != std::string::npos);
    // getMe only: nothing sent without --notify.
    const std::string bot_log = read_file(sandbox.dir() / "telegram.jsonl");
    CHECK(bot_log.find("getMe") != std::string::npos);
    CHECK(bot_log.find("sendMessage") == std::string::npos);
}

TEST_CASE("a drill whose previous tag no longer builds fails and changes nothing",
          "[drill][integration]") {
    Sandbox sandbox({"--bad", "good", "--broken-previous"});
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    const ProcessResult run = sandbox.run_binary({"--dry-run", "--notify"});
    INFO(run.err);
    CHECK(run.exit_code == 6);
    CHECK(run.err.find("[6/12] build") != std::string::npos);
    CHECK(TargetSnapshot::take(sandbox) == before);

    const std::string drill_log = read_file(sandbox.operator_dir() / "docs" / "drill-log.md");
    CHECK(drill_log.find("FAIL") != std::string::npos);
    const std::string bot_log = read_file(sandbox.dir() / "telegram.jsonl");
    CHECK(bot_log.find("sendMessage") != std::string::npos); // --notify sends the verdict
}
