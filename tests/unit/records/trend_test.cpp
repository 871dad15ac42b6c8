#include "smo/records/trend.hpp"
#include "support/sample_report.hpp"

#include <catch2/catch.hpp>

using smo::parse_trend;
using smo::render_trend_row;
using smo::test::sample_report;

TEST_CASE("trend header is the one docs/records.md names", "[trend]") {
    CHECK(smo::k_trend_header ==
          "date,time_utc,project,env,kind,from_tag,to_tag,to_commit,outcome,exit_code,seconds,"
          "sla_seconds,within_sla,failed_stage,triggered_by,stage_seconds");
}

TEST_CASE("trend row of a rollback", "[trend]") {
    CHECK(render_trend_row(sample_report()) ==
          "2026-04-19,03:12:09,eo-mena,production,rollback,v1.4.2,v1.4.1,"
          "b2c5d82aa1b2c3d4e5f60718293a4b5c6d7e8f90,success,0,74.2,90,true,,"
          "/smo-deploy --auto (health check failed),"
          "s1:0.4;s2:0.3;s3:0.6;s4:2.1;s5:31.5;s6:18.2;s7:0.0;s8:1.9;s9:6.0;s10:6.4\n");
}

TEST_CASE("trend row quotes what needs quoting and leaves out stages 11 and 12", "[trend]") {
    auto report = smo::test::stopped_report(smo::ExitCode::halted, 2, "lock held");
    report.triggered_by = "ops, \"night\" shift";
    report.seconds = 1.26;
    smo::StageReport log;
    log.number = 11;
    log.name = "log";
    report.stages.push_back(log);
    CHECK(render_trend_row(report) ==
          "2026-04-19,03:12:09,eo-mena,production,rollback,v1.4.2,v1.4.1,"
          "b2c5d82aa1b2c3d4e5f60718293a4b5c6d7e8f90,halted,3,1.3,90,true,preflight,"
          "\"ops, \"\"night\"\" shift\",s1:0.4;s2:0.3\n");
}

TEST_CASE("trend row leaves out stages that never ran", "[trend]") {
    auto report = smo::test::stopped_report(smo::ExitCode::failed, 2, "x");
    smo::StageReport placeholder;
    placeholder.number = 3;
    placeholder.name = "ssh-connect";
    placeholder.status = smo::StageStatus::skipped;
    placeholder.detail = "not run";
    report.stages.push_back(placeholder);
    CHECK(smo::render_stage_seconds(report) == "s1:0.4;s2:0.3");
}

TEST_CASE("trend row of a drill holds the prediction and the verdict", "[trend]") {
    auto report = sample_report();
    report.kind = smo::RunKind::drill;
    report.seconds = 60.0;
    report.predicted_seconds = 95.5;
    report.prediction_basis = "defaults";
    report.stages.resize(6);
    const std::string row = render_trend_row(report);
    CHECK(row == "2026-04-19,03:12:09,eo-mena,production,drill,v1.4.2,v1.4.1,"
                 "b2c5d82aa1b2c3d4e5f60718293a4b5c6d7e8f90,drill_failed,6,95.5,90,false,,"
                 "/smo-deploy --auto (health check failed),"
                 "s1:0.4;s2:0.3;s3:0.6;s4:2.1;s5:31.5;s6:18.2\n");
    report.predicted_seconds = 50;
    CHECK_THAT(render_trend_row(report), Catch::Contains(",success,0,50.0,90,true,"));
}

TEST_CASE("trend rows read back, by column name", "[trend]") {
    auto halted = smo::test::stopped_report(smo::ExitCode::halted, 2, "x");
    halted.triggered_by = "a,b\nc";
    const std::string text = std::string(smo::k_trend_header) + "\n" +
                             render_trend_row(sample_report()) + render_trend_row(halted);
    const auto rows = parse_trend(text);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].date == "2026-04-19");
    CHECK(rows[0].time_utc == "03:12:09");
    CHECK(rows[0].kind == "rollback");
    CHECK(rows[0].env == "production");
    CHECK(rows[0].outcome == "success");
    CHECK(rows[0].exit_code == 0);
    CHECK(rows[0].seconds == Approx(74.2));
    CHECK(rows[0].sla_seconds == 90);
    CHECK(rows[0].within_sla);
    CHECK(rows[0].stage_seconds.size() == 10);
    CHECK(rows[0].stage_seconds.at(5) == Approx(31.5));
    CHECK(rows[0].stage_seconds.at(10) == Approx(6.4));
    CHECK(rows[1].outcome == "halted");
    CHECK(rows[1].failed_stage == "preflight");
    CHECK(rows[1].triggered_by == "a,b\nc");

    // Reordered and extra columns, a broken row, a blank line.
    const auto other = parse_trend("note,kind,env,outcome,exit_code,seconds,sla_seconds,"
                                   "stage_seconds\nhi,rollback,staging,success,0,12.5,60,"
                                   "s8:2;s9:bad;x:1;s10:3.5\n\nbroken,rollback,staging,success,"
                                   "zero,1,60,\n");
    REQUIRE(other.size() == 1);
    CHECK(other[0].env == "staging");
    CHECK(other[0].seconds == Approx(12.5));
    CHECK(other[0].stage_seconds == std::map<int, double>{{8, 2.0}, {10, 3.5}});
    CHECK(parse_trend("").empty());
}
