#include "smo/fleet.hpp"
#include "smo/journal.hpp"
#include "smo/pipeline.hpp"
#include "smo/remote/standby.hpp"
#include "support/fake_reply.hpp"
#include "support/test_context.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <mutex>

using namespace smo;
using smo::remote::k_prepared;
using smo::test::FakeHttpClient;
using smo::test::FakeRemoteShell;
using smo::test::reply_of;
using smo::test::TestRig;

namespace {

const std::string k_from = "c3d4e5f60718293a4b5c6d7e8f90112233445566";
const std::string k_to = "b2c5d82f00112233445566778899aabbccddeeff";

// What each host did, in order, across the host threads: "3 web-1", "7 web-2".
struct Journal {
    std::mutex lock;
    std::vector<std::string> lines;

    void add(int number, const Context& context) {
        const std::lock_guard<std::mutex> hold(lock);
        lines.push_back(std::to_string(number) + " " + context.report.target_label);
    }
    int count(const std::string& prefix) {
        return static_cast<int>(std::count_if(
            lines.begin(), lines.end(), [&](const auto& l) { return l.rfind(prefix, 0) == 0; }));
    }
    // Index of the first / last line starting with `prefix`, -1 when none.
    int first(const std::string& prefix) {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].rfind(prefix, 0) == 0) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }
    int last(const std::string& prefix) {
        int found = -1;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            found = lines[i].rfind(prefix, 0) == 0 ? static_cast<int>(i) : found;
        }
        return found;
    }
};

using Body = std::function<StageOutcome(Context&)>;

class ScriptedStage : public Stage {
  public:
    explicit ScriptedStage(Body body) : m_body(std::move(body)) {}
    StageOutcome run(Context& context) override { return m_body(context); }
    StagePlan plan(const Context&) const override { return {}; }

  private:
    Body m_body;
};

// Two or three hosts; stages that behave like the real ones as far as the
// runner can see (readings, lock, switch, green), journal what ran where,
// and fail where a test says.
struct Fleet {
    TestRig rig;
    Journal journal;
    std::vector<std::unique_ptr<FakeRemoteShell>> shells;
    std::vector<std::unique_ptr<FakeHttpClient>> clients;
    std::map<std::string, std::string> served; // host → commit at stage 1
    std::map<std::pair<int, std::string>, StageOutcome> failures;
    // host → the interrupted rollback stage 3 finds in its journal.
    std::map<std::string, journal::Journal> journals;

    explicit Fleet(const std::vector<std::string>& names) {
        for (const auto& name : names) {
            FleetHost host{name, rig.config.env};
            host.env.path = "/opt/apps/" + name + "/eo-mena";
            rig.config.hosts.push_back(host);
            shells.push_back(std::make_unique<FakeRemoteShell>());
            clients.push_back(std::make_unique<FakeHttpClient>());
            served[name] = k_from;
        }
        rig.config.env = rig.config.hosts.front().env;
    }

    StageOutcome act(int number, Context& context) {
        journal.add(number, context);
        auto& state = context.state;
        if (number == 1) {
            context.report.from_tag = "v1.4.2";
            context.report.from_commit = k_from;
            context.report.to_tag = "v1.4.1";
            context.report.to_commit = k_to;
            for (const auto& host : context.config.hosts) {
                state.host_readings.push_back({host.name, served[host.name], true});
            }
        }
        const auto failure = failures.find({number, context.report.target_label});
        if (failure != failures.end()) {
            return failure->second;
        }
        const auto journaled = journals.find(context.report.target_label);
        if (number == 3 && journaled != journals.end()) {
            const journal::Journal& j = journaled->second;
            context.report.from_tag = j.from_tag;
            context.report.from_commit = j.from_commit;
            context.report.to_tag = j.to_tag;
            context.report.to_commit = j.to_commit;
            state.journal = j;
            state.journal_open = true;
            state.resuming = true;
        }
        if (number == 3) {
            state.connected = true;
            state.lock_held = true;
            state.live_commit =
                served[context.report.target_label] == k_to ? k_to : context.report.from_commit;
            state.paths = remote_paths_for(context.env().path, "v1.4.2", "v1.4.1");
        } else if (number == 8) {
            state.live_changed = true;
            state.reloaded = true;
        } else if (number == 10) {
            context.report.health_summary = "200 OK (commit matched)";
            context.report.seconds = 30 + context.report.target_label.size();
            state.last_served_commit = context.report.to_commit;
        }
        return StageOutcome::ok();
    }

