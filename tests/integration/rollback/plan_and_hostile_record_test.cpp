// --plan writes nothing anywhere, and a hostile tag in a deploy record never
// runs (docs/usage.md, docs/safety.md): one sandbox, first the plan, then a real rollback
// with --json past a record whose tag is a command substitution.
#include "support/faults.hpp"
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace smo::integration;

namespace {

std::string operator_status(const Sandbox& sandbox) {
    ProcessSpec spec;
    spec.argv = {"git", "status", "--porcelain", "--ignored", "--untracked-files=all"};
    spec.cwd = sandbox.operator_dir().string();
    const ProcessResult result = run_process(spec);
    REQUIRE(result.exit_code == 0);
    return result.out;
}

// The plan's line for `label` ("From:", "To:") starts with `tag`.
bool plan_line_starts(const std::string& plan, const std::string& label, const std::string& tag) {
    std::istringstream lines(plan);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(label, 0) == 0) {
            const auto value = line.find_first_not_of(' ', label.size());
            return value != std::string::npos && line.compare(value, tag.size(), tag) == 0;
        }
    }
    return false;
}

void write_hostile_record(const Sandbox& sandbox, const std::string& proof) {
    std::ofstream record(sandbox.operator_dir() / "docs" / "deploys" / "2026-11-29-evil.md");
    record << "---\n"
           << "tag: \"v9$(touch " << proof << ")\"\n"
           << "commit: " << sandbox.value("COMMIT_V1_2_0") << "\n"
           << "env: production\n"
           << "status: success\n"
           << "deployed_at: 2026-11-29T23:00:00Z\n"
           << "---\n\n# Deploy\n";
    REQUIRE(record.good());
}

} // namespace

TEST_CASE("plan writes nothing, and a hostile tag in a record is skipped, never run",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500"});
    const std::string status_before = operator_status(sandbox);
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    const ProcessResult plan = sandbox.run_binary({"--plan"});
    INFO(plan.out);
    INFO(plan.err);
    CHECK(plan.exit_code == 0);
    CHECK(plan_line_starts(plan.out, "From:", "v1.2.0"));
    CHECK(plan_line_starts(plan.out, "To:", "v1.1.0"));
    CHECK(plan.out.find("verdict: stage 7 runs `npm run db:rollback`") != std::string::npos);
    // The reload runs inside the switch script as `bash -c '…'`: quoted once more.
    CHECK(plan.out.find("pm2 reload '\\''smo-demo'\\''") != std::string::npos);
    CHECK(operator_status(sandbox) == status_before);
    CHECK(TargetSnapshot::take(sandbox) == before);

    const std::string proof = "/tmp/smo-pwned-" + sandbox.dir().filename().string();
    REQUIRE_FALSE(std::filesystem::exists(proof));
    write_hostile_record(sandbox, proof);

    const ProcessResult run = sandbox.run_binary({"--json"});
    INFO(run.out);
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK_FALSE(std::filesystem::exists(proof));
    CHECK(run.err.find("2026-11-29-evil.md") != std::string::npos);
    CHECK(sandbox.remote("git rev-parse HEAD").out == sandbox.value("COMMIT_V1_1_0") + "\n");

    const auto events = json_lines(run.out);
    REQUIRE(!events.empty());
    bool warned = false;
    for (const auto& event : events) {
        REQUIRE(event.contains("event"));
        if (event["event"] == "warning" &&
            event.value("message", "").find("2026-11-29-evil.md") != std::string::npos) {
            warned = true;
        }
    }
    CHECK(warned);
    const auto& result = events.back();
    CHECK(result["event"] == "result");
    CHECK(result["exit_code"] == 0);
    CHECK(result["from"] == "v1.2.0");
    CHECK(result["to"] == "v1.1.0");
    std::filesystem::remove(proof); // only if the test failed: never leave it behind
}
