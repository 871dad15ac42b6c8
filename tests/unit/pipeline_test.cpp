#include "smo/context.hpp"
#include "smo/errors.hpp"
#include "smo/pipeline.hpp"
#include "smo/remote/standby.hpp"
#include "support/fake_reply.hpp"
#include "support/test_context.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <typeinfo>

using namespace smo;
using smo::remote::k_prepared;
using smo::test::reply_of;
using smo::test::TestRig;

namespace {

// A stage that answers from a function and counts its runs.
class ScriptedStage : public Stage {
  public:
    explicit ScriptedStage(std::function<StageOutcome(Context&)> body) : m_body(std::move(body)) {}
    StageOutcome run(Context& context) override {
        ++runs;
        return m_body(context);
    }
    StagePlan plan(const Context&) const override { return {}; }
    int runs = 0;

  private:
    std::function<StageOutcome(Context&)> m_body;
};

struct Table {
    std::vector<std::unique_ptr<Stage>> stages;
    std::vector<ScriptedStage*> scripted;

    // Twelve stages that pass and take one second each on the fake clock;
    // `override_stage(n, body)` changes stage n.
    explicit Table(TestRig& rig) {
        for (int n = 1; n <= k_stage_count; ++n) {
            auto stage = std::make_unique<ScriptedStage>([&rig](Context&) {
                rig.clock.advance(std::chrono::seconds(1));
                return StageOutcome::ok();
            });
            scripted.push_back(stage.get());
            stages.push_back(std::move(stage));
        }
    }
    void override_stage(int number, std::function<StageOutcome(Context&)> body) {
        auto stage = std::make_unique<ScriptedStage>(std::move(body));
        scripted[number - 1] = stage.get();
        stages[number - 1] = std::move(stage);
    }
};

} // namespace

TEST_CASE("the runbook lists the twelve stages of docs/stages.md in order", "[pipeline]") {
    std::vector<std::string> names;
    for (const auto& entry : k_stage_table) {
        names.emplace_back(entry.name);
    }
    CHECK(names == std::vector<std::string>{"identify-previous", "preflight", "ssh-connect",
                                            "checkout-prev", "install", "build", "migration-check",
                                            "reload", "settle", "health-check", "log", "telegram"});
    CHECK(k_stage_count == 12);
    CHECK(k_first_always_stage == 11);
    STATIC_REQUIRE(stage_number("health-check") == 10);
    CHECK(stage_name(stage_number("reload")) == "reload");
    // The pipeline is the table's factories, in the table's order.
    const auto stages = make_stages();
    REQUIRE(stages.size() == k_stage_table.size());
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const auto made = k_stage_table[i].make();
        const Stage& in_pipeline = *stages[i];
        const Stage& from_table = *made;
        CHECK(typeid(in_pipeline) == typeid(from_table));
    }
}

TEST_CASE("every stage runs in order and is timed", "[pipeline]") {
    TestRig rig;
    Table table(rig);
    run_pipeline(rig.context(), table.stages);
    const RunReport& report = rig.context().report;
    REQUIRE(report.stages.size() == 12);
    for (int n = 1; n <= 12; ++n) {
        CHECK(report.stages[n - 1].number == n);
        CHECK(report.stages[n - 1].status == StageStatus::ok);
        CHECK(report.stages[n - 1].seconds == Approx(1.0));
    }
    CHECK(report.exit_code == ExitCode::success);
    CHECK(report.failed_stage.empty());
    CHECK(report.seconds == Approx(10.0)); // the SLA clock stops before the log
}

TEST_CASE("a failure stops stages 1–10 but the log and the alert still run", "[pipeline]") {
    TestRig rig;
    Table table(rig);
    table.override_stage(6, [](Context&) { return StageOutcome::sev1("npm run build: exit 1"); });
    run_pipeline(rig.context(), table.stages);
    const RunReport& report = rig.context().report;
    CHECK(report.exit_code == ExitCode::sev1);
    CHECK(report.failed_stage == "build");
    CHECK(report.failure_reason == "npm run build: exit 1");
    for (int n = 7; n <= 10; ++n) {
        CHECK(table.scripted[n - 1]->runs == 0);
        CHECK(report.stages[n - 1].status == StageStatus::skipped);
    }
    CHECK(table.scripted[10]->runs == 1);
    CHECK(table.scripted[11]->runs == 1);
}

