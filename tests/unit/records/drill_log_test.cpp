#include "smo/records/drill_log.hpp"
#include "support/sample_report.hpp"

#include <catch2/catch.hpp>

using smo::drill_log_append;
using smo::render_drill_section;
using smo::replace_drill_section;

namespace {

smo::RunReport drill_report() {
    auto report = smo::test::sample_report();
    report.kind = smo::RunKind::drill;
    report.triggered_by = "operator";
    report.seconds = 55.1;
    report.stages.resize(10);
    report.stages[6].detail = "would skip: no migrations added";
    report.stages[7].detail = "pm2 process eo-main online";
    report.stages[9].detail = "200 OK, serving c0ffee1 (current)";
    report.predicted_seconds = 66.6;
    report.prediction_basis = "stages 1–6 measured; reload, settle, health: median of 3 past "
                              "rollbacks";
    report.log_path = "docs/drill-log.md";
    return report;
}

} // namespace

TEST_CASE("drill log section: facts, prediction, verdict, checks", "[drill-log]") {
    const std::string expected =
        "## 2026-04-19 03:12:09 UTC — production drill: PASS\n"
        "\n"
        "- Project: eo-mena\n"
        "- Target: production (eo-prod)\n"
        "- From: v1.4.2 → To: v1.4.1 (b2c5d82)\n"
        "- Triggered by: operator\n"
        "- Predicted rollback time: 66.6s against SLA 90s — within SLA (basis: stages 1–6 "
        "measured; reload, settle, health: median of 3 past rollbacks)\n"
        "- Measured: 55.1s for the whole drill\n"
        "- Alert: pending\n"
        "- Verdict: PASS\n"
        "\n"
        "| # | check | result | seconds | detail |\n"
        "|---:|---|---|---:|---|\n"
        "| 1 | identify-previous | ok | 0.4 |  |\n"
        "| 2 | preflight | ok | 0.3 |  |\n"
        "| 3 | ssh-connect | ok | 0.6 |  |\n"
        "| 4 | checkout-prev | ok | 2.1 |  |\n"
        "| 5 | install | ok | 31.5 | npm ci --production |\n"
        "| 6 | build | ok | 18.2 |  |\n"
        "| 7 | migration-check | skipped | 0.0 | would skip: no migrations added |\n"
        "| 8 | reload | ok | 1.9 | pm2 process eo-main online |\n"
        "| 9 | settle | ok | 6.0 |  |\n"
        "| 10 | health-check | ok | 6.4 | 200 OK, serving c0ffee1 (current) |\n"
        "| 11 | log | running | — | writing this record |\n"
        "| 12 | telegram | running | — | pending |\n";
    CHECK(render_drill_section(drill_report()) == expected);
}

TEST_CASE("drill log section: a failed drill says why", "[drill-log]") {
    auto report = drill_report();
    report.predicted_seconds = 120.0;
    const std::string section = render_drill_section(report);
    CHECK_THAT(section, Catch::StartsWith("## 2026-04-19 03:12:09 UTC — production drill: FAIL\n"));
    CHECK_THAT(section, Catch::Contains("- Predicted rollback time: 120.0s against SLA 90s — OVER "
                                        "SLA (basis: "));
    CHECK_THAT(section, Catch::Contains("- Verdict: FAIL — predicted rollback time 120.0s is over "
                                        "the SLA of 90s\n"));
}

TEST_CASE("drill log: a new file gets its title, later drills append", "[drill-log]") {
    const auto report = drill_report();
    const std::string first = drill_log_append(report, std::nullopt);
    CHECK(first == std::string(smo::k_drill_log_title) + "\n" + render_drill_section(report));
    CHECK(drill_log_append(report, std::string("\n")) == first);
    CHECK(drill_log_append(report, first) == "\n" + render_drill_section(report));
    CHECK(drill_log_append(report, std::string("# Mine")) == "\n\n" + render_drill_section(report));
}

TEST_CASE("drill log: stage 12 replaces this drill's section, nothing else", "[drill-log]") {
    auto older = drill_report();
    older.date = "2026-01-10";
    older.started_at_utc = "2026-01-10T09:00:00Z";
    auto report = drill_report();
    const std::string first = drill_log_append(older, std::nullopt);
    const std::string log = first + drill_log_append(report, first);
    report.telegram_result = "token ok (@smo_bot); verdict not sent (no --notify)";
    const auto updated = replace_drill_section(log, report);
    REQUIRE(updated);
    CHECK(*updated == drill_log_append(older, std::nullopt) + "\n" + render_drill_section(report));
    CHECK_THAT(*updated, Catch::Contains("- Alert: token ok (@smo_bot); verdict not sent"));

    // A section in the middle keeps what follows.
    auto pending = drill_report();
    const std::string middle = drill_log_append(pending, std::nullopt) + "\n## Later notes\n\nx\n";
    const auto replaced = replace_drill_section(middle, report);
    REQUIRE(replaced);
    CHECK(*replaced == std::string(smo::k_drill_log_title) + "\n" + render_drill_section(report) +
                           "\n## Later notes\n\nx\n");

    auto other = drill_report();
    other.env = "staging";
    CHECK_FALSE(replace_drill_section(log, other));
}
