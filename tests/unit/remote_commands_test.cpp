#include "smo/remote/build.hpp"
#include "smo/remote/install.hpp"
#include "smo/remote/live_checks.hpp"
#include "smo/remote/lock.hpp"
#include "smo/remote/staging.hpp"
#include "smo/remote/switch.hpp"
#include "smo/remote/tag.hpp"
#include "smo/remote_commands.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace smo;
using namespace smo::remote;

namespace {

// Runs `command` with /bin/sh, as the login shell on the target would.
int run_locally(const std::string& command) {
    const std::string line = "sh -c " + std::string("'") + [&] {
        std::string quoted;
        for (char c : command) {
            quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        }
        return quoted;
    }() + "' >/dev/null 2>&1";
    return std::system(line.c_str());
}

bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() &&
           text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

} // namespace

TEST_CASE("remote commands: the spec's commands, every argument quoted", "[remote]") {
    const RemotePaths paths = remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1");
    CHECK(live_status(paths) ==
          "git -C '/opt/apps/eo-mena' status --porcelain --untracked-files=no");
    CHECK(live_head(paths) == "git -C '/opt/apps/eo-mena' rev-parse HEAD");
    CHECK(fetch_tags(paths) == "git -C '/opt/apps/eo-mena' fetch --tags origin");
    CHECK(resolve_tag(paths, "v1.4.1") ==
          "git -C '/opt/apps/eo-mena' rev-parse --verify --quiet 'refs/tags/v1.4.1^{commit}'");
    CHECK(add_staging(paths, "b2c5d82")
              .rfind("(umask 077 && mkdir -p '/opt/apps/.smo-rollback')", 0) == 0);
    CHECK(add_staging(paths, "b2c5d82")
              .find("(umask 077 && mkdir -p '/opt/apps/.smo-rollback/eo-mena') && ") !=
          std::string::npos);
    CHECK(ends_with(add_staging(paths, "b2c5d82"),
                    " && git -C '/opt/apps/eo-mena' worktree add "
                    "--detach '/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1' 'b2c5d82'"));
    CHECK(checkout_live(paths, "b2c5d82") ==
          "git -C '/opt/apps/eo-mena' checkout --detach 'b2c5d82'");
    CHECK(remove_staging(paths) ==
          "git -C '/opt/apps/eo-mena' worktree prune && if [ -e "
          "'/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1' ]; then git -C '/opt/apps/eo-mena' "
          "worktree remove --force '/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1'; fi && rm -f -- "
          "'/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1.prepared'");
    CHECK(pm2_jlist() == "pm2 jlist");
}

TEST_CASE("remote commands: operator command text is kept, {pm2_name} becomes a quoted word",
          "[remote]") {
    CHECK(with_pm2_name("pm2 reload {pm2_name} && pm2 save", "eo-main") ==
          "pm2 reload 'eo-main' && pm2 save");
    CHECK(with_pm2_name("pm2 restart {pm2_name} {pm2_name}", "a.b_c-1") ==
          "pm2 restart 'a.b_c-1' 'a.b_c-1'");
    CHECK(with_pm2_name("npm run build", "x") == "npm run build");
    CHECK(run_in("/opt/it's", "npm ci --production") ==
          "cd '/opt/it'\\''s' && npm ci --production");
}

TEST_CASE("remote commands: {pm2_name} inside quotes stays the bare name in a real shell",
          "[remote]") {
    test::TempDir dir;
    const std::string out = dir.str() + "/out";
    const auto run = [&](const std::string& text) {
        REQUIRE(run_locally(with_pm2_name(text, "eo-main") + " > '" + out + "'") == 0);
        std::ifstream in(out);
        std::string line;
        std::getline(in, line);
        return line;
    };
    CHECK(run("echo {pm2_name}") == "eo-main");
    CHECK(run("echo \"app={pm2_name}\"") == "app=eo-main");
    CHECK(run("sh -c \"echo {pm2_name}\"") == "eo-main");
    CHECK(run("echo 'app={pm2_name}'") == "app=eo-main");
    CHECK(run("echo \"it's \\\"{pm2_name}\\\"\" '\"{pm2_name}\"'") ==
          "it's \"eo-main\" \"eo-main\"");
    CHECK(run("echo {pm2_name}\\\"{pm2_name}") == "eo-main\"eo-main");
}

