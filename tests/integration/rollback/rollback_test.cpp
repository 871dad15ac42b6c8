// The twelve-stage rollback end to end (issue 4): the real binary against the
// real sandbox (sshd on loopback, git, npm, PM2, SQLite, the Bot API stand-in).
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

using namespace smo::integration;

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every stage line `[n/12] name` appears, in order, with its seconds.
void check_stage_lines(const std::string& err) {
    const char* names[] = {
        "identify-previous", "preflight", "ssh-connect", "checkout-prev", "install", "build",
        "migration-check",   "reload",    "settle",      "health-check",  "log",     "telegram"};
    size_t from = 0;
    for (int n = 1; n <= 12; ++n) {
        const std::string label = "[" + std::to_string(n) + "/12] " + names[n - 1];
        const size_t at = err.find(label, from);
        INFO(label);
        REQUIRE(at != std::string::npos);
        const std::string line = err.substr(at, err.find('\n', at) - at);
        CHECK(line.find("s ") != std::string::npos); // "  12.3s  ok"
        from = at;
    }
}

// The lines of `text` with what differs from run to run made alike: sandbox
// paths, commits and hashes, dates and times, seconds, column padding.
std::vector<std::string> normalised_lines(const std::string& text) {
    static const std::vector<std::pair<std::regex, std::string>> rules{
        {std::regex(R"(/tmp/smo\.[A-Za-z0-9]+)"), "<dir>"},
        {std::regex(R"(\d{8}T\d{6}Z)"), "<time>"},
        {std::regex(R"(\d{4}-\d\d-\d\d)"), "<date>"},
        {std::regex(R"(\b[0-9a-f]{7,40}\b)"), "<hex>"},
        {std::regex(R"(\b\d+(\.\d+)?s\b)"), "<s>"},
        {std::regex(" +"), " "}};
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        for (const auto& [pattern, replacement] : rules) {
            line = std::regex_replace(line, pattern, replacement);
        }
        lines.push_back(line);
    }
    return lines;
}

// The sample output block of README.md (the one after its "<!-- sample" mark).
std::string readme_sample() {
    const std::string readme = read_file(std::filesystem::path(SMO_SOURCE_DIR) / "README.md");
    const size_t mark = readme.find("<!-- sample");
    const size_t open = readme.find("```\n", mark);
    const size_t close = readme.find("```\n", open + 4);
    if (mark == std::string::npos || open == std::string::npos || close == std::string::npos) {
        return "README.md: no sample block";
    }
    return readme.substr(open + 4, close - open - 4);
}

int applied_migrations(const Sandbox& sandbox) {
    const auto out = sandbox.remote("sqlite3 '" + sandbox.value("DATABASE_PATH") +
                                    "' 'select count(*) from knex_migrations'");
    return std::stoi(trim(out.out));
}

// The live tree is clean at `commit`, and the health endpoint serves `commit`
// from its build output.
void check_serving(const Sandbox& sandbox, const std::string& commit) {
    CHECK(trim(sandbox.remote("git rev-parse HEAD").out) == commit);
    CHECK(sandbox.remote("git status --porcelain --untracked-files=no").out.empty());
    const HttpResponse health = sandbox.health();
    CHECK(health.status == 200);
    CHECK(health.body.find("\"commit\":\"" + commit + "\"") != std::string::npos);
}

} // namespace

TEST_CASE("a release answering 500 is rolled back to the previous good tag",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500"});
    const std::string env_before = read_file(sandbox.live_path() / ".env");
    REQUIRE(sandbox.health().status == 500);

    // As scripts/demo.sh runs it: README.md shows this run's output.
    const ProcessResult run = sandbox.run_binary({"--triggered-by", "scripts/demo.sh"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    check_stage_lines(run.err);
    CHECK(normalised_lines(run.err) == normalised_lines(readme_sample()));
    CHECK(run.err.find("✅ Rollback complete") != std::string::npos);
    check_serving(sandbox, sandbox.value("COMMIT_V1_1_0"));
    CHECK(read_file(sandbox.live_path() / ".env") == env_before);
    CHECK(applied_migrations(sandbox) == 2); // 003 went down from the v1.2.0 tree
    CHECK(sandbox.remote("git worktree list --porcelain | grep -c '^worktree'").out == "1\n");
    CHECK(sandbox.remote("test -d ../.smo-rollback/live.lock").exit_code != 0);
}

TEST_CASE("a release crashing at boot is rolled back although pm2 reload said ✓",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "crash"});
    const ProcessResult run = sandbox.run_binary({"--auto"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    check_serving(sandbox, sandbox.value("COMMIT_V1_1_0"));
    const Pm2Process process = sandbox.pm2_describe();
    CHECK(process.status == "online");
}

TEST_CASE("after a deploy that wrote no record, --auto finds current on the target",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500", "--no-bad-record"});
    const ProcessResult run = sandbox.run_binary({"--auto", "--json"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("\"from\":\"v1.2.0\"") != std::string::npos);
    CHECK(run.out.find("\"to\":\"v1.1.0\"") != std::string::npos);
    check_serving(sandbox, sandbox.value("COMMIT_V1_1_0"));
}

TEST_CASE("in-place strategy runs the down migration from the newer release before the checkout",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500", "--strategy", "in-place"});
    const ProcessResult run = sandbox.run_binary({});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    check_serving(sandbox, sandbox.value("COMMIT_V1_1_0"));
    CHECK(applied_migrations(sandbox) == 2);
}

TEST_CASE("manual reversibility asks, then waits for the operator's confirmation",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500", "--reversibility", "manual"});
    SECTION("yes, and the SQL is done: rolled back") {
        // The operator runs the down SQL by hand between the two answers; here
        // the answers come together and the test checks the questions.
        const ProcessResult run = sandbox.run_binary({}, {}, std::string("y\ny\n"));
        INFO(run.err);
        CHECK(run.exit_code == 0);
        CHECK(run.err.find("Run manual migration rollback? (y/n)") != std::string::npos);
        check_serving(sandbox, sandbox.value("COMMIT_V1_1_0"));
    }
    SECTION("no: halted, nothing changed") {
        const ProcessResult run = sandbox.run_binary({}, {}, std::string("n\n"));
        INFO(run.err);
        CHECK(run.exit_code == 3);
        CHECK(trim(sandbox.remote("git rev-parse HEAD").out) == sandbox.value("COMMIT_V1_2_0"));
        CHECK(applied_migrations(sandbox) == 3);
    }
    SECTION("--auto halts at preflight") {
        const ProcessResult run = sandbox.run_binary({"--auto", "--json"});
        INFO(run.err);
        CHECK(run.exit_code == 3);
        CHECK(run.out.find("\"failed_stage\":\"preflight\"") != std::string::npos);
    }
}

TEST_CASE("reversibility none halts at preflight when migrations were added",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500", "--reversibility", "none"});
    const TargetSnapshot before = TargetSnapshot::take(sandbox);
    const ProcessResult run = sandbox.run_binary({});
    INFO(run.err);
    CHECK(run.exit_code == 3);
    CHECK(run.err.find("This migration is irreversible. Proceed with forward-fix instead?") !=
          std::string::npos);
    CHECK(TargetSnapshot::take(sandbox) == before);
}

TEST_CASE("reversibility none rolls back when no migration was added", "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500", "--reversibility", "none", "--no-migration"});
    const ProcessResult run = sandbox.run_binary({});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.err.find("[7/12] migration-check") != std::string::npos);
    check_serving(sandbox, sandbox.value("COMMIT_V1_1_0"));
}

