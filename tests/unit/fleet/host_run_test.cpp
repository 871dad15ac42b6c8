#include "fleet/host_run.hpp"
#include "support/test_context.hpp"

#include <catch2/catch.hpp>
#include <mutex>

using namespace smo;
using namespace smo::test;

TEST_CASE("host run: a host shares the run's facts and starts its own target state empty",
          "[fleet]") {
    TestRig rig;
    Context& lead = rig.context();
    lead.report.from_tag = "v1.4.2";
    lead.report.to_tag = "v1.4.1";
    lead.state.migration_plan = MigrationPlan::run_auto;
    lead.state.added_migrations = {"db/migrations/003_flags.up.sql"};
    lead.state.stop_unless_resumed = "no earlier good release";
    lead.state.served_commit = "c3d4e5f";
    // Target-side state the lead must never hand on (stage 2 names the
    // first host's paths; a lead that ever connected would hold the rest).
    lead.state.paths = remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1");
    lead.state.connected = true;
    lead.state.lock_held = true;
    lead.state.staged = true;
    lead.state.build_outputs = {"dist"};
    lead.state.journal_open = true;
    lead.state.secret_values = std::vector<std::string>{"s3cret"};

    FleetHost host{"web-2", rig.config.env};
    host.env.path = "/opt/apps/web-2/eo-mena";
    FakeRemoteShell shell;
    FakeHttpClient http;
    std::mutex output;
    const fleet::HostRun run(lead, host, HostReading{"web-2", "b2c5d82", true},
                             FleetHostPorts{shell, http, rig.target}, output);

    const RunState& state = run.context.state;
    CHECK(state.migration_plan == MigrationPlan::run_auto);
    CHECK(state.added_migrations == lead.state.added_migrations);
    CHECK(state.stop_unless_resumed == "no earlier good release");
    CHECK(state.served_commit == "b2c5d82"); // this host's reading, not the lead's
    CHECK_FALSE(state.served_healthy);
    CHECK(state.paths.live.empty());
    CHECK_FALSE(state.connected);
    CHECK_FALSE(state.lock_held);
    CHECK_FALSE(state.staged);
    CHECK(state.build_outputs.empty());
    CHECK_FALSE(state.journal_open);
    CHECK_FALSE(state.secret_values.has_value());
    CHECK(run.context.report.target_label == "web-2");
    CHECK(run.context.env().path == "/opt/apps/web-2/eo-mena");
}
