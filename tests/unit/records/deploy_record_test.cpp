#include "smo/records/deploy_record.hpp"
#include "smo/records/record_names.hpp"
#include "smo/records/rollback_record.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>

namespace smo {
namespace {

DeployEvent event_of(std::string_view name, std::string_view text) {
    auto parsed = parse_deploy_record(name, text);
    if (const auto* problem = std::get_if<RecordProblem>(&parsed)) {
        FAIL("unexpected problem: " << problem->reason);
    }
    return std::get<DeployEvent>(parsed);
}

std::string problem_of(std::string_view name, std::string_view text) {
    auto parsed = parse_deploy_record(name, text);
    if (const auto* problem = std::get_if<RecordProblem>(&parsed)) {
        CHECK(problem->file == name);
        return problem->reason;
    }
    return "(no problem)";
}

} // namespace

TEST_CASE("front matter gives tag, commit, env, status and deployed_at", "[records]") {
    const DeployEvent event = event_of("2026-04-18-v1.4.2.md", R"(---
tag: "v1.4.2"
commit: 'B2C5D82'   
env: production
status: success  # went fine
deployed_at: 2026-04-18T21:04:00Z
notes:
  - nested: ignored
---
# Deploy v1.4.2
**Tag:** v9.9.9
)");
    CHECK(event.kind == EventKind::deploy);
    CHECK(event.file == "2026-04-18-v1.4.2.md");
    CHECK(event.tag == "v1.4.2");
    CHECK(event.commit == "b2c5d82");
    CHECK(event.env == "production");
    CHECK(event.date == "2026-04-18");
    CHECK(event.deployed_at == "2026-04-18T21:04:00Z");
    CHECK(event.successful);
}

TEST_CASE("status words decide success", "[records]") {
    for (const char* good : {"success", "ok", "succeeded", "healthy", "OK"}) {
        INFO(good);
        CHECK(event_of("2026-04-18-v1.md", std::string("---\nstatus: ") + good + "\n---\n")
                  .successful);
    }
    for (const char* bad : {"failed", "rolled_back", "error", "FAILED", "something-else"}) {
        INFO(bad);
        CHECK_FALSE(event_of("2026-04-18-v1.md", std::string("---\nstatus: ") + bad + "\n---\n")
                        .successful);
    }
}

TEST_CASE("**Key:** lines as /smo-deploy prints them", "[records]") {
    const DeployEvent event = event_of("2026-04-19-v1.4.2.md", R"(# ✅ Deploy complete

**Project:** eo-mena
**Target:** production (eo-prod)
**Tag:** `v1.4.2`
**Commit:** b2c5d82 (main)
**Health check:** 200 OK (commit matched)
)");
    CHECK(event.env == "production");
    CHECK(event.tag == "v1.4.2");
    CHECK(event.commit == "b2c5d82");
    CHECK(event.date == "2026-04-19");
    CHECK(event.deployed_at.empty());
    CHECK(event.successful);

    const DeployEvent other_form = event_of("2026-04-19-x.md", "- **Tag**: v2.0.0\n"
                                                               "- **Environment**: staging\n");
    CHECK(other_form.tag == "v2.0.0");
    CHECK(other_form.env == "staging");
}

TEST_CASE("a failed health check or a ## Rolled back section is unsuccessful", "[records]") {
    for (const char* health : {"FAILED (502 Bad Gateway)", "failed after 60s", "503", "❌ unhealthy",
                               "500 Internal Server Error"}) {
        INFO(health);
        CHECK_FALSE(
            event_of("2026-04-19-v1.md", std::string("**Health check:** ") + health).successful);
    }
    CHECK(event_of("2026-04-19-v1.md", "**Health check:** 200 OK").successful);
    CHECK_FALSE(
        event_of("2026-04-19-v1.md", "**Health check:** 200 OK\n**Status:** failed\n").successful);
    CHECK_FALSE(event_of("2026-04-19-v1.md", "**Health check:** 200 OK\n\n## Rolled back\n\n"
                                             "- [rollback](2026-04-19-rollback-v1-to-v0.md)\n")
                    .successful);
}

TEST_CASE("the file name alone gives date and tag", "[records]") {
    const DeployEvent event = event_of("2026-04-17-v1.4.1.md", "Deployed. Nothing else said.\n");
    CHECK(event.date == "2026-04-17");
    CHECK(event.tag == "v1.4.1");
    CHECK(event.commit.empty());
    CHECK(event.env.empty());
    CHECK(event.successful);

    CHECK(event_of("2026-04-17-v1.4.1.md", "").tag == "v1.4.1");
}

TEST_CASE("rollback records written by this tool", "[records]") {
    const DeployEvent event = event_of("2026-04-19-rollback-v1.4.2-to-v1.4.1.md", R"(---
kind: rollback
project: "eo-mena"
env: "production"
from_tag: "v1.4.2"
from_commit: "c3d4e5f6"
to_tag: "v1.4.1"
to_commit: "a1b2c3d4"
tag: "v1.4.1"
commit: "a1b2c3d4"
date: "2026-04-19"
deployed_at: "2026-04-19T03:12:09Z"
outcome: success
exit_code: 0
---
# Rollback
)");
    CHECK(event.kind == EventKind::rollback);
    CHECK(event.tag == "v1.4.1");
    CHECK(event.from_tag == "v1.4.2");
    CHECK(event.commit == "a1b2c3d4");
    CHECK(event.outcome == "success");
    CHECK(event.successful);
    CHECK(rollback_switched(event));

    const DeployEvent halted = event_of("2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md",
                                        "---\nkind: rollback\nfrom_tag: v1.4.2\nto_tag: v1.4.1\n"
                                        "outcome: halted\n---\n");
    CHECK_FALSE(halted.successful);
    CHECK_FALSE(rollback_switched(halted));

    const DeployEvent sev1 = event_of("2026-04-19-rollback-v1.4.2-to-v1.4.1.md",
                                      "---\nkind: rollback\noutcome: sev1\n---\n");
    CHECK(sev1.from_tag == "v1.4.2"); // from the file name
    CHECK(sev1.tag == "v1.4.1");
    CHECK_FALSE(sev1.successful);
    CHECK(rollback_switched(sev1));
}

TEST_CASE("rollback file names, with the -N suffix", "[records]") {
    const DeployEvent event = event_of("2026-04-19-rollback-v1.4.2-to-v1.4.1-3.md", "");
    CHECK(event.kind == EventKind::rollback);
    CHECK(event.from_tag == "v1.4.2");
    CHECK(event.tag == "v1.4.1");
    CHECK(event.outcome.empty());
    CHECK(rollback_switched(event)); // unknown outcome: treated as switched
    CHECK_FALSE(event.successful);
}

TEST_CASE("hostile tags are problems, never events", "[records]") {
    for (const char* tag :
         {"v1;rm -rf /", "$(reboot)", "`id`", "-x", "a..b", "v1'x", "v1 x", "v1\"x"}) {
        INFO(tag);
        CHECK_THAT(problem_of("2026-04-19-x.md", std::string("---\ntag: '") + tag + "'\n---\n"),
                   Catch::Contains("not a valid git tag name"));
    }
    for (const char* tag : {"v1;rm -rf /", "$(reboot)", "``id``", "`id", "-x", "a..b", "v1'x"}) {
        INFO(tag);
        CHECK_THAT(problem_of("2026-04-19-x.md", std::string("**Tag:** ") + tag + "\n"),
                   Catch::Contains("not a valid git tag name"));
    }
    // A markdown code span is formatting: `id` names the (harmless) tag "id".
    CHECK(event_of("2026-04-19-x.md", "**Tag:** `id`\n").tag == "id");
    CHECK_THAT(problem_of("2026-04-19-v1;reboot.md", ""),
               Catch::Contains("not a valid git tag name"));
    CHECK_THAT(problem_of("2026-04-19-rollback-$(id)-to-v1.md", ""), Catch::Contains("from_tag"));
    CHECK_THAT(problem_of("2026-04-19-v1.md", "---\ncommit: \"abc; reboot\"\n---\n"),
               Catch::Contains("not 7 to 40 hex digits"));
}

TEST_CASE("unreadable records are problems with a reason", "[records]") {
    CHECK_THAT(problem_of("2026-04-19-v1.md", "---\ntag: v1\nno closing line\n"),
               Catch::Contains("never closed"));
    CHECK_THAT(problem_of("README.md", "# Deploy records\n"), Catch::Contains("no date"));
    CHECK_THAT(problem_of("notes.md", "---\ntag: v1\n---\n"), Catch::Contains("no date"));
    CHECK_THAT(problem_of("2026-13-40-v1.md", ""), Catch::Contains("no date"));
    CHECK_THAT(problem_of("2026-04-19-v1.md", "---\ndate: yesterday\n---\n"),
               Catch::Contains("not YYYY-MM-DD"));
    CHECK_THAT(problem_of("2026-04-19-v1.md", "---\nkind: drill\n---\n"),
               Catch::Contains("unknown kind"));
    // With a date but no tag anywhere.
    CHECK_THAT(problem_of("notes.md", "---\ndate: 2026-04-19\n---\n"), Catch::Contains("no tag"));
}

TEST_CASE("binary junk, invalid UTF-8 and huge files never crash", "[records]") {
    std::mt19937 random(12345);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 200; ++round) {
        std::string junk(static_cast<std::size_t>(round * 37), '\0');
        for (char& c : junk) {
            c = static_cast<char>(byte(random));
        }
        if (round % 3 == 0) {
            junk = "---\n" + junk;
        } else if (round % 3 == 1) {
            junk = "**Tag:** " + junk;
        }
        auto parsed = parse_deploy_record("2026-04-19-v1.0.0.md", junk);
        if (const auto* event = std::get_if<DeployEvent>(&parsed)) {
            CHECK(event->date == "2026-04-19");
        }
    }
    const DeployEvent invalid_utf8 = event_of("2026-04-19-v1.md", "**Project:** \xff\xfe\xc3\n");
    CHECK(invalid_utf8.tag == "v1");

