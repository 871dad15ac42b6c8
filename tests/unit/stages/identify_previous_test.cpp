#include "stage_fixture.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;

namespace {

const std::string k_v140 = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";

void record(TestRig& rig, const std::string& date, const std::string& tag,
            const std::string& commit, const std::string& status = "success") {
    rig.files.files["/repo/docs/deploys/" + date + "-" + tag + ".md"] =
        "---\ntag: " + tag + "\ncommit: " + commit.substr(0, 7) +
        "\nenv: production\nstatus: " + status + "\n---\n# Deploy " + tag + "\n";
    rig.git.commits[tag] = commit; // a real release: its tag resolves locally
}

void three_deploys(TestRig& rig) {
    record(rig, "2026-04-01", "v1.4.0", k_v140);
    record(rig, "2026-04-10", "v1.4.1", k_to_commit);
    record(rig, "2026-04-18", "v1.4.2", k_from_commit);
}

StageOutcome run_stage(TestRig& rig) {
    return make_identify_previous_stage()->run(rig.context());
}

} // namespace

TEST_CASE("identify-previous: the served commit is current, the record before it is the target",
          "[stages][identify-previous]") {
    TestRig rig;
    three_deploys(rig);
    rig.http.reply(200, health_body(k_from_commit));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    const RunReport& report = rig.context().report;
    CHECK(report.from_tag == "v1.4.2");
    CHECK(report.from_commit == k_from_commit.substr(0, 7));
    CHECK(report.to_tag == "v1.4.1");
    CHECK(report.to_commit == k_to_commit.substr(0, 7));
    CHECK(rig.context().state.served_commit == k_from_commit.substr(0, 7));
    REQUIRE(rig.http.requests.size() == 1);
    CHECK(rig.http.requests[0].method == "GET");
    CHECK(rig.http.requests[0].url == rig.config.env.health_url);
    CHECK(outcome.detail.find("app reports c3d4e5f") != std::string::npos);
    CHECK(rig.shell.commands.empty());
}

TEST_CASE("identify-previous: an unreachable app leaves the records to say what runs",
          "[stages][identify-previous]") {
    TestRig rig;
    three_deploys(rig);
    rig.http.reply_unreachable();
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.context().report.from_tag == "v1.4.2");
    CHECK(rig.context().report.to_tag == "v1.4.1");
    CHECK(rig.context().state.served_commit.empty());
    CHECK(outcome.detail.find("unreachable") != std::string::npos);
}

TEST_CASE("identify-previous: an unreadable record is named and skipped",
          "[stages][identify-previous]") {
    TestRig rig;
    three_deploys(rig);
    rig.files.files["/repo/docs/deploys/2026-04-05-broken.md"] =
        "---\ntag: \"v1;reboot\"\ncommit: abcdef0\n---\n";
    rig.http.reply(200, health_body(k_from_commit));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    REQUIRE(rig.reporter.warnings.size() == 1);
    CHECK(rig.reporter.warnings[0].find("2026-04-05-broken.md") != std::string::npos);
    CHECK(rig.context().report.warnings == rig.reporter.warnings);
}

TEST_CASE("identify-previous: no records and no --to is a usage error naming docs/deploys",
          "[stages][identify-previous]") {
    TestRig rig;
    rig.http.reply(200, health_body(k_from_commit));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::failed);
    CHECK(outcome.exit_code == ExitCode::usage);
    CHECK(outcome.detail.find("/repo/docs/deploys") != std::string::npos);
}

TEST_CASE("identify-previous: --to works without records", "[stages][identify-previous]") {
    TestRig rig;
    rig.options.to_tag = "v1.4.1";
    rig.http.reply(200, health_body(k_from_commit));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    const RunReport& report = rig.context().report;
    CHECK(report.from_tag.empty());
    CHECK(report.from_commit == k_from_commit.substr(0, 7));
    CHECK(report.to_tag == "v1.4.1");
    CHECK(report.to_commit.empty()); // preflight resolves it locally
    CHECK(rig.reporter.warnings.size() == 1);
}

TEST_CASE("identify-previous: a served commit without a record is named by its local tag",
          "[stages][identify-previous]") {
    TestRig rig;
    three_deploys(rig);
    const std::string v143 = "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3";
    rig.git.commits["v1.4.3"] = v143;
    rig.http.reply(200, R"({"status":"ok","commit":")" + v143 + R"("})");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.context().report.from_tag == "v1.4.3");
    CHECK(rig.context().report.from_commit == v143);
    CHECK(rig.context().report.to_tag == "v1.4.2");
    REQUIRE(rig.reporter.warnings.size() == 1);
    CHECK(rig.reporter.warnings[0].find("v1.4.3") != std::string::npos);
}

TEST_CASE("identify-previous: a served commit nothing explains halts naming both commits",
          "[stages][identify-previous]") {
    TestRig rig;
    three_deploys(rig);
    rig.http.reply(200, R"({"status":"ok","commit":"eeeeeee"})");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::failed);
    CHECK(outcome.exit_code == ExitCode::halted);
    CHECK(outcome.detail.find("eeeeeee") != std::string::npos);
    CHECK(outcome.detail.find("v1.4.2 (c3d4e5f)") != std::string::npos);
    CHECK(outcome.detail.find("--to") != std::string::npos);
}

