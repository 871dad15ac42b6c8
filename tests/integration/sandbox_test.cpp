// The sandbox itself (scripts/sandbox/, scripts/sandbox/README.md): every other integration test
// relies on what these check — the live tree, the health endpoint, the
// migrations, the SSH fixture and a clean teardown.
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using smo::integration::ProcessResult;
using smo::integration::ProcessSpec;
using smo::integration::Sandbox;

namespace {

std::string trim(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

std::string slurp(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

ProcessResult run(std::vector<std::string> argv, const std::string& cwd = "",
                  std::map<std::string, std::string> env = {}) {
    ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.cwd = cwd;
    spec.set_env = std::move(env);
    spec.timeout = std::chrono::minutes(1);
    return smo::integration::run_process(spec);
}

// "name|batch" lines of knex_migrations.
std::string migrations(const std::string& database) {
    const auto result =
        run({"sqlite3", database, "select name || '|' || batch from knex_migrations order by id"});
    REQUIRE(result.exit_code == 0);
    return result.out;
}

// A scratch clone of the origin at `tag`, outside the live tree.
std::string scratch_clone(const Sandbox& sandbox, const std::string& tag) {
    const std::string dir = (sandbox.dir() / ("scratch-" + tag)).string();
    REQUIRE(run({"git", "clone", "-q", sandbox.value("ORIGIN"), dir}).exit_code == 0);
    REQUIRE(run({"git", "-C", dir, "checkout", "-q", "--detach", tag}).exit_code == 0);
    return dir;
}

ProcessResult npm(const Sandbox& sandbox, const std::string& dir, const std::string& script,
                  const std::string& database) {
    return run({"npm", "run", script}, dir,
               {{"DATABASE_PATH", database},
                {"npm_config_cache", (sandbox.dir() / "npm-cache").string()}});
}

ProcessResult ssh_as(const Sandbox& sandbox, const std::string& key, const std::string& command) {
    return run({"ssh", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o",
                "StrictHostKeyChecking=yes", "-o",
                "UserKnownHostsFile=" + sandbox.value("KNOWN_HOSTS"), "-i",
                (sandbox.dir() / "ssh" / key).string(), "-p", sandbox.value("SSH_PORT"),
                sandbox.value("SSH_USER") + "@127.0.0.1", command});
}

// db:rollback from a v1.1.0 checkout fails naming 003's down file, on a copy of
// the database, in scratch clones: the live tree and database stay untouched.
void check_rollback_needs_the_newer_tree(const Sandbox& sandbox, const std::string& applied) {
    const std::string database = sandbox.value("DATABASE_PATH");
    const std::string copy = (sandbox.dir() / "copy.db").string();
    fs::copy_file(database, copy);
    const auto old_tree = npm(sandbox, scratch_clone(sandbox, "v1.1.0"), "db:rollback", copy);
    CHECK(old_tree.exit_code != 0);
    CHECK(old_tree.err.find("migrations/003_add_flags.down.sql") != std::string::npos);
    CHECK(migrations(copy) == applied); // nothing reverted
    // The release that added it can revert it.
    const auto new_tree = npm(sandbox, scratch_clone(sandbox, "v1.2.0"), "db:rollback", copy);
    CHECK(new_tree.exit_code == 0);
    CHECK(migrations(copy) == "001_create_users|1\n002_add_posts|2\n");
    CHECK(migrations(database) == applied);
}

// The user keys get in (with PM2_HOME set by sshd), the other key does not;
// known_hosts holds only the ed25519 host key.
void check_ssh_fixture(const Sandbox& sandbox) {
    const auto ok =
        ssh_as(sandbox, "user_ed25519", "bash -lc 'echo $PM2_HOME; command -v pm2 git node npm'");
    REQUIRE(ok.exit_code == 0);
    CHECK(ok.out.rfind(sandbox.value("PM2_HOME") + "\n", 0) == 0);
    CHECK(ok.out.find("/pm2\n") != std::string::npos);
    CHECK(ssh_as(sandbox, "user_ecdsa", "true").exit_code == 0);
    CHECK(ssh_as(sandbox, "other_ed25519", "true").exit_code == 255);
    const std::string known = slurp(sandbox.value("KNOWN_HOSTS"));
    CHECK(known.rfind("[127.0.0.1]:" + sandbox.value("SSH_PORT") + " ssh-ed25519 ", 0) == 0);
    CHECK(known.find("ecdsa") == std::string::npos);
}

void check_operator_clone(const Sandbox& sandbox) {
    const auto config =
        nlohmann::json::parse(slurp(sandbox.operator_dir() / ".smorch" / "project.json"));
    const auto& production = config.at("deploy").at("production");
    CHECK(production.at("path") == sandbox.live_path().string());
    CHECK(production.at("health_url") == sandbox.value("HEALTH_URL"));
    CHECK(production.at("ssh").at("port") == std::stoi(sandbox.value("SSH_PORT")));
    int records = 0;
    for (const auto& entry : fs::directory_iterator(sandbox.operator_dir() / "docs" / "deploys")) {
        records += entry.path().extension() == ".md" ? 1 : 0;
    }
    CHECK(records == 3);
}

void check_teardown(Sandbox& sandbox, int app_pid) {
    const int sshd = sandbox.sshd_pid();
    const int daemon = sandbox.pm2_daemon_pid();
    REQUIRE(smo::integration::process_alive(sshd));
    REQUIRE(smo::integration::process_alive(daemon));
    const fs::path dir = sandbox.dir();
    sandbox.down();
    CHECK_FALSE(smo::integration::process_alive(sshd));
    CHECK_FALSE(smo::integration::process_alive(daemon));
    if (app_pid > 0) {
        CHECK_FALSE(smo::integration::process_alive(app_pid));
    }
    CHECK_FALSE(fs::exists(dir));
}

} // namespace

TEST_CASE("sandbox: --bad 500 leaves v1.2.0 live, failing health, three migration batches",
          "[sandbox]") {
    Sandbox sandbox({"--bad", "500"});
    const std::string v120 = sandbox.value("COMMIT_V1_2_0");

    CHECK(trim(sandbox.remote("git rev-parse HEAD").out) == v120);
    CHECK(trim(sandbox.remote("git describe --tags --exact-match").out) == "v1.2.0");
    CHECK(sandbox.remote("git status --porcelain --untracked-files=no").out.empty());
    // .env exists, is not tracked, keeps the database outside the tree.
    CHECK(sandbox.remote("git ls-files --error-unmatch .env").exit_code != 0);
    const std::string env = slurp(sandbox.live_path() / ".env");
    CHECK(env.find("PORT=" + sandbox.value("APP_PORT") + "\n") != std::string::npos);
    CHECK(env.find("DATABASE_PATH=" + sandbox.value("DATABASE_PATH")) != std::string::npos);
    CHECK(sandbox.value("DATABASE_PATH").rfind(sandbox.live_path().string(), 0) != 0);

    const auto health = sandbox.health();
    REQUIRE(health.status == 500);
    const auto body = nlohmann::json::parse(health.body);
    CHECK(body.at("status") == "error");
    CHECK(body.at("commit") == v120);

    const std::string applied = "001_create_users|1\n002_add_posts|2\n003_add_flags|3\n";
    CHECK(migrations(sandbox.value("DATABASE_PATH")) == applied);

    const auto pm2 = sandbox.pm2_describe();
    CHECK(pm2.found);
    CHECK(pm2.status == "online");
    CHECK(pm2.pid > 0);

    check_rollback_needs_the_newer_tree(sandbox, applied);
    check_ssh_fixture(sandbox);
    check_operator_clone(sandbox);
    check_teardown(sandbox, pm2.pid);
}

TEST_CASE("sandbox: --bad good serves v1.2.0 healthy", "[sandbox]") {
    Sandbox sandbox({"--bad", "good"});
    const auto health = sandbox.health();
    REQUIRE(health.status == 200);
    const auto body = nlohmann::json::parse(health.body);
    CHECK(body.at("status") == "ok");
    CHECK(body.at("commit") == sandbox.value("COMMIT_V1_2_0"));
    CHECK(body.at("version") == "1.2.0");
    CHECK(body.at("deps").at("db") == "ok");
    check_teardown(sandbox, sandbox.pm2_describe().pid);
}

TEST_CASE("sandbox: --bad crash restart-loops under a green pm2 reload, --broken-previous",
          "[sandbox]") {
    Sandbox sandbox({"--bad", "crash", "--broken-previous", "--no-migration"});
    CHECK(sandbox.health().status == 0);
    auto pm2 = sandbox.pm2_describe();
    for (int i = 0; i < 100 && pm2.restarts < 1; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        pm2 = sandbox.pm2_describe();
    }
    CHECK(pm2.restarts >= 1);
    const auto reload = sandbox.remote("pm2 reload smo-demo");
    CHECK(reload.exit_code == 0); // the trap: only the health endpoint tells the truth
    CHECK(sandbox.health().status == 0);
    CHECK(migrations(sandbox.value("DATABASE_PATH")) == "001_create_users|1\n002_add_posts|2\n");

    const auto broken = npm(sandbox, scratch_clone(sandbox, "v1.1.0"), "build", "unused");
    CHECK(broken.exit_code != 0);
    CHECK(broken.err.find("BUILD FAILED") != std::string::npos);
    CHECK(npm(sandbox, scratch_clone(sandbox, "v1.2.0"), "build", "unused").exit_code == 0);
    check_teardown(sandbox, 0);
}
