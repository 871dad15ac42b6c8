// The standby's round trips: scripts pinned byte for byte, replies read from
// fakes built of the k_ markers, and the commands run for real by a local
// shell against a throwaway repository: written, probed, judged reusable or
// stale, pruned.
#include "smo/remote/staging.hpp"
#include "smo/remote/standby.hpp"
#include "smo/remote_commands.hpp"
#include "support/fake_reply.hpp"
#include "support/local_shell.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace smo;
using namespace smo::remote;
using smo::test::reply_of;

namespace {

std::string run_shell(const std::string& command) {
    const test::LocalShellResult result = test::run_local_shell(command);
    REQUIRE(result.exit_status >= 0);
    return result.output;
}

// A live repository with v1 and v2; v1 staged beside it with node_modules.
struct Target {
    test::TempDir dir;
    std::string live = dir.str() + "/apps/app";
    RemotePaths paths = remote_paths_for(live, "v2", "v1");
    std::string v1;
    std::string v2;

    Target() {
        run_shell("set -e; mkdir -p '" + live + "'; cd '" + live +
                  "'; git init -q; git config user.email t@t; git config user.name t; printf "
                  "'node_modules/\\ndist/\\n' > .gitignore; echo one > app.js; git add -A; git "
                  "commit -qm one; git tag v1; echo two > app.js; git commit -qam two; git tag v2");
        run_shell(stage_release(paths, "v1", {}));
        run_shell("mkdir -p '" + paths.staging + "/node_modules' '" + paths.staging +
                  "/dist' && echo '{\"lockfileVersion\":3}' > '" + paths.staging +
                  "/node_modules/.package-lock.json'");
        v1 = rev("v1");
        v2 = rev("v2");
    }

    std::string rev(const std::string& name) {
        std::string out = run_shell("git -C '" + live + "' rev-parse '" + name + "^{commit}'");
        return out.substr(0, out.find('\n'));
    }

    standby::Manifest manifest() const {
        standby::Manifest manifest;
        manifest.to_tag = "v1";
        manifest.to_commit = v1;
        manifest.from_commit = v2;
        manifest.config_hash = standby::config_hash(RollbackSettings{});
        manifest.outputs = {"dist"};
        manifest.built_at = "2026-12-04T12:00:00Z";
        manifest.built_by = "t@h";
        return manifest;
    }

    standby::Probe probe() const {
        return parse_standby_probe(run_shell(probe_standby(paths)), paths.staging);
    }

    standby::Wanted wanted() const { return {v1, v2, standby::config_hash(RollbackSettings{})}; }
};

} // namespace

TEST_CASE("standby on a real repository: none, then written and reusable",
          "[remote][shell][standby]") {
    Target target;
    const standby::Probe before = target.probe();
    CHECK(before.answered);
    CHECK_FALSE(before.manifest);
    CHECK(before.registered);

    const std::string written =
        run_shell(write_standby(target.paths, standby::render(target.manifest())));
    CHECK(parse_standby_written(written));
    const standby::Probe probe = target.probe();
    CHECK(probe.manifest);
    CHECK(probe.parsed.valid);
    CHECK(probe.head == target.v1);
    CHECK(probe.clean);
    CHECK(probe.modules_hash.size() == 16);
    CHECK(probe.parsed.modules_hash == probe.modules_hash);
    CHECK(probe.parsed.outputs == std::vector<std::string>{"dist"});
    CHECK_FALSE(standby::why_not_reusable(probe, target.wanted()));
}

TEST_CASE("standby on a real repository: an edited file or node_modules makes it stale",
          "[remote][shell][standby]") {
    Target target;
    run_shell(write_standby(target.paths, standby::render(target.manifest())));
    std::string expected;
    SECTION("a tracked file edited in the staged tree") {
        run_shell("echo hacked > '" + target.paths.staging + "/app.js'");
        expected = "tracked files";
    }
    SECTION("npm installed something else since") {
        run_shell("echo '{\"lockfileVersion\":3,\"x\":1}' > '" + target.paths.staging +
                  "/node_modules/.package-lock.json'");
        expected = "node_modules changed";
    }
    SECTION("the worktree removed by hand") {
        run_shell("git -C '" + target.live + "' worktree remove --force '" + target.paths.staging +
                  "'");
        expected = "worktree is gone";
    }
    const auto why = standby::why_not_reusable(target.probe(), target.wanted());
    REQUIRE(why);
    CHECK(why->find(expected) != std::string::npos);
}

