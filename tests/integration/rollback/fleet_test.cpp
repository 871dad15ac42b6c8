// Fleets (issue 14, docs/stages.md "Fleets"): the real binary against a
// sandbox of two hosts (`sandbox.sh up --hosts 2`): two sshd, two PM2
// daemons, two live trees on their own app ports, one shared SQLite database.
#include "support/sandbox.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace smo::integration;

namespace {

// Host 1 is the sandbox's own live tree; host 2 is DIR/host-2.
struct FleetHostView {
    std::string live;
    int app_port = 0;
};

FleetHostView host(const Sandbox& sandbox, int number) {
    if (number == 1) {
        return {sandbox.value("LIVE_PATH"), std::stoi(sandbox.value("APP_PORT"))};
    }
    const std::string prefix = "HOST" + std::to_string(number) + "_";
    return {sandbox.value(prefix + "LIVE_PATH"), std::stoi(sandbox.value(prefix + "APP_PORT"))};
}

std::string head_of(const FleetHostView& view) {
    return local_text("git -C '" + view.live + "' rev-parse HEAD");
}

std::string served_by(const FleetHostView& view) {
    return http_get_local(view.app_port, "/api/health").body;
}

int applied_migrations(const Sandbox& sandbox) {
    return std::stoi(local_text("sqlite3 '" + sandbox.value("DATABASE_PATH") +
                                "' 'select count(*) from knex_migrations'"));
}

bool locked(const FleetHostView& view) {
    const std::filesystem::path live(view.live);
    return std::filesystem::exists(live.parent_path() / ".smo-rollback" / "live.lock");
}

nlohmann::json result_of(const ProcessResult& run) {
    std::istringstream lines(run.out);
    std::string line;
    std::string last;
    while (std::getline(lines, line)) {
        last = line.empty() ? last : line;
    }
    return nlohmann::json::parse(last);
}

} // namespace

