// The warm standby through the stages (docs/prepare.md): stage 4 reuses or
// discards it, stages 5–6 skip, the clean-up keeps it, a prepare run writes it.
#include "smo/remote/standby.hpp"
#include "smo/remote/tag.hpp"
#include "smo/standby.hpp"
#include "stage_fixture.hpp"
#include "stages/standby_support.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;
using smo::remote::k_discarded;
using smo::remote::k_prepared;
using smo::remote::k_pruned;
using smo::remote::k_standby;
using smo::remote::k_standby_clean;
using smo::remote::k_standby_end;
using smo::remote::k_standby_head;
using smo::remote::k_standby_modules;

namespace {

const std::string k_worktrees = "worktree /opt/apps/eo-mena\nHEAD " + k_from_commit + "\n";

standby::Manifest prepared_for(const TestRig& rig) {
    standby::Manifest manifest;
    manifest.to_tag = "v1.4.1";
    manifest.to_commit = k_to_commit;
    manifest.from_commit = k_from_commit;
    manifest.config_hash = standby::config_hash(rig.config.env.rollback);
    manifest.outputs = {"dist"};
    manifest.built_at = "2026-12-01T10:02:33Z";
    manifest.built_by = "bob@laptop";
    return manifest;
}

// The target: origin agrees on the tag; the staging path holds a standby
// described by `manifest` (registered worktree, clean, node_modules as then).
void target_with_standby(TestRig& rig, const standby::Manifest& manifest,
                         const std::string& head = k_to_commit) {
    rig.shell.on(
        "fetch --tags origin", 0,
        reply_of({remote::k_fetch_exit + std::string("0"), k_to_commit, remote::k_tracked_env,
                  remote::k_overwrites, remote::k_overwrites_done}));
    rig.shell.on(k_standby_end, 0,
                 "present\nreal " + k_staging + "\n" + k_worktrees + "worktree " + k_staging +
                     "\nHEAD " + head + "\ndetached\n" +
                     reply_of({k_standby, standby::render(manifest) + "modules=0123456789abcdef\n",
                               k_standby_end, k_standby_head + head, k_standby_clean,
                               std::string(k_standby_modules) + "0123456789abcdef"}));
}

} // namespace

TEST_CASE("standby: a matching one is reused, stages 5 and 6 skip", "[stages][standby]") {
    TestRig rig;
    Context& context = given_connected(rig);
    target_with_standby(rig, prepared_for(rig));
    const StageOutcome checkout = make_checkout_prev_stage()->run(context);
    CHECK(checkout.status == StageStatus::ok);
    CHECK(checkout.detail.find("prepared 2026-12-01 10:02 by bob@laptop, reused") !=
          std::string::npos);
    CHECK(context.state.staged);
    CHECK(context.state.standby_reused);
    CHECK(context.state.build_outputs == std::vector<std::string>{"dist"});
    CHECK_FALSE(rig.shell.ran("worktree add"));
    CHECK_FALSE(rig.shell.ran("worktree remove"));

    const std::size_t before = rig.shell.commands.size();
    CHECK(make_install_stage()->run(context).status == StageStatus::skipped);
    CHECK(make_build_stage()->run(context).status == StageStatus::skipped);
    CHECK(rig.shell.commands.size() == before);
}

TEST_CASE("standby: a stale one is discarded, named, and the release staged afresh",
          "[stages][standby]") {
    TestRig rig;
    Context& context = given_connected(rig);
    standby::Manifest manifest = prepared_for(rig);
    std::string expected;
    SECTION("prepared against another live release") {
        manifest.from_commit = std::string(40, 'a');
        expected = "another live release (aaaaaaa)";
    }
    SECTION("the build command changed since") {
        rig.config.env.rollback.commands.build = "npm run build:prod";
        expected = "settings";
    }
    target_with_standby(rig, manifest);
    const StageOutcome checkout = make_checkout_prev_stage()->run(context);
    CHECK(checkout.status == StageStatus::ok);
    CHECK_FALSE(context.state.standby_reused);
    const int manifest_removed = rig.shell.index_of("rm -f -- '" + k_staging + ".prepared'");
    const int worktree_removed = rig.shell.index_of("worktree remove --force '" + k_staging + "'");
    const int added = rig.shell.index_of("worktree add");
    CHECK(manifest_removed >= 0);
    CHECK(manifest_removed < worktree_removed);
    CHECK(worktree_removed < added);
    REQUIRE_FALSE(rig.reporter.warnings.empty());
    CHECK(rig.reporter.warnings.front().find("discarded the prepared standby") !=
          std::string::npos);
    CHECK(rig.reporter.warnings.front().find(expected) != std::string::npos);
}

TEST_CASE("standby: the clean-up keeps it unless the switch took from it", "[stages][standby]") {
    TestRig rig;
    Context& context = given_connected(rig);
    context.state.staged = true;
    SECTION("reused by a drill, or a rollback halted before the switch: kept") {
        context.state.standby_reused = true;
        clean_up_target(context);
        CHECK_FALSE(rig.shell.ran("worktree remove"));
        CHECK(rig.shell.ran("rmdir '" + k_lock + "'"));
    }
    SECTION("kept by prepare: kept") {
        context.state.standby_kept = true;
        clean_up_target(context);
        CHECK_FALSE(rig.shell.ran("worktree remove"));
    }
    SECTION("reused and switched: removed with its manifest") {
        context.state.standby_reused = true;
        context.state.switch_launched = true;
        context.state.live_changed = true;
        context.state.reloaded = true;
        clean_up_target(context);
        CHECK(rig.shell.ran("worktree remove --force '" + k_staging + "'; fi && rm -f -- '" +
                            k_staging + ".prepared'"));
    }
}

TEST_CASE("standby: prepare writes the manifest and prunes older standbys", "[stages][standby]") {
    TestRig rig;
    Context& context = given_connected(rig);
    context.report.kind = RunKind::prepare;
    context.state.staged = true;
    context.state.build_outputs = {"dist"};
    rig.shell.on(k_prepared, 0, reply_of({k_prepared}));
    rig.shell.on(k_pruned, 0, reply_of({k_discarded + std::string("staged-v1.3.0"), k_pruned}));
    stages::keep_standby(context);
    CHECK(context.report.exit_code == ExitCode::success);
    CHECK(context.state.standby_kept);
    CHECK(context.report.standby_path == k_staging);
    const auto written = rig.shell.commands_with(k_prepared);
    REQUIRE(written.size() == 1);
    CHECK(written[0].find("to_commit=" + k_to_commit + "\nfrom_commit=" + k_from_commit) !=
          std::string::npos);
    CHECK(written[0].find("output=dist\n") != std::string::npos);
    CHECK(written[0].find("> '" + k_staging + ".prepared.tmp' && mv -f") != std::string::npos);
    REQUIRE_FALSE(rig.reporter.warnings.empty());
    CHECK(rig.reporter.warnings.back() == "removed an older standby: staged-v1.3.0");

    SECTION("a manifest that cannot be written fails the run; the clean-up removes the tree") {
        TestRig failing;
        Context& other = given_connected(failing);
        other.report.kind = RunKind::prepare;
        other.state.staged = true;
        failing.shell.on(k_prepared, 1, "", "No space left on device\n");
        stages::keep_standby(other);
        CHECK(other.report.exit_code == ExitCode::failed);
        CHECK(other.report.failure_reason.find("No space left on device") != std::string::npos);
        CHECK_FALSE(other.state.standby_kept);
        clean_up_target(other);
        CHECK(failing.shell.ran("worktree remove --force"));
    }
}