TEST_CASE("standby on a real repository: remove_staging takes the manifest with it",
          "[remote][shell][standby]") {
    Target target;
    run_shell(write_standby(target.paths, standby::render(target.manifest())));
    run_shell(remove_staging(target.paths));
    CHECK_FALSE(std::filesystem::exists(target.paths.staging));
    CHECK_FALSE(std::filesystem::exists(standby_manifest_path(target.paths)));
}

TEST_CASE("standby pruning keeps keep_releases, never an unregistered directory",
          "[remote][shell][standby]") {
    Target target;
    // Three older standbys of other releases, oldest first; the oldest is a
    // directory git does not know (made by hand): only its manifest goes.
    const std::string root = target.paths.work_root;
    run_shell("git -C '" + target.live + "' worktree add -q --detach '" + root +
              "/staged-v0.7' v1");
    run_shell("mkdir -p '" + root + "/staged-v0.8' && git -C '" + target.live +
              "' worktree add -q --detach '" + root + "/staged-v0.9' v1");
    for (const char* name : {"staged-v0.8", "staged-v0.7", "staged-v0.9"}) {
        run_shell("touch '" + root + "/" + name + ".prepared' && sleep 0.05");
    }
    run_shell(write_standby(target.paths, standby::render(target.manifest())));

    const std::string out = run_shell(prune_standbys(target.paths, 2));
    INFO(out);
    const PrunedStandbys pruned = parse_pruned_standbys(out);
    CHECK(pruned.finished);
    CHECK(pruned.discarded == std::vector<std::string>{"staged-v0.7", "staged-v0.8"});
    // Ours and the newest other (v0.9) stay.
    CHECK(std::filesystem::exists(standby_manifest_path(target.paths)));
    CHECK(std::filesystem::exists(root + "/staged-v0.9.prepared"));
    CHECK(std::filesystem::exists(root + "/staged-v0.9"));
    // v0.7: a worktree, removed with its manifest.
    CHECK_FALSE(std::filesystem::exists(root + "/staged-v0.7"));
    CHECK_FALSE(std::filesystem::exists(root + "/staged-v0.7.prepared"));
    // v0.8: not a worktree: its manifest goes, the directory stays.
    CHECK(std::filesystem::exists(root + "/staged-v0.8"));
    CHECK_FALSE(std::filesystem::exists(root + "/staged-v0.8.prepared"));
}

