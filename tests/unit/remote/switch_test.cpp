// The detached switch script run for real by a local shell against a
// throwaway repository: journal lines, idempotent steps after a crash, the
// HEAD re-check, and the detached start.
#include "smo/journal.hpp"
#include "smo/remote/staging.hpp"
#include "smo/remote/switch.hpp"
#include "smo/remote_commands.hpp"
#include "support/fake_reply.hpp"
#include "support/local_shell.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

using namespace smo;
using namespace smo::remote;
using smo::test::reply_of;

namespace {

int run_shell(const std::string& command) {
    return test::run_local_shell(command).exit_status;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// v2 live (built dist/, node_modules), v1 staged beside it with its own.
struct Target {
    test::TempDir dir;
    std::string live = dir.str() + "/apps/app";
    RemotePaths paths = remote_paths_for(live, "v2", "v1");
    std::string v1;
    std::string v2;

    Target() {
        const std::string setup =
            "set -e; mkdir -p '" + live + "'; cd '" + live +
            "'; git init -q; git config user.email t@t; git config user.name t; printf "
            "'node_modules/\\ndist/\\n' > .gitignore; echo one > app.js; git add -A; git commit "
            "-qm one; git tag v1; echo two > app.js; git commit -qam two; git tag v2; mkdir -p "
            "node_modules/m dist; echo v2 > dist/out; echo v2 > node_modules/m/i.js";
        REQUIRE(run_shell(setup) == 0);
        REQUIRE(run_shell(stage_release(paths, "v1", {})) == 0);
        REQUIRE(run_shell("mkdir -p '" + paths.staging + "/node_modules/m' '" + paths.staging +
                          "/dist' && echo v1 > '" + paths.staging + "/dist/out' && echo v1 > '" +
                          paths.staging + "/node_modules/m/i.js'") == 0);
        v1 = rev("v1");
        v2 = rev("v2");
    }

    std::string rev(const std::string& name) const {
        const std::string out = dir.str() + "/rev";
        run_shell("git -C '" + live + "' rev-parse '" + name + "^{commit}' > '" + out + "'");
        std::string text = slurp(out);
        return text.substr(0, text.find('\n'));
    }

    std::string read(const std::string& relative) const {
        const std::string text = slurp(live + "/" + relative);
        return text.substr(0, text.find('\n'));
    }

    SwitchPlan plan() const {
        SwitchPlan plan;
        plan.from_commit = v2;
        plan.to_commit = v1;
        plan.items = {"node_modules", "dist"};
        plan.db_rollback = true;
        plan.db_text = "echo down >> '" + dir.str() + "/db'";
        plan.reload_text = "echo reload >> '" + dir.str() + "/reloads'";
        plan.step_timeout_seconds = 30;
        return plan;
    }

    std::string header() const {
        journal::Header header;
        header.from_tag = "v2";
        header.from_commit = v2;
        header.to_tag = "v1";
        header.to_commit = v1;
        header.strategy = "staged";
        header.staging = paths.staging;
        header.aside = paths.aside;
        header.items = {"node_modules", "dist"};
        header.opened_at = "now";
        header.holder = "t@h pid 1";
        return journal::render_header(header);
    }

    journal::Journal journal() const { return journal::parse(slurp(journal_path(paths))); }

    int run_script(const std::string& extra_journal = {}) const {
        if (!std::filesystem::exists(journal_path(paths))) {
            REQUIRE(run_shell(open_journal(paths, header())) == 0);
        }
        if (!extra_journal.empty()) {
            std::ofstream(journal_path(paths), std::ios::app) << extra_journal;
        }
        return run_shell(switch_script(paths, plan()));
    }
};

} // namespace

TEST_CASE("switch script: every step journaled, the release switched", "[remote][shell][switch]") {
    Target target;
    REQUIRE(target.run_script() == 0);
    const journal::Journal j = target.journal();
    CHECK(j.result == "ok");
    CHECK(j.done == std::vector<std::string>{"db_rollback", "aside", "checkout", "out:node_modules",
                                             "in:node_modules", "out:dist", "in:dist", "reload"});
    CHECK(target.read("app.js") == "one");
    CHECK(target.read("dist/out") == "v1");
    CHECK(target.read("node_modules/m/i.js") == "v1");
    CHECK(slurp(target.paths.aside + "/dist/out") == "v2\n");
    CHECK(slurp(target.dir.str() + "/db") == "down\n");

    SECTION("run again (a resume after the end): nothing is redone or moved back") {
        REQUIRE(target.run_script() == 0);
        CHECK(slurp(target.dir.str() + "/db") == "down\n");
        CHECK(slurp(target.dir.str() + "/reloads") == "reload\n");
        CHECK(target.read("dist/out") == "v1");
        CHECK(slurp(target.paths.aside + "/dist/out") == "v2\n");
    }
}

TEST_CASE("switch script: after a crash between two renames it finishes, never undoes",
          "[remote][shell][switch]") {
    Target target;
    // The first run got as far as moving node_modules out, then died (before
    // journaling it): the renames it did are on disk, the journal lags.
    REQUIRE(run_shell("mkdir -p '" + target.paths.aside + "' && git -C '" + target.live +
                      "' checkout -q --detach v1 && mv -T '" + target.live + "/node_modules' '" +
                      target.paths.aside + "/node_modules'") == 0);
    REQUIRE(target.run_script("runner=1\nbegin=db_rollback\ndone=db_rollback\ndone=aside\n"
                              "begin=checkout\ndone=checkout\n") == 0);
    const journal::Journal j = target.journal();
    CHECK(j.result == "ok");
    CHECK(target.read("node_modules/m/i.js") == "v1");
    CHECK(slurp(target.paths.aside + "/node_modules/m/i.js") == "v2\n");
    CHECK(target.read("dist/out") == "v1");
    CHECK_FALSE(std::filesystem::exists(target.dir.str() + "/db")); // not run twice
}

TEST_CASE("switch script: a live HEAD moved by someone else stops it before any change",
          "[remote][shell][switch]") {
    Target target;
    REQUIRE(run_shell("cd '" + target.live + "' && echo three > app.js && git commit -qam three") ==
            0);
    CHECK(target.run_script() == 39);
    const journal::Journal j = target.journal();
    CHECK(j.failed_step == "head-moved");
    CHECK(j.result == "failed");
    CHECK_FALSE(j.has_done("db_rollback"));
    CHECK(target.read("app.js") == "three");
    CHECK(target.read("dist/out") == "v2");
    CHECK_FALSE(std::filesystem::exists(target.dir.str() + "/db"));
}

TEST_CASE("switch script: started detached, it journals its pid and runs to the end",
          "[remote][shell][switch]") {
    Target target;
    const std::string script = switch_script(target.paths, target.plan());
    REQUIRE(run_shell(launch_switch(target.paths, script, target.header())) == 0);
    journal::Journal j;
    for (int i = 0; i < 200 && j.result.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        j = target.journal();
    }
    CHECK(j.result == "ok");
    CHECK_FALSE(j.runner.empty());
    CHECK(j.opened_at == "now");
    CHECK(target.read("dist/out") == "v1");
    CHECK(slurp(switch_log_path(target.paths)).find("smo-switch") == std::string::npos);
}

TEST_CASE("switch script: the journal reply of the poll", "[remote][switch]") {
    const JournalReply reply =
        parse_journal_reply(reply_of({k_journal, "smo-journal 1", "from_commit=a", "to_commit=b",
                                      "done=checkout", "", k_journal_end, k_runner_alive}));
    CHECK(reply.answered);
    CHECK(reply.runner_alive);
    CHECK(reply.journal.valid);
    CHECK(reply.journal.has_done("checkout"));
    const JournalReply none = parse_journal_reply(reply_of({k_journal, "", k_journal_end}));
    CHECK(none.answered);
    CHECK_FALSE(none.journal.present);
    CHECK_FALSE(parse_journal_reply("bash: line 1: oops\n").answered);
}

TEST_CASE("switch script: the poll judges the runner before it reads the journal",
          "[remote][switch]") {
    // Read the other way round, a runner writing result=ok and exiting
    // between the two would look like a switch that died without a result.
    const RemotePaths paths = remote_paths_for("/srv/apps/app", "v2", "v1");
    const std::string poll = read_journal(paths);
    const auto liveness = poll.find("kill -0");
    const auto reading = poll.find("cat '" + journal_path(paths) + "'");
    REQUIRE(liveness != std::string::npos);
    REQUIRE(reading != std::string::npos);
    CHECK(liveness < reading);
}

TEST_CASE("switch: activate prints each step's marker in order, rotation its own",
          "[remote][switch]") {
    const RemotePaths paths = remote_paths_for("/srv/apps/app", "v2", "v1", "20261204T081500Z");
    const std::string script = activate(paths, "b2c5d82", {"node_modules"}, "pm2 reload app");
    std::size_t at = 0;
    for (const char* marker : {k_aside_ready, k_checked_out, k_swapped, k_reloaded}) {
        const auto found = script.find("echo " + std::string(marker), at);
        REQUIRE(found != std::string::npos);
        at = found;
    }
    const std::string rotation = rotate_asides(paths, 3);
    CHECK(rotation.find("printf '" + std::string(k_rotated) + "%s\\n'") != std::string::npos);
    CHECK(rotation.ends_with("echo " + std::string(k_rotation_done)));
    CHECK(switch_log_tail(paths) == "tail -n 6 '" + switch_log_path(paths) + "'");
}