TEST_CASE("a lost link becomes the stage's failure with exit 5", "[pipeline]") {
    TestRig rig;
    Table table(rig);
    table.override_stage(3, [](Context&) -> StageOutcome {
        throw TransportError("ssh deploy@100.89.148.62:22: connection refused");
    });
    run_pipeline(rig.context(), table.stages);
    const RunReport& report = rig.context().report;
    CHECK(report.exit_code == ExitCode::failed);
    CHECK(report.failed_stage == "ssh-connect");
    CHECK(report.failure_reason.find("connection refused") != std::string::npos);
    CHECK(table.scripted[11]->runs == 1);
}

TEST_CASE("Ctrl-C stops before the next stage with exit 130, and still logs", "[pipeline]") {
    TestRig rig;
    std::atomic<bool> interrupted{false};
    rig.context().interrupt_flag = &interrupted;
    Table table(rig);
    table.override_stage(4, [&](Context&) {
        interrupted = true; // pressed while stage 4's command ran
        return StageOutcome::ok();
    });
    run_pipeline(rig.context(), table.stages);
    const RunReport& report = rig.context().report;
    CHECK(report.stages[3].status == StageStatus::ok);
    CHECK(report.exit_code == ExitCode::interrupted);
    CHECK(report.failed_stage == "install");
    CHECK(table.scripted[4]->runs == 0);
    CHECK(table.scripted[10]->runs == 1);
}

TEST_CASE("a failing log or alert never changes a good rollback's exit code", "[pipeline]") {
    TestRig rig;
    Table table(rig);
    table.override_stage(11, [](Context&) { return StageOutcome::fail("docs/ not writable"); });
    table.override_stage(12, [](Context&) { return StageOutcome::fail("telegram 401"); });
    run_pipeline(rig.context(), table.stages);
    CHECK(rig.context().report.exit_code == ExitCode::success);
    CHECK(rig.context().report.failed_stage.empty());
}

TEST_CASE("in a drill every failed check is exit 6", "[pipeline]") {
    TestRig rig;
    rig.options.dry_run = true;
    Table table(rig);
    table.override_stage(8, [](Context&) { return StageOutcome::fail("pm2 process not online"); });
    run_pipeline(rig.context(), table.stages);
    CHECK(rig.context().report.exit_code == ExitCode::drill_failed);
}

namespace {

// Stage 3 of a prepare run: connected, locked, a release staged.
StageOutcome connect_and_stage(TestRig& rig, Context& context) {
    rig.clock.advance(std::chrono::seconds(1));
    context.state.connected = true;
    context.state.lock_held = true;
    context.state.staged = true;
    context.state.paths = remote_paths_for("/opt/apps/app", "v2", "v1");
    return StageOutcome::ok();
}

} // namespace

TEST_CASE("prepare runs stages 1–6, keeps the standby, unlocks; never 7–12", "[pipeline]") {
    TestRig rig;
    Context& context = rig.context();
    context.report.kind = RunKind::prepare;
    Table table(rig);
    table.override_stage(3, [&rig](Context& c) { return connect_and_stage(rig, c); });
    rig.shell.on(k_prepared, 0, reply_of({k_prepared}));
    SECTION("stages 1–6 pass: the standby is kept") {
        run_prepare_pipeline(context, table.stages);
        CHECK(context.report.exit_code == ExitCode::success);
        CHECK(context.state.standby_kept);
        CHECK(rig.shell.ran("/opt/apps/.smo-rollback/app/staged-v1.prepared.tmp"));
        CHECK_FALSE(
            rig.shell.ran("worktree remove --force '/opt/apps/.smo-rollback/app/staged-v1'"));
        CHECK(context.report.seconds == Approx(6.0));
    }
    SECTION("the build fails: no manifest, the staged tree removed") {
        table.override_stage(6,
                             [](Context&) { return StageOutcome::sev1("npm run build: exit 1"); });
        run_prepare_pipeline(context, table.stages);
        CHECK(context.report.exit_code == ExitCode::sev1);
        CHECK_FALSE(context.state.standby_kept);
        CHECK_FALSE(rig.shell.ran(k_prepared));
        CHECK(rig.shell.ran("worktree remove --force '/opt/apps/.smo-rollback/app/staged-v1'"));
    }
    CHECK(rig.shell.ran("rmdir '/opt/apps/.smo-rollback/app.lock'"));
    REQUIRE(context.report.stages.size() == 6);
    for (int n = 7; n <= 12; ++n) {
        CHECK(table.scripted[n - 1]->runs == 0);
    }
}

