// The real binary's command line and config errors (docs/usage.md, docs/configuration.md), without
// a sandbox: each test writes a .smorch/project.json by hand in a temp dir and
// runs SMO_BINARY there. None of these may touch the network, so the config
// points at an address nothing listens on.
#include "../../support/temp_dir.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

using namespace smo::integration;
using smo::test::TempDir;

namespace {

const char* const k_valid_config = R"({
  "project": "cli-test",
  "deploy": {
    "production": {
      "tailscale_ip": "127.0.0.1",
      "path": "/opt/apps/cli-test",
      "pm2_name": "cli-test",
      "health_url": "http://127.0.0.1:9/api/health",
      "ssh": { "user": "deploy", "port": 9 }
    }
  }
})";

// The binary in `cwd`, with a HOME of the temp dir (no ~/.ssh/config of the
// machine leaks in) and no agent.
ProcessResult run_binary_in(const TempDir& dir, const std::filesystem::path& cwd,
                            const std::vector<std::string>& args) {
    std::filesystem::create_directories(dir.path() / "home");
    ProcessSpec spec;
    spec.argv = {SMO_BINARY};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.cwd = cwd.string();
    spec.set_env = {{"HOME", (dir.path() / "home").string()}, {"NO_COLOR", "1"}};
    spec.unset_env = {"SSH_AUTH_SOCK", "TELEGRAM_BOT_TOKEN", "TELEGRAM_CHAT_ID"};
    spec.timeout = std::chrono::seconds(60);
    return run_process(spec);
}

ProcessResult run_with_config(const std::string& config, const std::vector<std::string>& args) {
    TempDir dir;
    dir.write("app/.smorch/project.json", config);
    std::filesystem::create_directories(dir.path() / "app" / "src");
    // From a subdirectory: the binary walks up to the project.
    return run_binary_in(dir, dir.path() / "app" / "src", args);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    return lines;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("cli: version flag prints the name, the version and the commit it was built from",
          "[cli][integration]") {
    TempDir dir;
    const ProcessResult run = run_binary_in(dir, dir.path(), {"--version"});
    CHECK(run.exit_code == 0);
    const std::string prefix = std::string("smo-rollback ") + SMO_VERSION + " (commit ";
    REQUIRE(run.out.rfind(prefix, 0) == 0);
    std::string commit = run.out.substr(prefix.size(), run.out.find(')') - prefix.size());
    if (commit.size() > 6 && commit.compare(commit.size() - 6, 6, "-dirty") == 0) {
        commit.resize(commit.size() - 6);
    }
    ProcessSpec head;
    head.argv = {"git", "-C", SMO_SOURCE_DIR, "rev-parse", "HEAD"};
    const ProcessResult git = run_process(head);
    REQUIRE(git.exit_code == 0);
    CHECK(commit.size() >= 7);
    CHECK(git.out.rfind(commit, 0) == 0);
}

TEST_CASE("cli: help flag lists every flag of the contract", "[cli][integration]") {
    TempDir dir;
    const ProcessResult run = run_binary_in(dir, dir.path(), {"--help"});
    CHECK(run.exit_code == 0);
    for (const char* flag : {"--env",          "--to",       "--dry-run", "--plan",
                             "--auto",         "--yes",      "--json",    "--project-dir",
                             "--triggered-by", "--incident", "--notify",  "--accept-new-host-key",
                             "--break-lock",   "-v",         "--verbose", "-q",
                             "--quiet",        "--no-color", "--version", "--help"}) {
        INFO(flag);
        CHECK(contains(run.out, std::string(flag)));
    }
    CHECK(contains(run.out, "130"));
}

TEST_CASE("cli: an unknown flag is a usage error", "[cli][integration]") {
    TempDir dir;
    const ProcessResult run = run_binary_in(dir, dir.path(), {"--rollback-everything"});
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, "--rollback-everything"));
    CHECK(run.out.empty());

    // A wrapper that asked for --json still gets its result line.
    const ProcessResult json = run_binary_in(dir, dir.path(), {"--json", "--plan", "--dry-run"});
    CHECK(json.exit_code == 2);
    const auto event = nlohmann::json::parse(json.out);
    CHECK(event["event"] == "result");
    CHECK(event["exit_code"] == 2);
    CHECK(contains(event["reason"].get<std::string>(), "--plan and --dry-run"));
}

TEST_CASE("cli: no .smorch/project.json up from the current directory exits 2 saying so",
          "[cli][integration]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "a" / "b");
    for (auto parent = dir.path(); parent.has_relative_path(); parent = parent.parent_path()) {
        REQUIRE_FALSE(std::filesystem::exists(parent / ".smorch" / "project.json"));
    }
    const ProcessResult run = run_binary_in(dir, dir.path() / "a" / "b", {});
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, "no .smorch/project.json"));
    CHECK(contains(run.err, "--project-dir"));
}

TEST_CASE("cli: invalid JSON exits 2 naming the file, the line and the column",
          "[cli][integration]") {
    // Line 3 ends without a comma: the offending token is "telegram", columns 3–12.
    const ProcessResult run =
        run_with_config("{\n  \"project\": \"x\",\n  \"deploy\": {}\n  \"telegram\": {}\n}\n", {});
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, ".smorch/project.json"));
    std::smatch where;
    REQUIRE(std::regex_search(run.err, where, std::regex("line (\\d+), column (\\d+)")));
    CHECK(where[1] == "4");
    CHECK(std::stoi(where[2]) >= 3);
    CHECK(std::stoi(where[2]) <= 12);
}

TEST_CASE("cli: a missing required key exits 2 naming its JSON path", "[cli][integration]") {
    auto config = nlohmann::json::parse(k_valid_config);
    config["deploy"]["production"].erase("pm2_name");
    const ProcessResult run = run_with_config(config.dump(2), {});
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, ".smorch/project.json"));
    CHECK(contains(run.err, "deploy.production.pm2_name"));
}

TEST_CASE("cli: an unknown --env exits 2 naming the environment", "[cli][integration]") {
    const ProcessResult run = run_with_config(k_valid_config, {"--env", "stagingx"});
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, "stagingx"));
    CHECK(contains(run.err, "production")); // the environments the file has
}

TEST_CASE("cli: with --json a config error is one result line on stdout and nothing else",
          "[cli][integration]") {
    auto config = nlohmann::json::parse(k_valid_config);
    config["deploy"]["production"].erase("pm2_name");
    const ProcessResult run = run_with_config(config.dump(2), {"--json"});
    INFO(run.out);
    INFO(run.err);
    CHECK(run.exit_code == 2);
    const auto lines = lines_of(run.out);
    REQUIRE(lines.size() == 1);
    CHECK(run.out.back() == '\n');
    const auto event = nlohmann::json::parse(lines[0]);
    CHECK(event.at("event") == "result");
    CHECK(event.at("exit_code") == 2);
    CHECK(contains(event.dump(), "deploy.production.pm2_name"));
    CHECK(contains(run.err, "deploy.production.pm2_name")); // humans still read stderr
}

TEST_CASE("cli: a non-UTF-8 unknown flag with --json exits 2 with one result line",
          "[cli][integration]") {
    TempDir dir;
    const ProcessResult run = run_binary_in(dir, dir.path(), {"--json", "--bogus\xff"});
    CHECK(run.exit_code == 2);
    const auto event = nlohmann::json::parse(run.out);
    CHECK(event["event"] == "result");
    CHECK(event["exit_code"] == 2);
    CHECK(contains(event["reason"].get<std::string>(), "--bogus"));
}
