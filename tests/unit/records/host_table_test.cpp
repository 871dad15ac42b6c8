#include "smo/records/host_table.hpp"
#include "smo/records/rollback_record.hpp"
#include "smo/telegram.hpp"
#include "smo/text.hpp"
#include "support/sample_report.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using smo::test::sample_report;

namespace {

RunReport fleet_report() {
    RunReport report = sample_report();
    report.hosts = {
        {"web-1", "switched", "c0ffee1234", "b2c5d82aa1", "b2c5d82aa1", 41.26, "v1.4.1 live"},
        {"web-2", "already on the to-release", "b2c5d82aa1", "b2c5d82aa1", "b2c5d82aa1", 3.0,
         "left | alone"}};
    return report;
}

} // namespace

TEST_CASE("host table: one row per host in the record", "[records][fleet]") {
    const std::string record = render_rollback_record(fleet_report());
    CHECK(record.find("## Hosts\n\n"
                      "| host | from | to | outcome | seconds | served commit | detail |\n"
                      "|---|---|---|---|---|---|---|\n"
                      "| web-1 | c0ffee1 | b2c5d82 | switched | 41.3 | b2c5d82 | v1.4.1 live |\n"
                      "| web-2 | b2c5d82 | b2c5d82 | already on the to-release | 3.0 | b2c5d82 | "
                      "left \\| alone |\n") != std::string::npos);
    CHECK(record.find("Hosts: 2/2 hosts on the to-release") != std::string::npos);
}

TEST_CASE("host table: one host has no hosts section", "[records][fleet]") {
    const std::string record = render_rollback_record(sample_report());
    CHECK(record.find("## Hosts") == std::string::npos);
    CHECK(record.find("Hosts:") == std::string::npos);
    CHECK(hosts_fraction(sample_report()).empty());
}

TEST_CASE("host table: the alert counts the hosts on the to-release", "[telegram-text][fleet]") {
    RunReport report = fleet_report();
    const std::string good = telegram_message(report);
    CHECK(good.rfind("⚠️ eo-mena rolled back 2/2 hosts v1.4.2 → v1.4.1 on production in 75s "
                     "(within SLA 90s)\n",
                     0) == 0);
    report.hosts[0].outcome = "failed at health-check";
    report.hosts[0].detail = "not healthy within 60s";
    report.exit_code = ExitCode::sev1;
    CHECK(hosts_on_to_release(report) == 1);
    CHECK(telegram_message(report).find(
              "Hosts: web-1 failed at health-check (not healthy within 60s); web-2 already on "
              "the to-release (left | alone)\n") != std::string::npos);
}

TEST_CASE("host table: a fleet drill lists its hosts without counting switches",
          "[records][fleet]") {
    RunReport report = fleet_report();
    report.kind = RunKind::drill;
    report.hosts[0].outcome = "checked (drill)";
    report.hosts[1].outcome = "checked (drill)";
    const std::string summary = render_summary(report);
    CHECK(summary.find("Hosts: web-1 checked (drill) (v1.4.1 live); web-2 checked (drill) "
                       "(left | alone)\n") != std::string::npos);
    CHECK(summary.find("on the to-release") == std::string::npos);
}

TEST_CASE("host table: read back from the record it is written in", "[records][fleet]") {
    RunReport report = fleet_report();
    report.hosts.push_back({"web-3", "failed at reload", "c0ffee1234", "b2c5d82aa1", "", 9.0, ""});
    const std::string record = render_rollback_record(report);
    const auto rows = parse_host_section(record);
    REQUIRE(rows.size() == 3);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO(i);
        CHECK(rows[i].name == report.hosts[i].name);
        CHECK(rows[i].outcome == report.hosts[i].outcome);
        CHECK(rows[i].from_commit == text::short_commit(report.hosts[i].from_commit));
        CHECK(rows[i].to_commit == text::short_commit(report.hosts[i].to_commit));
        CHECK(rows[i].served_commit == text::short_commit(report.hosts[i].served_commit));
    }
    CHECK(rows[2].served_commit.empty()); // "unknown"
    const auto event = parse_deploy_record("2026-04-19-rollback-v1.4.2-to-v1.4.1.md", record);
    REQUIRE(std::holds_alternative<DeployEvent>(event));
    CHECK(std::get<DeployEvent>(event).hosts.size() == 3);
    CHECK(parse_host_section(render_rollback_record(sample_report())).empty());
}

TEST_CASE("host table: a hostile table is read as far as it is sane", "[records][fleet]") {
    const std::string record = "# Rollback\n\n## Hosts\n\n"
                               "| host | from | to | outcome | seconds | served commit | detail |\n"
                               "|---|---|---|---|---|---|---|\n"
                               "| web-1 | $(rm) | b2c5d82 | switched | 1.0 | zzzzzzz | a \\| b |\n"
                               "| web-\x1b[2J | c0ffee1 | b2c5d82 | switched | 1.0 | b2c5d82 | |\n"
                               "| short | row |\n"
                               "| web-2 | c0ffee1 | b2c5d82 | not switched | 1.0 | unknown | |\n"
                               "\n| web-9 | c0ffee1 | b2c5d82 | switched | 1.0 | b2c5d82 | |\n";
    const auto rows = parse_host_section(record);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].name == "web-1");
    CHECK(rows[0].from_commit.empty());
    CHECK(rows[0].to_commit == "b2c5d82");
    CHECK(rows[0].served_commit.empty());
    CHECK(rows[1].name == "web-2");
    CHECK(rows[1].outcome == "not switched");
    CHECK(parse_host_section("no hosts here\n## Hostsx\n| a |\n").empty());
}