TEST_CASE("fleet: two hosts are rolled back in parallel and the down migration runs once",
          "[fleet][rollback][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "500"});
    const std::string v110 = sandbox.value("COMMIT_V1_1_0");
    REQUIRE(applied_migrations(sandbox) == 3);

    const ProcessResult run = sandbox.run_binary({"--json", "--triggered-by", "fleet test"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    for (int number : {1, 2}) {
        const FleetHostView view = host(sandbox, number);
        INFO("host " << number);
        CHECK(head_of(view) == v110);
        CHECK(served_by(view).find("\"commit\":\"" + v110 + "\"") != std::string::npos);
        CHECK_FALSE(locked(view));
    }
    CHECK(applied_migrations(sandbox) == 2); // 003 undone once, not twice

    const nlohmann::json result = result_of(run);
    CHECK(result["outcome"] == "success");
    REQUIRE(result["hosts"].size() == 2);
    CHECK(result["hosts"][0]["name"] == "web-1");
    CHECK(result["hosts"][1]["name"] == "web-2");
    for (const auto& entry : result["hosts"]) {
        CHECK(entry["outcome"] == "switched");
        CHECK(entry["served_commit"] == v110);
    }
    const std::string record_path =
        (sandbox.operator_dir() / result["log"].get<std::string>()).string();
    std::ifstream in(record_path);
    std::stringstream record;
    record << in.rdbuf();
    CHECK(record.str().find("| web-2 | ") != std::string::npos);
    std::ifstream bot(sandbox.dir() / "telegram.jsonl");
    std::stringstream bot_log;
    bot_log << bot.rdbuf();
    CHECK(bot_log.str().find("rolled back 2/2 hosts v1.2.0") != std::string::npos);
}

TEST_CASE("fleet: a host whose previous release does not build stops every host before the "
          "switch, named",
          "[fleet][rollback][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "500"});
    const std::string v120 = sandbox.value("COMMIT_V1_2_0");
    const FleetHostView web2 = host(sandbox, 2);
    // Only web-2 cannot build v1.1.0: a post-checkout hook of its repository
    // (and of its staged worktree) removes the VERSION file the build reads.
    const std::string hooks = sandbox.value("HOST2_DIR") + "/hooks";
    local_text("mkdir -p '" + hooks + "' && printf '#!/bin/sh\\nrm -f VERSION\\n' >'" + hooks +
               "/post-checkout' && chmod +x '" + hooks + "/post-checkout' && git -C '" + web2.live +
               "' config core.hooksPath '" + hooks + "'");

    const ProcessResult run = sandbox.run_binary({"--json"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 4);
    for (int number : {1, 2}) {
        const FleetHostView view = host(sandbox, number);
        INFO("host " << number);
        CHECK(head_of(view) == v120);
        CHECK(served_by(view).find("\"commit\":\"" + v120 + "\"") != std::string::npos);
        CHECK_FALSE(locked(view));
    }
    CHECK(applied_migrations(sandbox) == 3); // stage 7 never ran
    const nlohmann::json result = result_of(run);
    CHECK(result["failed_stage"] == "build");
    CHECK(result["reason"].get<std::string>().rfind("web-2: ", 0) == 0);
    CHECK(result["hosts"][0]["outcome"] == "not switched");
    CHECK(result["hosts"][1]["outcome"] == "failed at build");
}

namespace {

// `pm2 jlist` of host 2's own daemon: "pid restarts" of smo-demo.
std::string host2_pm2(const Sandbox& sandbox) {
    return local_text("env -i HOME=\"$HOME\" PATH=\"$PATH\" PM2_HOME='" +
                      sandbox.value("HOST2_PM2_HOME") +
                      "' pm2 jlist | node -e \"let s='';process.stdin.on('data',d=>s+=d).on('end',"
                      "()=>{const a=JSON.parse(s.slice(s.indexOf('[')));const p=a.find(x=>x.name==="
                      "'smo-demo');console.log(p.pid+' '+p.pm2_env.restart_time)})\"");
}

bool wait_for_commit(const FleetHostView& view, const std::string& commit) {
    for (int i = 0; i < 150; ++i) {
        if (served_by(view).find("\"commit\":\"" + commit + "\"") != std::string::npos) {
            return true;
        }
        local_text("sleep 0.2");
    }
    return false;
}

} // namespace

TEST_CASE("fleet: a host already on the to-release is verified and left alone",
          "[fleet][rollback][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "500"});
    const std::string v110 = sandbox.value("COMMIT_V1_1_0");
    const FleetHostView web2 = host(sandbox, 2);
    // A deploy (or a rollback by hand) that stopped half-way: web-2 already
    // runs v1.1.0, web-1 still the bad v1.2.0.
    local_text("cd '" + web2.live +
               "' && git checkout -q --detach v1.1.0 && node scripts/build.js" +
               " >/dev/null && env -i HOME=\"$HOME\" PATH=\"$PATH\" PM2_HOME='" +
               sandbox.value("HOST2_PM2_HOME") + "' pm2 reload smo-demo >/dev/null 2>&1");
    REQUIRE(wait_for_commit(web2, v110));
    const std::string web2_process = host2_pm2(sandbox);

    const ProcessResult run = sandbox.run_binary({"--json"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const nlohmann::json result = result_of(run);
    CHECK(result["from"] == "v1.2.0");
    CHECK(result["to"] == "v1.1.0");
    CHECK(result["hosts"][0]["outcome"] == "switched");
    CHECK(result["hosts"][1]["outcome"] == "already on the to-release");
    CHECK(head_of(host(sandbox, 1)) == v110);
    CHECK(head_of(web2) == v110);
    CHECK(host2_pm2(sandbox) == web2_process); // not reloaded: same pid, same restarts
    CHECK(applied_migrations(sandbox) == 2);   // undone once, from web-1's v1.2.0 tree
    CHECK_FALSE(locked(web2));
}

TEST_CASE("fleet: a host that fails health after the switch is SEV1 and named and the other is "
          "switched",
          "[fleet][rollback][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "500"});
    const std::string v110 = sandbox.value("COMMIT_V1_1_0");
    const FleetHostView web2 = host(sandbox, 2);
    // web-2's database path goes bad in its .env: the running process keeps
    // the old one, the release started by the switch reads the new one.
    local_text("sed -i 's|^DATABASE_PATH=.*|DATABASE_PATH=/nonexistent/app.db|' '" + web2.live +
               "/.env'");
    const auto config_file = sandbox.operator_dir() / ".smorch" / "project.json";
    std::ifstream in(config_file);
    nlohmann::json config = nlohmann::json::parse(in);
    in.close();
    config["deploy"]["production"]["rollback"]["health_timeout_seconds"] = 5;
    std::ofstream(config_file) << config.dump(2);

    const ProcessResult run = sandbox.run_binary({"--json"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 4);
    const nlohmann::json result = result_of(run);
    CHECK(result["failed_stage"] == "health-check");
    CHECK(result["reason"].get<std::string>().rfind("web-2: ", 0) == 0);
    CHECK(result["hosts"][0]["outcome"] == "switched");
    CHECK(result["hosts"][1]["outcome"] == "failed at health-check");
    CHECK(served_by(host(sandbox, 1)).find("\"commit\":\"" + v110 + "\"") != std::string::npos);
    CHECK(applied_migrations(sandbox) == 2);
}

TEST_CASE("fleet: a drill stages and checks every host and changes none",
          "[fleet][drill][integration]") {
    Sandbox sandbox({"--hosts", "2", "--bad", "good"});
    const std::string v120 = sandbox.value("COMMIT_V1_2_0");
    const std::string web2_process = host2_pm2(sandbox);

    const ProcessResult run = sandbox.run_binary({"--dry-run", "--json"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const nlohmann::json result = result_of(run);
    REQUIRE(result["hosts"].size() == 2);
    CHECK(result["hosts"][0]["outcome"] == "checked (drill)");
    CHECK(result["hosts"][1]["outcome"] == "checked (drill)");
    for (int number : {1, 2}) {
        const FleetHostView view = host(sandbox, number);
        INFO("host " << number);
        CHECK(head_of(view) == v120);
        CHECK_FALSE(locked(view));
    }
    CHECK(host2_pm2(sandbox) == web2_process);
    CHECK(applied_migrations(sandbox) == 3);
    std::ifstream log(sandbox.operator_dir() / "docs" / "drill-log.md");
    std::stringstream text;
    text << log.rdbuf();
    CHECK(text.str().find("| web-2 | ") != std::string::npos);
}
