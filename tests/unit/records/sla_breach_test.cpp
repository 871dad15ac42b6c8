#include "smo/records/sla_breach.hpp"
#include "support/sample_report.hpp"

#include <catch2/catch.hpp>

using smo::sla_breach_append;

namespace {

smo::RunReport breached() {
    auto report = smo::test::sample_report();
    report.seconds = 104.6;
    return report;
}

} // namespace

TEST_CASE("sla breach: only a rollback over its SLA", "[sla-breach]") {
    CHECK(smo::is_sla_breach(breached()));
    CHECK_FALSE(smo::is_sla_breach(smo::test::sample_report()));
    auto exactly = smo::test::sample_report();
    exactly.seconds = 90.0;
    CHECK_FALSE(smo::is_sla_breach(exactly));
    auto drill = breached();
    drill.kind = smo::RunKind::drill;
    CHECK_FALSE(smo::is_sla_breach(drill));
    auto sev1 = smo::test::stopped_report(smo::ExitCode::sev1, 10, "unhealthy");
    sev1.seconds = 150;
    CHECK(smo::is_sla_breach(sev1));
}

TEST_CASE("sla breach: a new file gets our header and the row", "[sla-breach]") {
    const std::string expected =
        "date,time_utc,source,project,env,from_tag,to_tag,sla_seconds,seconds,over_seconds,"
        "slowest_stage,log\n"
        "2026-04-19,03:12:09,smo-rollback,eo-mena,production,v1.4.2,v1.4.1,90,104.6,14.6,"
        "install,docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\n";
    CHECK(sla_breach_append(breached(), std::nullopt) == expected);
    CHECK(sla_breach_append(breached(), std::string()) == expected);
}

TEST_CASE("sla breach: a file with our header gets the row only", "[sla-breach]") {
    const std::string existing = std::string(smo::k_sla_breach_header) + "\n" +
                                 "2026-03-01,10:00:00,smo-rollback,eo-mena,production,v1.3.0,"
                                 "v1.2.9,90,95.0,5.0,build,docs/deploys/x.md\n";
    CHECK(sla_breach_append(breached(), existing) ==
          "2026-04-19,03:12:09,smo-rollback,eo-mena,production,v1.4.2,v1.4.1,90,104.6,14.6,"
          "install,docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\n");
}

TEST_CASE("sla breach: another tool's header is kept and filled by name", "[sla-breach]") {
    // smo-deploy's file: other order, columns we do not have, ours it lacks.
    const std::string existing = "source,date,env,seconds,sla_seconds,incident,log\n"
                                 "smo-deploy,2026-04-02,production,400,300,INC-7,\"a,b.md\"\n";
    CHECK(sla_breach_append(breached(), existing) ==
          "smo-rollback,2026-04-19,production,104.6,90,,"
          "docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\n");
}

TEST_CASE("sla breach: padded names, CRLF files and a missing final line break", "[sla-breach]") {
    const std::string existing = "date , source,over_seconds\r\n2026-04-02,smo-deploy,100";
    CHECK(sla_breach_append(breached(), existing) == "\r\n2026-04-19,smo-rollback,14.6\r\n");
}