TEST_CASE("identify-previous: --to is validated and must differ from what runs",
          "[stages][identify-previous]") {
    TestRig rig;
    three_deploys(rig);
    rig.http.reply(200, health_body(k_from_commit));
    SECTION("not a tag name") {
        rig.options.to_tag = "v1;reboot";
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::usage);
        CHECK(outcome.detail.find("not a valid tag name") != std::string::npos);
    }
    SECTION("the current release") {
        rig.options.to_tag = "v1.4.2";
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::usage);
        CHECK(outcome.detail.find("already running") != std::string::npos);
    }
    SECTION("an older release, commit taken from the records") {
        rig.options.to_tag = "v1.4.0";
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.status == StageStatus::ok);
        CHECK(rig.context().report.to_tag == "v1.4.0");
        CHECK(rig.context().report.to_commit == k_v140.substr(0, 7));
    }
}

TEST_CASE("identify-previous: a tag rolled back from is skipped, or warned about with --to",
          "[stages][identify-previous]") {
    TestRig rig;
    record(rig, "2026-04-01", "v1.4.0", k_v140);
    record(rig, "2026-04-10", "v1.4.1", k_to_commit);
    rig.files.files["/repo/docs/deploys/2026-04-12-rollback-v1.4.1-to-v1.4.0.md"] =
        "---\nkind: rollback\nenv: production\nfrom_tag: v1.4.1\nto_tag: v1.4.0\ncommit: " +
        k_v140.substr(0, 7) + "\noutcome: success\n---\n";
    record(rig, "2026-04-18", "v1.4.2", k_from_commit);
    rig.http.reply(200, health_body(k_from_commit));
    SECTION("computed") {
        CHECK(run_stage(rig).status == StageStatus::ok);
        CHECK(rig.context().report.to_tag == "v1.4.0");
    }
    SECTION("forced") {
        rig.options.to_tag = "v1.4.1";
        CHECK(run_stage(rig).status == StageStatus::ok);
        REQUIRE(rig.reporter.warnings.size() == 1);
        CHECK(rig.reporter.warnings[0].find("known bad") != std::string::npos);
    }
}

TEST_CASE("identify-previous: a single release has no previous one",
          "[stages][identify-previous]") {
    TestRig rig;
    record(rig, "2026-04-18", "v1.4.2", k_from_commit);
    rig.http.reply(200, health_body(k_from_commit));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::usage);
    CHECK(outcome.detail.find("--to") != std::string::npos);
}

TEST_CASE("identify-previous: a record whose tag does not resolve locally is skipped, named",
          "[stages][identify-previous]") {
    TestRig rig;
    three_deploys(rig);
    // Meeting notes named like a record, newer than v1.4.1, older than v1.4.2.
    rig.files.files["/repo/docs/deploys/2026-04-15-hotfix-notes.md"] =
        "# Hotfix call notes\n\n- ship the fix in the next release\n";
    rig.http.reply(200, health_body(k_from_commit));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.context().report.to_tag == "v1.4.1");
    REQUIRE(rig.reporter.warnings.size() == 1);
    CHECK(rig.reporter.warnings[0] ==
          "skipped /repo/docs/deploys/2026-04-15-hotfix-notes.md: tag hotfix-notes does not "
          "resolve in the local repository (not a release?); taking the next candidate");

    SECTION("nothing real left: no previous release") {
        rig.git.commits.erase("v1.4.1");
        rig.git.commits.erase("v1.4.0");
        rig.reporter.warnings.clear();
        const StageOutcome none = run_stage(rig);
        CHECK(none.exit_code == ExitCode::usage);
        CHECK(rig.reporter.warnings.size() == 3);
    }
}

TEST_CASE("identify-previous: an older release served with nothing before it waits for stage 3",
          "[stages][identify-previous]") {
    // Two releases; the app already serves v1.4.1 though the newest deploy is
    // v1.4.2: a rollback to v1.4.1 may have been cut short after its switch.
    TestRig rig;
    record(rig, "2026-04-10", "v1.4.1", k_to_commit);
    record(rig, "2026-04-18", "v1.4.2", k_from_commit);
    rig.http.reply(200, health_body(k_to_commit));
    SECTION("without --to") {}
    SECTION("with --to naming the release served") {
        rig.options.to_tag = "v1.4.1";
    }
    const StageOutcome outcome = run_stage(rig);
    INFO(outcome.detail);
    CHECK(outcome.status == StageStatus::ok);
    const RunReport& report = rig.context().report;
    CHECK(report.from_tag == "v1.4.2");
    CHECK(report.to_tag == "v1.4.1");
    CHECK(outcome.detail.find("stage 3 looks for an interrupted rollback") != std::string::npos);
    const std::string& stop = rig.context().state.stop_unless_resumed;
    CHECK((stop.find("no earlier good release") != std::string::npos ||
           stop.find("--to v1.4.1 is the release already running") != std::string::npos));
}

TEST_CASE("identify-previous: the newest release served with nothing before it stops at once",
          "[stages][identify-previous]") {
    TestRig rig;
    record(rig, "2026-04-10", "v1.4.1", k_to_commit);
    record(rig, "2026-04-18", "v1.4.2", k_from_commit);
    rig.http.reply(200, health_body(k_to_commit));
    rig.files.files.erase("/repo/docs/deploys/2026-04-18-v1.4.2.md");
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::failed);
    CHECK(outcome.exit_code == ExitCode::usage);
    CHECK(outcome.detail.find("no earlier good release") != std::string::npos);
    CHECK(rig.context().state.stop_unless_resumed.empty());
}
