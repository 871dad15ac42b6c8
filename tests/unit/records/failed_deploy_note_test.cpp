#include "smo/records/failed_deploy_note.hpp"
#include "support/sample_report.hpp"

#include <catch2/catch.hpp>

using smo::failed_deploy_note;
using smo::find_failed_deploy_record;

TEST_CASE("failed deploy record: the newest deploy record of the from-tag", "[deploy-note]") {
    const std::vector<std::string> names{
        "2026-04-10-v1.4.2.md",  "2026-04-19-v1.4.2.md",
        "2026-04-18-v1.4.1.md",  "2026-04-20-rollback-v1.4.2-to-v1.4.1.md",
        "2026-04-21-xv1.4.2.md", "trend.csv",
        "notes-v1.4.2.md"};
    CHECK(find_failed_deploy_record(names, "v1.4.2") ==
          std::optional<std::string>("2026-04-19-v1.4.2.md"));
    CHECK(find_failed_deploy_record(names, "v1.4.1") ==
          std::optional<std::string>("2026-04-18-v1.4.1.md"));
    CHECK_FALSE(find_failed_deploy_record(names, "v9.9.9"));
    CHECK_FALSE(find_failed_deploy_record(names, ""));
    // A rollback record is never taken for the deploy of its to-tag.
    CHECK_FALSE(find_failed_deploy_record({"2026-04-20-rollback-v1.4.2-to-v1.4.1.md"}, "v1.4.1"));
}

TEST_CASE("failed deploy note: a Rolled back section linking the record", "[deploy-note]") {
    const std::string existing = "# Deploy v1.4.2\n\n**Tag:** v1.4.2\n";
    const auto note = failed_deploy_note(existing, "2026-04-19-rollback-v1.4.2-to-v1.4.1.md",
                                         smo::test::sample_report());
    REQUIRE(note);
    CHECK(*note == "\n## Rolled back\n\n"
                   "- 2026-04-19 03:12:09 UTC: rolled back to v1.4.1 by smo-rollback (success, "
                   "74.2s) — [2026-04-19-rollback-v1.4.2-to-v1.4.1.md]"
                   "(2026-04-19-rollback-v1.4.2-to-v1.4.1.md)\n");
}

TEST_CASE("failed deploy note: never twice, and joins an existing last section", "[deploy-note]") {
    const auto report = smo::test::sample_report();
    const std::string name = "2026-04-19-rollback-v1.4.2-to-v1.4.1.md";
    const std::string first = "# Deploy v1.4.2";
    const std::string with_note = first + *failed_deploy_note(first, name, report);
    CHECK(with_note.rfind("# Deploy v1.4.2\n\n## Rolled back\n\n- ", 0) == 0);
    CHECK_FALSE(failed_deploy_note(with_note, name, report));

    const auto second =
        failed_deploy_note(with_note, "2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md", report);
    REQUIRE(second);
    CHECK(second->rfind("- 2026-04-19 03:12:09 UTC", 0) == 0);

    // When another section follows, a new heading keeps the line under it.
    const std::string later = with_note + "\n## Notes\n\nsomething\n";
    const auto third =
        failed_deploy_note(later, "2026-04-19-rollback-v1.4.2-to-v1.4.1-3.md", report);
    REQUIRE(third);
    CHECK(third->rfind("\n## Rolled back\n\n- ", 0) == 0);
}