    std::string huge(8 * 1024 * 1024, 'x');
    huge.insert(0, "**Tag:** v3.0.0\n");
    CHECK(event_of("2026-04-19-x.md", huge).tag == "v3.0.0");
    CHECK(event_of("2026-04-19-v1.md", std::string(1024 * 1024, '\n')).tag == "v1");
}

} // namespace smo

namespace smo {

TEST_CASE("a rollback record this tool writes is read back as the same event", "[records]") {
    RunReport report;
    report.project = "eo-mena";
    report.env = "production";
    report.date = "2026-04-19";
    report.started_at_utc = "2026-04-19T03:12:09Z";
    report.from_tag = "v1.4.2";
    report.from_commit = "c3d4e5f";
    report.to_tag = "v1.4.1";
    report.to_commit = "b2c5d82";
    report.exit_code = ExitCode::success;
    const std::string name = rollback_record_name(report.date, report.from_tag, report.to_tag,
                                                  [](const std::string&) { return false; });
    const DeployEvent event = event_of(name, render_rollback_record(report));
    CHECK(event.kind == EventKind::rollback);
    CHECK(event.env == "production");
    CHECK(event.date == "2026-04-19");
    CHECK(event.deployed_at == "2026-04-19T03:12:09Z");
    CHECK(event.from_tag == "v1.4.2");
    CHECK(event.tag == "v1.4.1");
    CHECK(event.commit == "b2c5d82");
    CHECK(event.outcome == "success");
    CHECK(event.successful);

    report.exit_code = ExitCode::halted;
    const DeployEvent halted = event_of(name, render_rollback_record(report));
    CHECK(halted.outcome == "halted");
    CHECK_FALSE(rollback_switched(halted));
}

} // namespace smo
