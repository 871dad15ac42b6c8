// The warm standby (docs/prepare.md) with the real binary against the
// sandbox: `prepare` builds the previous release beside the live one and
// touches nothing live; the rollback after it is a switch; a stale standby
// is discarded and built again.
#include "support/faults.hpp"
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>

using namespace smo::integration;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The standby's manifest beside the live tree, "" when there is none.
std::string manifest_of(const Sandbox& sandbox, const std::string& tag) {
    const auto live = sandbox.live_path();
    return read_text(live.parent_path() / ".smo-rollback" / live.filename() /
                     ("staged-" + tag + ".prepared"));
}

} // namespace

TEST_CASE("prepare keeps v1.1.0 built beside a live v1.2.0, and the rollback reuses it",
          "[rollback][integration][prepare]") {
    Sandbox sandbox({"--bad", "good"});
    const TargetSnapshot before = TargetSnapshot::take(sandbox);

    // A healthy live release: prepare needs no yes, and changes nothing live.
    const ProcessResult prepared = sandbox.run_binary({"prepare", "--json"});
    INFO(prepared.err);
    REQUIRE(prepared.exit_code == 0);
    CHECK(contains(prepared.err, "✅ Standby prepared"));
    CHECK(contains(prepared.out, "\"kind\":\"prepare\""));
    CHECK(contains(prepared.out, "\"standby\":{"));
    CHECK_FALSE(contains(prepared.err, "[7/12]"));
    CHECK(TargetSnapshot::take(sandbox).live_part() == before.live_part());
    const std::string manifest = manifest_of(sandbox, "v1.1.0");
    CHECK(contains(manifest, "to_commit=" + sandbox.value("COMMIT_V1_1_0")));
    CHECK(contains(manifest, "output=dist"));

    // status shows it.
    const ProcessResult status = sandbox.run_binary({"status", "--json"});
    INFO(status.out);
    CHECK(status.exit_code == 0);
    CHECK(contains(status.out, "\"prepared\":{\"built_at\":"));
    CHECK(contains(status.out, "\"tag\":\"v1.1.0\""));

    // Again: the standby is there and fresh; nothing is rebuilt.
    const ProcessResult again = sandbox.run_binary({"prepare"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(contains(line_starting(again.err, "[4/12]"), "reused"));
    CHECK(contains(line_starting(again.err, "[6/12]"), "skipped"));

    // The rollback: stages 4–6 take nothing but a probe.
    const ProcessResult run = sandbox.run_binary({"--yes"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(contains(line_starting(run.err, "[4/12]"), "reused"));
    CHECK(contains(line_starting(run.err, "[5/12]"), "skipped"));
    CHECK(contains(line_starting(run.err, "[6/12]"), "skipped"));
    CHECK(remote_text(sandbox, "git rev-parse HEAD") == sandbox.value("COMMIT_V1_1_0"));
    // The served commit is the one the standby's build baked into dist/.
    const HttpResponse health = sandbox.health();
    CHECK(health.status == 200);
    CHECK(contains(health.body, "\"commit\":\"" + sandbox.value("COMMIT_V1_1_0") + "\""));
    // The standby was used up: no worktree, no manifest left.
    CHECK(manifest_of(sandbox, "v1.1.0").empty());
    CHECK_FALSE(contains(remote_text(sandbox, "git worktree list"), "staged-v1.1.0"));
}

TEST_CASE("a standby prepared under other build settings is discarded and built again",
          "[rollback][integration][prepare]") {
    Sandbox sandbox({"--bad", "500"});
    REQUIRE(sandbox.run_binary({"prepare"}).exit_code == 0);
    REQUIRE_FALSE(manifest_of(sandbox, "v1.1.0").empty());
    set_rollback_command(sandbox, "build", "npm run build && echo rebuilt");

    const ProcessResult run = sandbox.run_binary({"--auto"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(contains(run.err, "discarded the prepared standby"));
    CHECK(contains(run.err, "settings"));
    CHECK(contains(line_starting(run.err, "[6/12]"), " ok "));
    CHECK(remote_text(sandbox, "git rev-parse HEAD") == sandbox.value("COMMIT_V1_1_0"));
    CHECK(sandbox.health().status == 200);
}
