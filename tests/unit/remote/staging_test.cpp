#include "smo/remote/staging.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::remote;
using smo::test::reply_of;

TEST_CASE("remote staging: the probe knows a registered worktree", "[remote][staging]") {
    const std::string staging = "/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1";
    const std::string real = k_real;
    const std::string worktree = k_worktree;
    const std::string list =
        reply_of({worktree + "/opt/apps/eo-mena", "HEAD abc", "branch refs/heads/main", "",
                  worktree + staging, "HEAD def", "detached"});
    const auto registered =
        parse_staging_probe(reply_of({k_present, real + staging}) + list, staging);
    CHECK(registered.present);
    CHECK(registered.registered);

    const auto stranger = parse_staging_probe(
        reply_of({k_present, real + staging, worktree + "/opt/apps/eo-mena", "HEAD abc"}), staging);
    CHECK(stranger.present);
    CHECK_FALSE(stranger.registered);

    // The live path reached through a symlink: git lists the resolved path.
    const auto via_link = parse_staging_probe(
        reply_of({k_present, real + "/srv/apps/.smo-rollback/eo-mena/staged-v1.4.1",
                  worktree + "/srv/apps/.smo-rollback/eo-mena/staged-v1.4.1"}),
        staging);
    CHECK(via_link.registered);

    const auto nothing =
        parse_staging_probe(reply_of({real + staging, worktree + "/opt/apps/eo-mena"}), staging);
    CHECK_FALSE(nothing.present);
    CHECK_FALSE(nothing.registered);
}

TEST_CASE("remote staging: the probe prints the words its parser reads", "[remote][staging]") {
    const RemotePaths paths = remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1");
    const std::string probe = staging_probe(paths);
    CHECK(probe.find("then echo " + std::string(k_present) + "; fi") != std::string::npos);
    CHECK(probe.find("echo \"" + std::string(k_real) + "$(readlink -f") != std::string::npos);
    CHECK(probe.ends_with(" worktree list --porcelain"));
    CHECK(prune_worktrees(paths) == "git -C '/opt/apps/eo-mena' worktree prune");
}