TEST_CASE("remote standby: the scripts, every argument quoted", "[remote][standby]") {
    const RemotePaths paths = remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1");
    const std::string staging = "'/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1'";
    const std::string modules_hash =
        "if [ -f '/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1/node_modules/.package-lock.json' "
        "]; then sha256sum < "
        "'/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1/node_modules/.package-lock.json' | cut "
        "-c1-16; else echo none; fi";
    CHECK(probe_standby(paths) ==
          "if [ -e " + staging + " ] || [ -L " + staging + " ]; then echo present; fi; echo " +
              "\"real $(readlink -f " + staging +
              ")\"; git -C '/opt/apps/eo-mena' worktree list --porcelain\n"
              "echo smo:standby; cat '/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1.prepared' "
              "2>/dev/null; echo; echo smo:standby-end; echo \"smo:head $(git -C " +
              staging + " rev-parse HEAD 2>/dev/null)\"; [ -n \"$(git -C " + staging +
              " status --porcelain --untracked-files=no 2>&1)\" ] || echo smo:clean; echo "
              "\"smo:modules $(" +
              modules_hash + ")\"");
    CHECK(write_standby(paths, "to_tag=v1.4.1\n") ==
          "{ printf '%s' 'to_tag=v1.4.1\n' && echo \"modules=$(" + modules_hash +
              ")\"; } > '/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1.prepared.tmp' && mv -f "
              "'/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1.prepared.tmp' "
              "'/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1.prepared' && echo smo:prepared");
    CHECK(remove_standby_manifest(paths) ==
          "rm -f -- '/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1.prepared'");
    CHECK(standby_and_journal(paths) ==
          "m=$(ls -1t -- '/opt/apps/.smo-rollback/eo-mena'/staged-*.prepared 2>/dev/null | head "
          "-n 1); echo smo:standby; [ -z \"$m\" ] || cat -- \"$m\"; echo; echo smo:standby-end; "
          "echo smo:journal; cat '/opt/apps/.smo-rollback/eo-mena/journal' 2>/dev/null; echo; "
          "echo smo:journal-end");
    CHECK(prune_standbys(paths, 3) ==
          "if [ -d '/opt/apps/.smo-rollback/eo-mena' ]; then ls -1t "
          "'/opt/apps/.smo-rollback/eo-mena' | grep -x 'staged-.*\\.prepared' | grep -vxF "
          "'staged-v1.4.1.prepared' | tail -n +3 | while IFS= read -r m; do "
          "s='/opt/apps/.smo-rollback/eo-mena'/\"${m%.prepared}\"; if git -C "
          "'/opt/apps/eo-mena' worktree list --porcelain | grep -qxF -e \"worktree $s\" -e "
          "\"worktree $(readlink -f \"$s\")\"; then git -C '/opt/apps/eo-mena' worktree remove "
          "--force \"$s\" || continue; fi; rm -f -- '/opt/apps/.smo-rollback/eo-mena'/\"$m\" && "
          "echo \"smo:discarded ${m%.prepared}\"; done; fi; echo smo:pruned");
}

TEST_CASE("remote standby: the replies, read from the markers", "[remote][standby]") {
    SECTION("the probe: manifest, head, clean, node_modules") {
        const standby::Probe probe = parse_standby_probe(
            reply_of({"present", k_standby, "smo-prepared 1", "to_tag=v1", "", k_standby_end,
                      std::string(k_standby_head) + "abc123", k_standby_clean,
                      std::string(k_standby_modules) + "0123456789abcdef"}),
            "/srv/staged-v1");
        CHECK(probe.answered);
        CHECK(probe.manifest);
        CHECK(probe.clean);
        CHECK(probe.head == "abc123");
        CHECK(probe.modules_hash == "0123456789abcdef");
    }
    SECTION("the probe: no manifest, edited, markers before k_standby_end not read") {
        const standby::Probe probe =
            parse_standby_probe(reply_of({k_standby_clean, k_standby, "", k_standby_end,
                                          std::string(k_standby_modules) + "none"}),
                                "/srv/staged-v1");
        CHECK(probe.answered);
        CHECK_FALSE(probe.manifest);
        CHECK_FALSE(probe.clean);
        CHECK(probe.modules_hash == "none");
    }
    SECTION("the probe cut short") {
        CHECK_FALSE(parse_standby_probe(reply_of({k_standby, "smo-prepared 1"}), "/s").answered);
    }
    SECTION("written, or not") {
        CHECK(parse_standby_written(reply_of({k_prepared})));
        CHECK_FALSE(parse_standby_written(""));
    }
    SECTION("pruned") {
        const PrunedStandbys pruned = parse_pruned_standbys(
            reply_of({std::string(k_discarded) + "staged-v1.2", "fatal: noise",
                      std::string(k_discarded) + "staged-v1.1", k_pruned}));
        CHECK(pruned.finished);
        CHECK(pruned.discarded == std::vector<std::string>{"staged-v1.2", "staged-v1.1"});
        CHECK_FALSE(parse_pruned_standbys(reply_of({std::string(k_discarded) + "x"})).finished);
    }
    SECTION("status: the newest manifest and the journal") {
        const StandbyAndJournal found = parse_standby_and_journal(
            reply_of({k_standby, "garbage", k_standby_end, k_status_journal, "smo-journal 1",
                      "from_tag=v2", k_status_journal_end}));
        CHECK_FALSE(found.standby);
        CHECK(found.journal.from_tag == "v2");
    }
}