    void fail(int number, const std::string& host, StageOutcome outcome) {
        failures[{number, host}] = std::move(outcome);
    }

    const RunReport& run() {
        std::vector<std::unique_ptr<Stage>> stages;
        for (int n = 1; n <= k_stage_count; ++n) {
            stages.push_back(
                std::make_unique<ScriptedStage>([this, n](Context& c) { return act(n, c); }));
        }
        std::vector<FleetHostPorts> ports;
        for (std::size_t i = 0; i < shells.size(); ++i) {
            SshTarget target = rig.target;
            target.label = rig.config.hosts[i].name;
            ports.push_back({*shells[i], *clients[i], target});
        }
        run_fleet(rig.context(), stages, ports);
        return rig.context().report;
    }

    const HostOutcome& host(const std::string& name) {
        const auto& hosts = rig.context().report.hosts;
        const auto found = std::find_if(hosts.begin(), hosts.end(),
                                        [&](const HostOutcome& h) { return h.name == name; });
        REQUIRE(found != hosts.end());
        return *found;
    }
};

} // namespace

TEST_CASE("fleet: every host is locked before any host stages, all stage before the migration "
          "runs once, then every host switches",
          "[fleet]") {
    Fleet fleet({"web-1", "web-2", "web-3"});
    fleet.rig.config.env.rollback.migrations_host = "web-2";
    for (auto& host : fleet.rig.config.hosts) {
        host.env.rollback.migrations_host = "web-2";
    }
    const RunReport& report = fleet.run();
    auto& journal = fleet.journal;
    CHECK(journal.count("1 ") == 1);
    CHECK(journal.count("2 ") == 1);
    CHECK(journal.count("3 ") == 3);
    CHECK(journal.last("3 ") < journal.first("4 "));
    CHECK(journal.count("6 ") == 3);
    CHECK(journal.last("6 ") < journal.first("7 "));
    REQUIRE(journal.count("7 ") == 1);
    CHECK(journal.lines[journal.first("7 ")] == "7 web-2");
    CHECK(journal.first("7 ") < journal.first("8 "));
    CHECK(journal.count("8 ") == 3);
    CHECK(journal.count("10 ") == 3);
    CHECK(journal.count("11 ") == 1);
    CHECK(journal.count("12 ") == 1);
    CHECK(report.exit_code == ExitCode::success);
    REQUIRE(report.hosts.size() == 3);
    for (const auto& host : report.hosts) {
        CHECK(host.outcome == "switched");
        CHECK(host.served_commit == k_to);
    }
    CHECK(report.seconds == Approx(35.0)); // the slowest host's green
    CHECK(report.health_summary == "3/3 hosts 200 OK (commit matched)");
    REQUIRE(report.stages.size() == 12);
    CHECK(report.stages[6].status == StageStatus::ok);
    // Every lock released, each on its own host.
    for (std::size_t i = 0; i < fleet.shells.size(); ++i) {
        CHECK(fleet.shells[i]->ran("/opt/apps/" + fleet.rig.config.hosts[i].name +
                                   "/.smo-rollback/eo-mena.lock"));
    }
}

TEST_CASE("fleet: a host whose previous release does not build stops the fleet before any "
          "switch, named, with every lock released",
          "[fleet]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.fail(6, "web-2", StageOutcome::sev1("npm run build: exit 1"));
    const RunReport& report = fleet.run();
    CHECK(fleet.journal.count("6 ") == 2);
    CHECK(fleet.journal.count("7 ") == 0);
    CHECK(fleet.journal.count("8 ") == 0);
    CHECK(fleet.journal.count("11 ") == 1);
    CHECK(report.exit_code == ExitCode::sev1);
    CHECK(report.failed_stage == "build");
    CHECK(report.failure_reason == "web-2: npm run build: exit 1");
    CHECK(fleet.host("web-2").outcome == "failed at build");
    CHECK(fleet.host("web-1").outcome == "not switched");
    CHECK(fleet.host("web-1").detail == "v1.4.2 (c3d4e5f) unchanged");
    CHECK(report.stages[5].status == StageStatus::failed);
    CHECK(report.stages[7].detail == "not run");
    for (const auto& shell : fleet.shells) {
        CHECK(shell->ran(".smo-rollback/eo-mena.lock"));
    }
}

