// What the operator's mistakes and retries leave behind (docs/usage.md): a
// usage error found before the target is contacted writes no record, no trend
// row and sends no alert; retries against a held lock add one record, not one
// each; --plan --json and --dry-run --json end with a `result` line.
#include "support/faults.hpp"
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace smo::integration;

namespace {

// Everything the operator's clone holds that git would show, ignored files included.
std::string operator_status(const Sandbox& sandbox) {
    ProcessSpec spec;
    spec.argv = {"git", "status", "--porcelain", "--ignored", "--untracked-files=all"};
    spec.cwd = sandbox.operator_dir().string();
    const ProcessResult result = run_process(spec);
    REQUIRE(result.exit_code == 0);
    return result.out;
}

int rollback_records(const Sandbox& sandbox) {
    int count = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(sandbox.operator_dir() / "docs" / "deploys")) {
        if (entry.path().filename().string().find("-rollback-") != std::string::npos) {
            ++count;
        }
    }
    return count;
}

int alerts_sent(const Sandbox& sandbox) {
    const std::string log = read_text(sandbox.dir() / "telegram.jsonl");
    int count = 0;
    for (std::size_t at = log.find("sendMessage"); at != std::string::npos;
         at = log.find("sendMessage", at + 1)) {
        ++count;
    }
    return count;
}

} // namespace

TEST_CASE("a typo in --to exits 2 with no record, no trend row and no alert",
          "[cockpit][integration]") {
    Sandbox sandbox({"--bad", "500"});
    const std::string status_before = operator_status(sandbox);
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    const ProcessResult run = sandbox.run_binary({"--to", "v9.9.9", "--json"});
    INFO(run.err);
    CHECK(run.exit_code == 2);
    const auto events = json_lines(run.out);
    REQUIRE_FALSE(events.empty());
    CHECK(events.back()["event"] == "result");
    CHECK(events.back()["exit_code"] == 2);
    CHECK(events.back()["within_sla"] == false);
    CHECK(operator_status(sandbox) == status_before);
    CHECK(alerts_sent(sandbox) == 0);
    CHECK(TargetSnapshot::take(sandbox) == before);

    const ProcessResult drill = sandbox.run_binary({"--dry-run", "--to", "v9.9.9"});
    INFO(drill.err);
    CHECK(drill.exit_code == 2);
    CHECK(operator_status(sandbox) == status_before);
    CHECK(alerts_sent(sandbox) == 0);
}

TEST_CASE("retries against a held lock add one record and one alert, not one each",
          "[cockpit][integration]") {
    Sandbox sandbox({"--bad", "500"});
    // Another operator's rollback holds the lock, taken a moment ago.
    const auto lock = sandbox.remote(
        "mkdir -p ../.smo-rollback/live.lock && printf 'user=ann\\nhost=laptop\\npid=4242\\n"
        "time=2026-12-04T08:00:00Z\\n' > ../.smo-rollback/live.lock/owner");
    REQUIRE(lock.exit_code == 0);
    const int records_before = rollback_records(sandbox);
    const auto trend_file = sandbox.operator_dir() / "docs" / "deploys" / "trend.csv";
    const std::string trend_before = read_text(trend_file);
    for (int attempt = 1; attempt <= 3; ++attempt) {
        const ProcessResult run = sandbox.run_binary({"--json"});
        INFO(run.err);
        CHECK(run.exit_code == 3);
        CHECK(run.err.find("ann@laptop") != std::string::npos);
    }
    CHECK(rollback_records(sandbox) == records_before + 1);
    CHECK(alerts_sent(sandbox) == 1);
    const std::string trend = read_text(trend_file);
    const auto rows = [](const std::string& text) {
        return std::count(text.begin(), text.end(), '\n');
    };
    CHECK(rows(trend) == rows(trend_before) + (trend_before.empty() ? 2 : 1));
}

TEST_CASE("plan --json keeps stdout NDJSON and ends with a result", "[cockpit][integration]") {
    Sandbox sandbox({"--bad", "500"});
    const ProcessResult plan = sandbox.run_binary({"--plan", "--json"});
    INFO(plan.err);
    CHECK(plan.exit_code == 0);
    CHECK(plan.err.find("Plan: roll back") != std::string::npos);
    const auto events = json_lines(plan.out);
    REQUIRE_FALSE(events.empty());
    const auto& result = events.back();
    CHECK(result["event"] == "result");
    CHECK(result["exit_code"] == 0);
    CHECK(result["from"] == "v1.2.0");
    CHECK(result["to"] == "v1.1.0");
    CHECK(result["within_sla"] == false);
}

TEST_CASE("dry-run --json keeps stdout NDJSON and ends with a result", "[cockpit][integration]") {
    Sandbox sandbox({"--bad", "500"});
    const ProcessResult drill = sandbox.run_binary({"--dry-run", "--json"});
    INFO(drill.err);
    const auto events = json_lines(drill.out);
    REQUIRE_FALSE(events.empty());
    CHECK(events.front()["event"] == "start");
    CHECK(events.back()["event"] == "result");
    CHECK(events.back()["exit_code"] == drill.exit_code);
    CHECK(events.back()["within_sla"] == false);
}
