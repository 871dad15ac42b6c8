// prepare on a fleet (docs/prepare.md) against a sandbox of two hosts: each
// host keeps its standby, nothing live changes, and the rollback after it
// reuses every host's standby.
#include "support/faults.hpp"
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace smo::integration;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::filesystem::path live_of(const Sandbox& sandbox, int number) {
    return number == 1 ? sandbox.value("LIVE_PATH")
                       : sandbox.value("HOST" + std::to_string(number) + "_LIVE_PATH");
}

int app_port_of(const Sandbox& sandbox, int number) {
    return std::stoi(number == 1 ? sandbox.value("APP_PORT")
                                 : sandbox.value("HOST" + std::to_string(number) + "_APP_PORT"));
}

std::string head_of(const std::filesystem::path& live) {
    ProcessSpec spec;
    spec.argv = {"git", "-C", live.string(), "rev-parse", "HEAD"};
    return trim(run_process(spec).out);
}

std::string manifest_of(const std::filesystem::path& live, const std::string& tag) {
    return read_text(live.parent_path() / ".smo-rollback" / live.filename() /
                     ("staged-" + tag + ".prepared"));
}

// The stage line `[n/12] … @host`.
std::string stage_line(const std::string& err, int number, const std::string& host) {
    std::istringstream lines(err);
    std::string line;
    const std::string prefix = "[" + std::to_string(number) + "/12]";
    while (std::getline(lines, line)) {
        if (line.rfind(prefix, 0) == 0 && contains(line, "@" + host)) {
            return line;
        }
    }
    return {};
}

} // namespace

TEST_CASE("fleet prepare: every host keeps a standby and the rollback reuses each",
          "[fleet][prepare][rollback][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "500"});
    const std::string v110 = sandbox.value("COMMIT_V1_1_0");
    const std::string v120 = sandbox.value("COMMIT_V1_2_0");

    const ProcessResult prepared = sandbox.run_binary({"prepare"});
    INFO(prepared.err);
    REQUIRE(prepared.exit_code == 0);
    CHECK(contains(prepared.err, "✅ Standby prepared"));
    CHECK_FALSE(contains(prepared.err, "[7/12]"));
    for (int number : {1, 2}) {
        INFO("host " << number);
        const auto live = live_of(sandbox, number);
        CHECK(head_of(live) == v120);
        CHECK(contains(manifest_of(live, "v1.1.0"), "to_commit=" + v110));
    }

    const ProcessResult run = sandbox.run_binary({"--yes"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    for (int number : {1, 2}) {
        const std::string name = "web-" + std::to_string(number);
        INFO(name);
        CHECK(contains(stage_line(run.err, 4, name), "reused"));
        const auto live = live_of(sandbox, number);
        CHECK(head_of(live) == v110);
        const HttpResponse health = http_get_local(app_port_of(sandbox, number), "/api/health");
        CHECK(health.status == 200);
        CHECK(contains(health.body, "\"commit\":\"" + v110 + "\""));
        CHECK(manifest_of(live, "v1.1.0").empty());
    }
}