TEST_CASE("fleet: a host that cannot be locked stops the fleet before any host stages", "[fleet]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.fail(3, "web-1", StageOutcome::halt("the target is locked by ana@laptop"));
    const RunReport& report = fleet.run();
    CHECK(fleet.journal.count("3 ") == 2);
    CHECK(fleet.journal.count("4 ") == 0);
    CHECK(report.exit_code == ExitCode::halted);
    CHECK(report.failure_reason == "web-1: the target is locked by ana@laptop");
    CHECK(fleet.host("web-2").outcome == "not switched");
}

TEST_CASE("fleet: a host failing health after the switch is SEV1 and named and the others switched",
          "[fleet]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.fail(10, "web-1", StageOutcome::sev1("not healthy within 60s"));
    const RunReport& report = fleet.run();
    CHECK(fleet.journal.count("8 ") == 2);
    CHECK(report.exit_code == ExitCode::sev1);
    CHECK(report.failed_stage == "health-check");
    CHECK(report.failure_reason == "web-1: not healthy within 60s");
    CHECK(fleet.host("web-1").outcome == "failed at health-check");
    CHECK(fleet.host("web-2").outcome == "switched");
}

TEST_CASE("fleet: a reload failure after the switch began is SEV1 even when the stage says exit 5",
          "[fleet]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.fail(8, "web-2", StageOutcome::fail("pm2 reload: exit 1"));
    const RunReport& report = fleet.run();
    CHECK(report.exit_code == ExitCode::sev1);
    CHECK(report.failure_reason == "web-2: pm2 reload: exit 1");
}

TEST_CASE("fleet: a host already serving the to-commit is verified (3, 10) and left alone and the "
          "migration runs on a host that still holds the down migrations",
          "[fleet]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.served["web-1"] = k_to; // a deploy that stopped half-way
    const RunReport& report = fleet.run();
    auto& journal = fleet.journal;
    CHECK(journal.count("3 web-1") == 1);
    CHECK(journal.count("4 web-1") == 0);
    CHECK(journal.count("8 web-1") == 0);
    CHECK(journal.count("10 web-1") == 1);
    REQUIRE(journal.count("7 ") == 1);
    CHECK(journal.lines[journal.first("7 ")] == "7 web-2");
    CHECK(journal.count("8 web-2") == 1);
    CHECK(report.exit_code == ExitCode::success);
    CHECK(fleet.host("web-1").outcome == "already on the to-release");
    // Its stage 3 checked the live HEAD against the to-commit, not the from.
    CHECK(fleet.host("web-1").from_commit == k_to);
    CHECK(fleet.host("web-2").outcome == "switched");
    CHECK(fleet.host("web-2").from_commit == k_from);
    // The default migrations host (the first) was passed over, and it says so.
    CHECK(std::find(report.warnings.begin(), report.warnings.end(),
                    "the migrations host web-1 already runs the to-release; the down migration "
                    "runs on web-2") != report.warnings.end());
}

TEST_CASE("fleet: stages 1–2 failing contacts no host; every host is named as not reached",
          "[fleet]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.fail(2, "eo-prod", StageOutcome::halt("This migration is irreversible."));
    const RunReport& report = fleet.run();
    CHECK(fleet.journal.count("3 ") == 0);
    CHECK(fleet.journal.count("11 ") == 1);
    CHECK(report.exit_code == ExitCode::halted);
    REQUIRE(report.hosts.size() == 2);
    CHECK(report.hosts[0].outcome == "not reached");
    for (const auto& shell : fleet.shells) {
        CHECK(shell->commands.empty());
    }
}