TEST_CASE("a previous tag that no longer builds is SEV1 with the live app untouched",
          "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500", "--broken-previous"});
    const TargetSnapshot before = TargetSnapshot::take(sandbox);
    const ProcessResult run = sandbox.run_binary({});
    INFO(run.err);
    CHECK(run.exit_code == 4);
    CHECK(run.err.find("SEV1") != std::string::npos);
    CHECK(TargetSnapshot::take(sandbox) == before);
}

TEST_CASE("a previous tag that fails health after the reload is SEV1", "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500"});
    // v1.1.1: v1.1.0 plus a health check against a table that does not exist.
    const std::string scratch = (sandbox.dir() / "scratch").string();
    const auto make_tag = sandbox.remote(
        "set -e; git clone -q '" + sandbox.value("ORIGIN") + "' " + scratch + " && cd " + scratch +
        " && git checkout -q v1.1.0 && sed -i \"s/from knex_migrations'/from no_such_table'/\" "
        "src/server.js && git -c user.name=t -c user.email=t@t commit -qam broken && "
        "git -c user.name=t -c user.email=t@t tag -a -m v1.1.1 v1.1.1 && git push -q origin "
        "v1.1.1 && cd '" +
        sandbox.value("OPERATOR_DIR") + "' && git fetch -q --tags origin");
    INFO(make_tag.out + make_tag.err);
    REQUIRE(make_tag.exit_code == 0);
    const ProcessResult run = sandbox.run_binary({"--to", "v1.1.1"});
    INFO(run.err);
    CHECK(run.exit_code == 4);
    CHECK(run.err.find("health-check") != std::string::npos);
}

TEST_CASE("a live tree with local modifications halts untouched", "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500"});
    REQUIRE(sandbox.remote("echo '// hotfix' >> src/server.js").exit_code == 0);
    const TargetSnapshot before = TargetSnapshot::take(sandbox);
    const ProcessResult run = sandbox.run_binary({});
    INFO(run.err);
    CHECK(run.exit_code == 3);
    CHECK(run.err.find("src/server.js") != std::string::npos);
    CHECK(TargetSnapshot::take(sandbox) == before);
}

TEST_CASE("changed package files install in the staged release, unchanged ones reuse node_modules",
          "[rollback][integration]") {
    SECTION("unchanged") {
        Sandbox sandbox({"--bad", "500"});
        const ProcessResult run = sandbox.run_binary({});
        INFO(run.err);
        CHECK(run.exit_code == 0);
        CHECK(run.err.find("hard-link") != std::string::npos);
    }
    SECTION("changed") {
        Sandbox sandbox({"--bad", "500", "--deps-changed"});
        const ProcessResult run = sandbox.run_binary({});
        INFO(run.err);
        CHECK(run.exit_code == 0);
        CHECK(run.err.find("hard-link") == std::string::npos);
        check_serving(sandbox, sandbox.value("COMMIT_V1_1_0"));
    }
}

TEST_CASE("a held lock halts and names the holder", "[rollback][integration]") {
    Sandbox sandbox({"--bad", "500"});
    REQUIRE(sandbox
                .remote("mkdir -p ../.smo-rollback/live.lock && printf "
                        "'user=alice\\nhost=laptop\\npid=4242\\ntime=2026-11-30T03:00:00Z\\n' > "
                        "../.smo-rollback/live.lock/owner")
                .exit_code == 0);
    const ProcessResult run = sandbox.run_binary({});
    INFO(run.err);
    CHECK(run.exit_code == 3);
    CHECK(run.err.find("alice") != std::string::npos);
    CHECK(trim(sandbox.remote("git rev-parse HEAD").out) == sandbox.value("COMMIT_V1_2_0"));
}
