#include "smo/standby.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::standby;

namespace {

const std::string k_to = "b2c5d82f00112233445566778899aabbccddeeff";
const std::string k_from = "c3d4e5f60718293a4b5c6d7e8f90112233445566";

Manifest sample() {
    Manifest manifest;
    manifest.to_tag = "v1.4.1";
    manifest.to_commit = k_to;
    manifest.from_commit = k_from;
    manifest.config_hash = config_hash(RollbackSettings{});
    manifest.outputs = {"dist", "public/assets"};
    manifest.built_at = "2026-12-01T10:02:33Z";
    manifest.built_by = "bob@laptop";
    return manifest;
}

// The probe of a standby that is exactly what `sample()` describes.
Probe matching() {
    Probe probe;
    probe.answered = true;
    probe.manifest = true;
    probe.registered = true;
    probe.clean = true;
    probe.head = k_to;
    probe.modules_hash = "0123456789abcdef";
    probe.parsed = parse(render(sample()) + "modules=0123456789abcdef\n");
    return probe;
}

Wanted wanted() {
    return {k_to, k_from, config_hash(RollbackSettings{})};
}

} // namespace

TEST_CASE("standby manifest: what render writes, parse reads back", "[standby]") {
    const Manifest read = parse(render(sample()) + "modules=none\n");
    CHECK(read.valid);
    CHECK(read.to_tag == "v1.4.1");
    CHECK(read.to_commit == k_to);
    CHECK(read.from_commit == k_from);
    CHECK(read.outputs == std::vector<std::string>{"dist", "public/assets"});
    CHECK(read.built_at == "2026-12-01T10:02:33Z");
    CHECK(read.built_by == "bob@laptop");
    CHECK(read.modules_hash == "none");
}

TEST_CASE("standby manifest: another header, a short commit or no modules line is unreadable",
          "[standby]") {
    CHECK_FALSE(parse("").valid);
    CHECK_FALSE(parse("smo-journal 1\n" + render(sample()).substr(15) + "modules=none\n").valid);
    CHECK_FALSE(parse(render(sample())).valid); // the target never added modules=
    Manifest short_commit = sample();
    short_commit.to_commit = "b2c5d82";
    CHECK_FALSE(parse(render(short_commit) + "modules=none\n").valid);
}

TEST_CASE("standby: the settings that shape a build change its config hash", "[standby]") {
    const RollbackSettings defaults;
    RollbackSettings other = defaults;
    other.commands.build = "npm run build:prod";
    CHECK(config_hash(other) != config_hash(defaults));
    other = defaults;
    other.keep.push_back("media");
    CHECK(config_hash(other) != config_hash(defaults));
    other = defaults;
    other.settle_seconds = 30; // not a build setting
    CHECK(config_hash(other) == config_hash(defaults));
}

TEST_CASE("standby: reused only when everything still matches", "[standby]") {
    CHECK_FALSE(why_not_reusable(matching(), wanted()));
    Probe probe = matching();
    Wanted want = wanted();
    std::string expected;
    SECTION("another release") {
        want.to_commit = std::string(40, 'a');
        expected = "it holds b2c5d82, not aaaaaaa";
    }
    SECTION("prepared against another live release") {
        want.from_commit = std::string(40, 'f');
        expected = "another live release (c3d4e5f)";
    }
    SECTION("rollback settings changed") {
        want.config_hash = "0000000000000000";
        expected = "settings";
    }
    SECTION("worktree gone") {
        probe.registered = false;
        expected = "worktree is gone";
    }
    SECTION("HEAD moved in it") {
        probe.head = std::string(40, 'e');
        expected = "it holds eeeeeee";
    }
    SECTION("a tracked file edited") {
        probe.clean = false;
        expected = "tracked files";
    }
    SECTION("node_modules changed") {
        probe.modules_hash = "fedcba9876543210";
        expected = "node_modules changed";
    }
    SECTION("unreadable manifest") {
        probe.parsed = parse("smo-prepared 1\nto_commit=x\n");
        expected = "unreadable";
    }
    const auto why = why_not_reusable(probe, want);
    REQUIRE(why);
    CHECK(why->find(expected) != std::string::npos);
}