TEST_CASE("fleet: at most rollback.parallel hosts at a time; 1 runs them one after the other",
          "[fleet]") {
    Fleet fleet({"web-1", "web-2", "web-3"});
    fleet.rig.config.env.rollback.parallel = 1;
    fleet.run();
    auto& lines = fleet.journal.lines;
    const std::vector<std::string> expected{"4 web-1", "5 web-1", "6 web-1", "4 web-2", "5 web-2",
                                            "6 web-2", "4 web-3", "5 web-3", "6 web-3"};
    const auto start = lines.begin() + fleet.journal.first("4 ");
    CHECK(std::vector<std::string>(start, start + 9) == expected);
}

TEST_CASE("fleet: a drill goes through every host and names each as checked", "[fleet]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.rig.options.dry_run = true;
    const RunReport& report = fleet.run();
    CHECK(report.exit_code == ExitCode::success);
    CHECK(fleet.journal.count("6 ") == 2);
    CHECK(fleet.journal.count("7 ") == 1);
    CHECK(fleet.journal.count("10 ") == 2);
    CHECK(fleet.host("web-1").outcome == "checked (drill)");
    CHECK(fleet.host("web-2").outcome == "checked (drill)");
}

TEST_CASE("fleet: a drill finding on one host is the drill's verdict, named", "[fleet]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.rig.options.dry_run = true;
    fleet.fail(5, "web-2", StageOutcome::fail("npm ci: exit 1"));
    const RunReport& report = fleet.run();
    CHECK(report.exit_code == ExitCode::drill_failed);
    CHECK(report.failure_reason == "web-2: npm ci: exit 1");
    CHECK(fleet.journal.count("7 ") == 0);
}

TEST_CASE("fleet: prepare stages every host and keeps each host's standby, switching none",
          "[fleet][prepare]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.rig.context().report.kind = RunKind::prepare;
    for (auto& shell : fleet.shells) {
        shell->on(k_prepared, 0, reply_of({k_prepared}));
    }
    const RunReport& report = fleet.run();
    CHECK(report.exit_code == ExitCode::success);
    CHECK(fleet.journal.count("6 ") == 2);
    CHECK(fleet.journal.count("7 ") == 0);
    CHECK(fleet.journal.count("8 ") == 0);
    CHECK(fleet.journal.count("11 ") == 0);
    for (auto& shell : fleet.shells) {
        CHECK(shell->ran(k_prepared));
    }
    CHECK(fleet.host("web-1").outcome == "standby kept (prepare)");
    CHECK(fleet.host("web-2").outcome == "standby kept (prepare)");
    CHECK_FALSE(report.standby_path.empty());
}

TEST_CASE("fleet: prepare failing on one host is named; the other keeps its standby",
          "[fleet][prepare]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.rig.context().report.kind = RunKind::prepare;
    for (auto& shell : fleet.shells) {
        shell->on(k_prepared, 0, reply_of({k_prepared}));
    }
    fleet.fail(5, "web-2", StageOutcome::fail("npm ci: exit 1"));
    const RunReport& report = fleet.run();
    CHECK(report.exit_code != ExitCode::success);
    CHECK(report.failure_reason == "web-2: npm ci: exit 1");
    CHECK(fleet.shells[0]->ran(k_prepared));
    CHECK_FALSE(fleet.shells[1]->ran(k_prepared));
    CHECK(fleet.journal.count("8 ") == 0);
}

TEST_CASE("fleet: the plan names every host and the migrations host", "[fleet][plan]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.rig.config.env.rollback.migrations_host = "web-2";
    std::vector<SshTarget> targets(2, fleet.rig.target);
    targets[1].address = "100.89.1.2";
    targets[1].port = 2222;
    const std::string plan = render_fleet_plan(fleet.rig.config, targets);
    CHECK_THAT(plan, Catch::Contains("  web-1  deploy@100.89.148.62:22 /opt/apps/web-1/eo-mena, "
                                     "pm2 eo-main"));
    CHECK_THAT(plan, Catch::Contains("  web-2  deploy@100.89.1.2:2222 /opt/apps/web-2/eo-mena"));
    CHECK_THAT(plan, Catch::Contains("the down migration once, on web-2\n"));
}