TEST_CASE("remote commands: the work area must be the SSH user's own, private and no link",
          "[remote]") {
    namespace fs = std::filesystem;
    test::TempDir dir;
    const std::string live = dir.str() + "/apps/eo-mena";
    fs::create_directories(live);
    const RemotePaths paths = remote_paths_for(live, "v2", "v1");
    const LockOwner owner{"me", "host", "42", "2026-04-19T03:12:09Z"};
    const std::string area = dir.str() + "/apps/.smo-rollback";
    SECTION("created private") {
        CHECK(run_locally(lock_acquire(paths, owner)) == 0);
        CHECK(fs::is_directory(paths.lock));
        CHECK((fs::status(area).permissions() & fs::perms::all) == fs::perms::owner_all);
        CHECK(run_locally(prepare_aside(paths)) == 0);
        CHECK((fs::status(paths.work_root).permissions() & fs::perms::all) == fs::perms::owner_all);
    }
    SECTION("a link to somewhere else") {
        test::TempDir elsewhere;
        fs::create_directory_symlink(elsewhere.path(), area);
        CHECK(run_locally(lock_acquire(paths, owner)) != 0);
        CHECK(fs::is_empty(elsewhere.path()));
    }
    SECTION("writable by others") {
        fs::create_directories(paths.work_root);
        fs::permissions(area, fs::perms::owner_all | fs::perms::group_all | fs::perms::others_all);
        CHECK(run_locally(lock_acquire(paths, owner)) != 0);
        CHECK_FALSE(fs::exists(paths.lock));
        fs::permissions(area, fs::perms::owner_all);
        fs::permissions(paths.work_root, fs::perms::owner_all | fs::perms::group_write);
        CHECK(run_locally(prepare_aside(paths)) != 0);
        CHECK_FALSE(fs::exists(paths.aside));
        // The journal and the detached switch script live there too.
        CHECK(run_locally(open_journal(paths, "smo-journal 1\n")) != 0);
        CHECK_FALSE(fs::exists(journal_path(paths)));
        CHECK(run_locally(launch_switch(paths, "echo planted\n", "")) != 0);
        CHECK_FALSE(fs::exists(paths.work_root + "/switch.sh"));
    }
    SECTION("an asides area writable by others") {
        CHECK(run_locally(prepare_aside(paths)) == 0);
        const RemotePaths next = remote_paths_for(live, "v3", "v2", "20261204T081500Z");
        fs::permissions(paths.asides, fs::perms::owner_all | fs::perms::others_all);
        CHECK(run_locally(prepare_aside(next)) != 0);
        CHECK_FALSE(fs::exists(next.aside));
    }
    SECTION("owned by another user") {
        if (::geteuid() != 0) {
            return; // only root can hand a directory to someone else
        }
        fs::create_directories(area);
        fs::permissions(area, fs::perms::owner_all);
        REQUIRE(::chown(area.c_str(), 65534, 65534) == 0);
        CHECK(run_locally(lock_acquire(paths, owner)) != 0);
        CHECK_FALSE(fs::exists(paths.lock));
    }
}

TEST_CASE("remote commands: a hostile-looking valid path stays one word in a real shell",
          "[remote]") {
    test::TempDir dir;
    // Valid per is_valid_remote_path: absolute, no "..", no control characters.
    const std::string live = dir.str() + "/apps/o'brien $(touch pwned) `touch pwned2`;x";
    std::filesystem::create_directories(live);
    const RemotePaths paths = remote_paths_for(live, "v1.0.0+build.7", "release/2026.04");
    const LockOwner owner{"me", "host $(touch pwned3)", "42", "2026-04-19T03:12:09Z"};

    CHECK(run_locally(lock_acquire(paths, owner)) == 0);
    CHECK(std::filesystem::is_directory(paths.lock));
    CHECK(std::filesystem::exists(paths.lock + "/owner"));
    CHECK(run_locally(lock_release(paths, owner)) == 0);
    CHECK_FALSE(std::filesystem::exists(paths.lock));

    std::filesystem::create_directories(live + "/dist");
    std::filesystem::create_directories(paths.staging + "/dist");
    std::filesystem::create_directories(paths.staging + "/node_modules/x");
    CHECK(run_locally(prepare_aside(paths)) == 0);
    CHECK(run_locally(swap_in(paths, {"node_modules", "dist"})) == 0);
    CHECK(std::filesystem::exists(live + "/node_modules/x"));
    CHECK(std::filesystem::exists(paths.aside + "/dist"));
    CHECK_FALSE(std::filesystem::exists(paths.aside + "/node_modules")); // live had none

    for (const char* planted : {"pwned", "pwned2", "pwned3"}) {
        CHECK_FALSE(std::filesystem::exists(dir.path() / planted));
        CHECK_FALSE(std::filesystem::exists(std::filesystem::current_path() / planted));
    }
}

TEST_CASE("remote commands: only the staging worktree and aside area are ever removed",
          "[remote]") {
    RemotePaths paths = remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1");
    RemotePaths same = paths;
    same.staging = paths.live;
    CHECK_THROWS_AS(remove_staging(same), std::logic_error);
    RemotePaths outside = paths;
    outside.staging = "/opt/apps/eo-mena/sub";
    CHECK_THROWS_AS(remove_staging(outside), std::logic_error);
    RemotePaths root = paths;
    root.aside = paths.work_root;
    CHECK_THROWS_AS(prepare_aside(root), std::logic_error);
    CHECK_THROWS_AS(swap_in(paths, {"../etc"}), std::logic_error);
    CHECK_THROWS_AS(swap_in(paths, {".git"}), std::logic_error);
    CHECK_NOTHROW(remove_staging(paths));
}