TEST_CASE("target text loses URL passwords and env-file values before it is reported",
          "[pipeline]") {
    TestRig rig;
    Table table(rig);
    rig.shell.on("cat -- '.env'", 0, "# db\nexport DB_PASSWORD=\"hunter2-horse\"\nPORT=3000\n");
    table.override_stage(3, [](Context& context) {
        context.state.connected = true;
        context.state.paths.live = "/opt/apps/eo-mena";
        return StageOutcome::ok();
    });
    table.override_stage(6, [](Context&) {
        return StageOutcome::sev1(
            "npm run build: exit 1: connect postgres://app:s3cret-pw@db:5432/x "
            "failed (password hunter2-horse)");
    });
    run_pipeline(rig.context(), table.stages);
    const RunReport& report = rig.context().report;
    const std::string expected =
        "npm run build: exit 1: connect postgres://app:<redacted>@db:5432/x failed (password "
        "<redacted>)";
    CHECK(report.failure_reason == expected);
    CHECK(report.stages[5].detail == expected);
    REQUIRE(rig.reporter.finished.size() >= 6);
    CHECK(rig.reporter.finished[5].detail == expected);
    // Read once, and only because something failed.
    CHECK(std::count_if(
              rig.shell.commands.begin(), rig.shell.commands.end(),
              [](const std::string& c) { return c.find("cat --") != std::string::npos; }) == 1);
}

TEST_CASE("a usage error before the target is contacted is neither recorded nor alerted",
          "[pipeline]") {
    TestRig rig;
    Table table(rig);
    table.override_stage(2, [](Context&) {
        return StageOutcome{StageStatus::failed, "--to v9.9.9 is not a tag in the local repository",
                            ExitCode::usage};
    });
    run_pipeline(rig.context(), table.stages);
    const RunReport& report = rig.context().report;
    CHECK(report.exit_code == ExitCode::usage);
    CHECK(table.scripted[10]->runs == 0);
    CHECK(table.scripted[11]->runs == 0);
    CHECK(report.stages[10].status == StageStatus::skipped);
    CHECK(report.stages[11].detail == "not run: nothing was touched");
}

TEST_CASE("a usage error after the target was contacted is still logged", "[pipeline]") {
    TestRig rig;
    Table table(rig);
    table.override_stage(3, [](Context& context) {
        context.state.connected = true;
        return StageOutcome{StageStatus::failed, "--to names a release newer than the live one",
                            ExitCode::usage};
    });
    run_pipeline(rig.context(), table.stages);
    CHECK(rig.context().report.exit_code == ExitCode::usage);
    CHECK(table.scripted[10]->runs == 1);
    CHECK(table.scripted[11]->runs == 1);
}

TEST_CASE("a drill keeps exit 2 for a usage error and records nothing", "[pipeline]") {
    TestRig rig;
    rig.options.dry_run = true;
    Table table(rig);
    table.override_stage(1, [](Context&) {
        return StageOutcome{StageStatus::failed, "no record", ExitCode::usage};
    });
    run_pipeline(rig.context(), table.stages);
    CHECK(rig.context().report.exit_code == ExitCode::usage);
    CHECK(table.scripted[10]->runs == 0);
}
