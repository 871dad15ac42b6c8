// `status` and `list` against the real sandbox (docs/usage.md): what runs now
// and what a rollback would go back to, before and after a rollback, and
// neither changes anything.
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace smo::integration;

namespace {

nlohmann::json one_object(const ProcessResult& run) {
    INFO(run.out);
    INFO(run.err);
    REQUIRE(run.out.find('\n') == run.out.size() - 1); // exactly one line
    return nlohmann::json::parse(run.out);
}

const nlohmann::json& release(const nlohmann::json& list, const std::string& tag) {
    for (const auto& entry : list["releases"]) {
        if (entry["tag"] == tag) {
            return entry;
        }
    }
    FAIL("no release " << tag << " in " << list.dump());
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("status and list tell what runs and what a rollback would pick, changing nothing",
          "[cockpit][integration]") {
    Sandbox sandbox({"--bad", "500"});
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    const nlohmann::json status = one_object(sandbox.run_binary({"status", "--json"}));
    CHECK(status["live_tag"] == "v1.2.0");
    CHECK(status["live_commit"] == sandbox.value("COMMIT_V1_2_0"));
    CHECK(status["served_commit"].get<std::string>().rfind(
              sandbox.value("COMMIT_V1_2_0").substr(0, 7), 0) == 0);
    CHECK(status["healthy"] == false);
    CHECK(status["tree_clean"] == true);
    CHECK(status["pm2"]["status"] == "online");
    CHECK(status["pm2"]["restarts"].is_number_integer());
    CHECK(status["pm2"]["uptime_seconds"].get<long>() >= 0);
    CHECK(status["lock"].is_null());
    CHECK(status.contains("prepared"));
    CHECK(status.contains("journal"));
    CHECK(status["last_rollback"].is_null());

    const nlohmann::json list = one_object(sandbox.run_binary({"list", "--json"}));
    CHECK(list["releases"][0]["tag"] == "v1.2.0");
    CHECK(release(list, "v1.2.0")["state"] == "live");
    CHECK(release(list, "v1.1.0")["state"] == "good");
    CHECK(release(list, "v1.1.0")["chosen"] == true);
    CHECK(release(list, "v1.1.0")["commit"] == sandbox.value("COMMIT_V1_1_0"));
    CHECK(release(list, "v1.0.0")["chosen"] == false);
    CHECK(TargetSnapshot::take(sandbox) == before);

    const ProcessResult human = sandbox.run_binary({"list"});
    CHECK(human.exit_code == 0);
    CHECK(human.out.find("→ v1.1.0") != std::string::npos);

    const ProcessResult rollback = sandbox.run_binary({"--auto"});
    INFO(rollback.err);
    REQUIRE(rollback.exit_code == 0);

    const nlohmann::json after = one_object(sandbox.run_binary({"status", "--json"}));
    CHECK(after["live_tag"] == "v1.1.0");
    CHECK(after["healthy"] == true);
    CHECK(after["last_rollback"]["from"] == "v1.2.0");
    CHECK(after["last_rollback"]["to"] == "v1.1.0");
    CHECK(after["last_rollback"]["outcome"] == "success");
    const nlohmann::json list_after = one_object(sandbox.run_binary({"list", "--json"}));
    CHECK(release(list_after, "v1.1.0")["state"] == "live");
    CHECK(release(list_after, "v1.2.0")["state"] == "rolled back from");
    CHECK(release(list_after, "v1.0.0")["chosen"] == true);
}

TEST_CASE("status of a target that cannot be reached exits 5", "[cockpit][integration]") {
    Sandbox sandbox({"--bad", "500"});
    // Stop sshd: the GET still answers, the SSH session cannot be opened.
    REQUIRE(sandbox.remote("kill " + std::to_string(sandbox.sshd_pid())).exit_code == 0);
    const ProcessResult down = sandbox.run_binary({"status", "--json"});
    INFO(down.err);
    CHECK(down.exit_code == 5);
    const nlohmann::json status = nlohmann::json::parse(down.out);
    CHECK(status["served_commit"].is_string());
    CHECK(status["error"].is_string());
}
