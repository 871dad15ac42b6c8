// "Never make it worse" (docs/safety.md) for the remote commands, run in a
// real shell against a real repository: the checkout-overwrite check, the
// build outputs the switch may take, and the rotation of asides.
#include "smo/remote/build.hpp"
#include "smo/remote/staging.hpp"
#include "smo/remote/switch.hpp"
#include "smo/remote/tag.hpp"
#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"
#include "support/temp_dir.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

using namespace smo;
using namespace smo::remote;

namespace {

std::string quoted(const std::string& command) {
    std::string text = "'";
    for (char c : command) {
        text += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return text + "'";
}

// Runs `command` with /bin/sh, as the login shell on the target would, and
// returns its stdout (or "exit N" when it failed).
std::string run_locally(const std::string& command) {
    const std::string line = "sh -c " + quoted(command) + " 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(line.c_str(), "r"), pclose);
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buffer{};
    while (const std::size_t got = fread(buffer.data(), 1, buffer.size(), pipe.get())) {
        out.append(buffer.data(), got);
    }
    const int status = pclose(pipe.release());
    return status == 0 ? out : "exit " + std::to_string(status);
}

void write(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
}

// v1 tracked .env and config/local.json (committed by mistake); v2 removed
// them and ignores them. The live tree is at v2 with its own, ignored copies.
struct LiveRepo {
    test::TempDir dir;
    std::string live = dir.str() + "/apps/app";
    RemotePaths paths = remote_paths_for(live, "v2", "v1", "20261204T081500Z");

    LiveRepo() {
        const std::string setup =
            "set -e; mkdir -p '" + live + "'; cd '" + live +
            "'; git init -q; git config user.email t@t; git config user.name t; printf "
            "'node_modules/\\ndist/\\n.env*\\nconfig/local.json\\nuploads/\\n' > .gitignore; "
            "echo one > app.js; mkdir config; echo stale > config/local.json; echo OLD=1 > .env; "
            "git add -A; git add -f .env config/local.json; git commit -qm one; git tag v1; "
            "git rm -q --cached .env config/local.json; echo two > app.js; git commit -qam two; "
            "git tag v2";
        REQUIRE(run_locally(setup).rfind("exit", 0) != 0);
    }
};

} // namespace

TEST_CASE("remote commands: the overwrite check names the ignored files the old release tracks",
          "[remote][shell]") {
    LiveRepo repo;
    const std::string command = checkout_overwrites(repo.paths, "v1", {".env", ".env.local"});
    SECTION("the live copies exist: both named, the env file as tracked") {
        const auto reply = parse_checkout_overwrites(run_locally(command));
        CHECK(reply.checked);
        CHECK(reply.tracked_env == std::vector<std::string>{".env"});
        CHECK(reply.untracked == std::vector<std::string>{".env", "config/local.json"});
    }
    SECTION("no live copies: nothing to overwrite, the tracked env file still named") {
        std::filesystem::remove(repo.live + "/.env");
        std::filesystem::remove(repo.live + "/config/local.json");
        const auto reply = parse_checkout_overwrites(run_locally(command));
        CHECK(reply.checked);
        CHECK(reply.tracked_env == std::vector<std::string>{".env"});
        CHECK(reply.untracked.empty());
    }
    SECTION("a release that tracks none of them: clear") {
        const auto reply = parse_checkout_overwrites(
            run_locally(checkout_overwrites(repo.paths, "v2", {".env", ".env.local"})));
        CHECK(reply.checked);
        CHECK(reply.tracked_env.empty());
        CHECK(reply.untracked.empty());
    }
    SECTION("an unknown commit: no verdict, never a pass") {
        const auto reply = parse_checkout_overwrites(run_locally(
            checkout_overwrites(repo.paths, "0123456789012345678901234567890123456789", {".env"})));
        CHECK_FALSE(reply.checked);
    }
}

TEST_CASE("remote commands: the build outputs are what the build created, minus user data",
          "[remote][shell]") {
    LiveRepo repo;
    REQUIRE(run_locally(stage_release(repo.paths, "v2", {".env"})).rfind("exit", 0) != 0);
    // Made by the install, before the build: not the build's to hand over.
    write(repo.paths.staging + "/node_modules/m/i.js", "m");
    write(repo.paths.staging + "/dist/stale.js", "from the install");
    const std::string build = "mkdir -p dist uploads && echo v2 > dist/out && touch uploads/.keep";
    const auto reply = parse_build_reply(run_locally(build_and_list(repo.paths, build)), {".env"},
                                         {"uploads", "logs"});
    REQUIRE(reply.built);
    REQUIRE(reply.listed);
    CHECK(reply.outputs.swap.empty()); // dist/ was there before the build
    CHECK(reply.outputs.kept == std::vector<std::string>{"uploads"});

    std::filesystem::remove_all(repo.paths.staging + "/dist");
    const auto again =
        parse_build_reply(run_locally(build_and_list(repo.paths, build)), {".env"}, {});
    REQUIRE(again.listed);
    CHECK(again.outputs.swap ==
          std::vector<std::string>{"dist"}); // uploads/ was there before this build
}

TEST_CASE("remote commands: an aside is never reused, and rotation keeps the newest",
          "[remote][shell]") {
    LiveRepo repo;
    const RemotePaths& paths = repo.paths;
    const std::string asides = paths.asides;
    for (const char* name : {"20261101T000000Z-v0", "20261201T000000Z-v1", "20261202T000000Z-v1",
                             "20261203T000000Z-v3", "keep-me"}) {
        write(asides + "/" + name + "/dist/user-file", name);
    }
    write(paths.work_root + "/aside-v2/uploads/42.png", "an aside of the old naming");

    REQUIRE(run_locally(prepare_aside(paths)).rfind("exit", 0) != 0);
    write(paths.aside + "/dist/out", "this run's");
    CHECK(run_locally(prepare_aside(paths)).rfind("exit", 0) == 0); // exists: refused
    CHECK(std::filesystem::exists(paths.aside + "/dist/out"));      // and untouched

    const std::string out = run_locally(rotate_asides(paths, 3));
    CHECK(has_marker(out, k_rotation_done));
    CHECK(has_marker(out, k_rotated + std::string("20261101T000000Z-v0")));
    CHECK(has_marker(out, k_rotated + std::string("20261201T000000Z-v1")));
    CHECK_FALSE(std::filesystem::exists(asides + "/20261101T000000Z-v0"));
    CHECK_FALSE(std::filesystem::exists(asides + "/20261201T000000Z-v1"));
    CHECK(std::filesystem::exists(asides + "/20261202T000000Z-v1/dist/user-file"));
    CHECK(std::filesystem::exists(asides + "/20261203T000000Z-v3/dist/user-file"));
    CHECK(std::filesystem::exists(paths.aside + "/dist/out"));          // this run's, the newest
    CHECK(std::filesystem::exists(asides + "/keep-me/dist/user-file")); // not ours
    CHECK(std::filesystem::exists(paths.work_root + "/aside-v2/uploads/42.png")); // old naming

    SECTION("this run's aside stays even when a skewed clock makes it the oldest") {
        RemotePaths skewed = paths;
        skewed.aside = asides + "/20200101T000000Z-v2";
        write(skewed.aside + "/dist/out", "skewed");
        run_locally(rotate_asides(skewed, 1));
        CHECK(std::filesystem::exists(skewed.aside + "/dist/out"));
        CHECK_FALSE(std::filesystem::exists(paths.aside));
        CHECK_FALSE(std::filesystem::exists(asides + "/20261203T000000Z-v3"));
    }
}