TEST_CASE("fleet: the planned hosts carry each host's target and the migrations host",
          "[fleet][plan]") {
    Fleet fleet({"web-1", "web-2"});
    std::vector<SshTarget> targets(2, fleet.rig.target);
    targets[1].address = "100.89.1.2";
    targets[1].port = 2222;
    auto planned = plan_fleet_hosts(fleet.rig.config, targets);
    REQUIRE(planned.size() == 2);
    CHECK(planned[0].name == "web-1");
    CHECK(planned[0].runs_migrations); // the first host by default
    CHECK(planned[0].path == "/opt/apps/web-1/eo-mena");
    CHECK(planned[1].address == "100.89.1.2");
    CHECK(planned[1].port == 2222);
    CHECK(planned[1].user == fleet.rig.target.user);
    CHECK(planned[1].pm2_name == fleet.rig.config.hosts[1].env.pm2_name);
    CHECK(planned[1].health_url == fleet.rig.config.hosts[1].env.health_url);
    CHECK_FALSE(planned[1].runs_migrations);
    fleet.rig.config.env.rollback.migrations_host = "web-2";
    planned = plan_fleet_hosts(fleet.rig.config, targets);
    CHECK_FALSE(planned[0].runs_migrations);
    CHECK(planned[1].runs_migrations);
}

namespace {

const std::string k_newer = "e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5";

// A rollback v1.4.3 → v1.4.2 (k_newer → k_from) cut short after its switch
// began; `migrated`: its journal says the down migration is done.
journal::Journal interrupted(bool migrated) {
    journal::Journal j;
    j.present = true;
    j.valid = true;
    j.from_tag = "v1.4.3";
    j.from_commit = k_newer;
    j.to_tag = "v1.4.2";
    j.to_commit = k_from;
    if (migrated) {
        j.done = {"db_rollback"};
    }
    return j;
}

} // namespace

TEST_CASE("fleet: hosts that resume an interrupted rollback finish that pair, not stage 1's",
          "[fleet][resume]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.rig.config.env.rollback.migrations_host = "web-2";
    fleet.journals["web-1"] = interrupted(true);
    fleet.journals["web-2"] = interrupted(false);
    const RunReport& report = fleet.run();
    INFO(report.failure_reason);
    CHECK(report.exit_code == ExitCode::success);
    CHECK(report.from_tag == "v1.4.3");
    CHECK(report.to_tag == "v1.4.2");
    CHECK(report.to_commit == k_from);
    // Stage 7 reads the journal of the host whose switch already migrated.
    CHECK(fleet.journal.count("7 web-1") == 1);
    CHECK(fleet.journal.count("7 web-2") == 0);
    CHECK(fleet.journal.count("8 ") == 2);
    CHECK(fleet.host("web-1").outcome == k_host_switched);
    CHECK(fleet.host("web-2").outcome == k_host_switched);
}

TEST_CASE("fleet: a resuming host already on the to-commit follows its journal; the other "
          "switches",
          "[fleet][resume]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.served["web-1"] = k_to; // its interrupted switch reloaded
    journal::Journal j = interrupted(true);
    j.from_tag = "v1.4.2";
    j.from_commit = k_from;
    j.to_tag = "v1.4.1";
    j.to_commit = k_to;
    fleet.journals["web-1"] = j;
    fleet.rig.options.auto_mode = true; // no question may be asked
    const RunReport& report = fleet.run();
    INFO(report.failure_reason);
    CHECK(report.exit_code == ExitCode::success);
    CHECK(report.to_tag == "v1.4.1");
    CHECK(fleet.journal.count("7 web-1") == 1);
    CHECK(fleet.journal.count("7 web-2") == 0);
    CHECK(fleet.journal.count("8 web-1") == 1); // not left alone: its journal is finished
    CHECK(fleet.journal.count("8 web-2") == 1);
}

TEST_CASE("fleet: every host on the to-release with one journal: the others are left alone",
          "[fleet][resume]") {
    Fleet fleet({"web-1", "web-2"});
    fleet.served["web-1"] = k_from;
    fleet.served["web-2"] = k_from;
    fleet.journals["web-1"] = interrupted(true);
    const RunReport& report = fleet.run();
    INFO(report.failure_reason);
    CHECK(report.exit_code == ExitCode::success);
    CHECK(report.from_tag == "v1.4.3");
    CHECK(fleet.journal.count("8 web-1") == 1);
    CHECK(fleet.journal.count("8 web-2") == 0);
    CHECK(fleet.host("web-2").outcome == k_host_already);
}
