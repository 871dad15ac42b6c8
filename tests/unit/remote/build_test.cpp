#include "smo/remote/build.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo::remote;
using smo::test::reply_of;

TEST_CASE("remote build: build outputs are the ignored entries minus modules and env files",
          "[remote][build]") {
    const std::string status = "!! .env\n!! dist/\n!! node_modules/\n?? notes.txt\n"
                               "!! public/build/\n!! \"we\\tird/\"\n!! .env.local\n";
    CHECK(parse_build_outputs(status, {".env", ".env.local"}) ==
          std::vector<std::string>{"dist", "public/build"});
    CHECK(parse_build_outputs("", {".env"}).empty());
}

TEST_CASE("remote build: the reply tells built, listed and what the build created",
          "[remote][build]") {
    const std::vector<std::string> env{".env"};
    SECTION("both listings") {
        const auto reply = parse_build_reply(
            reply_of({k_before, "!! .cache/", k_built, "!! .cache/", "!! dist/", "!! uploads/"}),
            env, {"uploads"});
        CHECK(reply.built);
        CHECK(reply.listed);
        CHECK(reply.outputs.swap == std::vector<std::string>{"dist"});
        CHECK(reply.outputs.kept == std::vector<std::string>{"uploads"});
    }
    SECTION("the build failed: no k_built, no outputs") {
        const auto reply = parse_build_reply(reply_of({k_before, "!! dist/"}), env, {});
        CHECK_FALSE(reply.built);
        CHECK(reply.listed);
        CHECK(reply.outputs.swap.empty());
    }
    SECTION("the listing before the build failed: what it made cannot be told") {
        const auto reply =
            parse_build_reply(reply_of({k_before, k_before_failed, k_built, "!! dist/"}), env, {});
        CHECK(reply.built);
        CHECK_FALSE(reply.listed);
        CHECK(reply.outputs.swap.empty());
    }
    SECTION("the build's own output between the markers is no listing") {
        const auto reply = parse_build_reply(
            reply_of({k_before, k_built, "!! dist/", "smo:other", "!! later/"}), env, {});
        CHECK(reply.outputs.swap == std::vector<std::string>{"dist"});
    }
}

TEST_CASE("remote build: baked paths are text or binary, and searched only at the end",
          "[remote][build]") {
    const auto baked = parse_baked_paths(reply_of(
        {std::string(k_text) + "a b.json", std::string(k_binary) + "app.node", k_searched}));
    CHECK(baked.searched);
    CHECK(baked.text == std::vector<std::string>{"a b.json"});
    CHECK(baked.binary == std::vector<std::string>{"app.node"});
    CHECK_FALSE(parse_baked_paths(reply_of({std::string(k_text) + "x.js"})).searched);
}

TEST_CASE("remote build: the scripts print the markers the parsers read", "[remote][build]") {
    const smo::RemotePaths paths = smo::remote_paths_for("/opt/apps/app", "v2", "v1");
    const std::string build = build_and_list(paths, "npm run build");
    CHECK(build.find(std::string("echo ") + k_before + "\n") == 0);
    CHECK(build.find(std::string("|| echo ") + k_before_failed + "\n") != std::string::npos);
    CHECK(build.find(std::string("echo ") + k_built + " && ") != std::string::npos);
    const std::string search = find_baked_paths(paths, {"dist"});
    CHECK(search.find(std::string("echo \"") + k_text + "$f\"") != std::string::npos);
    CHECK(search.find(std::string("echo \"") + k_binary + "$f\"") != std::string::npos);
    CHECK(search.ends_with(std::string("echo ") + k_searched));
    // The node script goes out shell-quoted: its own quotes are escaped.
    CHECK(rewrite_baked_paths(paths, {"a.js"}).find(k_rewrote) != std::string::npos);
}