TEST_CASE("remote commands: swap items and npm script names", "[remote]") {
    CHECK(is_valid_swap_item("dist"));
    CHECK(is_valid_swap_item("public/build"));
    CHECK(is_valid_swap_item(".next"));
    CHECK_FALSE(is_valid_swap_item(""));
    CHECK_FALSE(is_valid_swap_item("/dist"));
    CHECK_FALSE(is_valid_swap_item("-rf"));
    CHECK_FALSE(is_valid_swap_item("a/../b"));
    CHECK_FALSE(is_valid_swap_item("a//b"));
    CHECK_FALSE(is_valid_swap_item(".git/hooks"));
    CHECK(npm_script_name("npm run db:rollback") == "db:rollback");
    CHECK(npm_script_name("npm run-script down -- --all") == "down");
    CHECK(npm_script_name("npx knex migrate:rollback").empty());
    CHECK(link_env_files(remote_paths_for("/a/b", "x", "y"), {}) == "true");
}

namespace {

// A throwaway repository with two tagged releases; v2 checked out, built
// (dist/) and with node_modules, as a live tree would be.
struct LiveRepo {
    test::TempDir dir;
    std::string live = dir.str() + "/apps/app";
    RemotePaths paths = remote_paths_for(live, "v2", "v1");

    LiveRepo() {
        const std::string setup =
            "set -e; mkdir -p '" + live + "'; cd '" + live +
            "'; git init -q; git config user.email t@t; git config user.name t; printf "
            "'node_modules/\\ndist/\\n.env\\n' > .gitignore; echo one > app.js; git add -A; git "
            "commit -qm one; git tag v1; echo two > app.js; git commit -qam two; git tag v2; "
            "mkdir -p node_modules/m dist; echo v2 > dist/out; echo v2 > node_modules/m/i.js; "
            "echo S=1 > .env";
        REQUIRE(run_locally(setup) == 0);
    }

    std::string read(const std::string& relative) const {
        std::ifstream in(live + "/" + relative);
        std::string text;
        std::getline(in, text);
        return text;
    }
};

} // namespace

TEST_CASE("remote commands: stage, build, activate and clean up in a real repository",
          "[remote][shell]") {
    LiveRepo repo;
    const RemotePaths& paths = repo.paths;
    CHECK(run_locally(live_checks(paths)) == 0);
    REQUIRE(run_locally(stage_release(paths, "v1", {".env", ".env.local"})) == 0);
    CHECK(std::filesystem::is_symlink(paths.staging + "/.env"));
    CHECK_FALSE(std::filesystem::exists(paths.staging + "/.env.local"));
    REQUIRE(run_locally(copy_node_modules(paths)) == 0);
    CHECK(std::filesystem::exists(paths.staging + "/node_modules/m/i.js"));
    REQUIRE(run_locally(build_and_list(paths, "mkdir -p dist && echo v1 > dist/out # ) ;")) == 0);

    const std::string reload = "echo reloaded > '" + repo.dir.str() + "/reloaded'";
    REQUIRE(run_locally(activate(paths, "v1", {"node_modules", "dist"}, reload)) == 0);
    CHECK(repo.read("app.js") == "one");
    CHECK(repo.read("dist/out") == "v1");
    CHECK(repo.read(".env") == "S=1"); // untracked env file left where it was
    CHECK(std::filesystem::exists(paths.aside + "/dist/out"));
    CHECK(std::filesystem::exists(paths.aside + "/node_modules/m/i.js"));
    CHECK(std::filesystem::exists(repo.dir.path() / "reloaded"));

    REQUIRE(run_locally(remove_staging(paths)) == 0);
    CHECK_FALSE(std::filesystem::exists(paths.staging));
    CHECK(repo.read("app.js") == "one");
    CHECK(run_locally(remove_staging(paths)) == 0); // nothing left: still fine
}

TEST_CASE("remote commands: a checkout that would overwrite changes stops the switch",
          "[remote][shell]") {
    LiveRepo repo;
    const RemotePaths& paths = repo.paths;
    REQUIRE(run_locally(stage_release(paths, "v1", {})) == 0);
    REQUIRE(run_locally("echo local > '" + repo.live + "/app.js'") == 0);
    const std::string reload = "touch '" + repo.dir.str() + "/reloaded'";
    CHECK(run_locally(activate(paths, "v1", {"node_modules"}, reload)) != 0);
    CHECK(repo.read("app.js") == "local");
    CHECK(repo.read("node_modules/m/i.js") == "v2"); // never swapped
    CHECK_FALSE(std::filesystem::exists(repo.dir.path() / "reloaded"));
}
