#include "smo/records/history.hpp"
#include "support/fake_file_system.hpp"

#include <catch2/catch.hpp>

namespace smo {
namespace {

DeployEvent deploy(const std::string& date, const std::string& tag, const std::string& commit,
                   bool successful = true, const std::string& deployed_at = "") {
    DeployEvent event;
    event.file = date + "-" + tag + ".md";
    event.date = date;
    event.tag = tag;
    event.commit = commit;
    event.successful = successful;
    event.deployed_at = deployed_at;
    return event;
}

DeployEvent rollback(const std::string& date, const std::string& from, const std::string& to,
                     const std::string& outcome, const std::string& to_commit = "") {
    DeployEvent event;
    event.kind = EventKind::rollback;
    event.file = date + "-rollback-" + from + "-to-" + to + ".md";
    event.date = date;
    event.from_tag = from;
    event.tag = to;
    event.commit = to_commit;
    event.outcome = outcome;
    event.successful = outcome == "success";
    return event;
}

std::vector<std::string> tags_of(const History& history) {
    std::vector<std::string> tags;
    for (const DeployEvent& event : history.events) {
        tags.push_back(event.tag);
    }
    return tags;
}

} // namespace

TEST_CASE("versions compare numerically, pre-releases before releases", "[history]") {
    CHECK(compare_versions("v1.10.0", "v1.9.0") > 0);
    CHECK(compare_versions("v1.9.0", "v1.10.0") < 0);
    CHECK(compare_versions("v1.4.2", "v1.4.2") == 0);
    CHECK(compare_versions("v1.0.0-rc1", "v1.0.0") < 0);
    CHECK(compare_versions("v1.0.0", "v1.0.0-rc1") > 0);
    CHECK(compare_versions("v1.0.0.1", "v1.0.0") > 0);
    CHECK(compare_versions("v01.2", "v1.2") == 0);
    CHECK(compare_versions("v2", "v10") < 0);
    CHECK(compare_versions("release-b", "release-a") > 0);
}

TEST_CASE("history: date, then deployed_at, then version order, env filter", "[history]") {
    std::vector<DeployEvent> events{
        deploy("2026-04-02", "v1.10.0", "aaaaaaa"),
        deploy("2026-04-02", "v1.9.0", "bbbbbbb"),
        deploy("2026-04-01", "v2.0.0", "ccccccc"),
        deploy("2026-04-03", "v1.0.1", "ddddddd", true, "2026-04-03T09:00:00Z"),
        deploy("2026-04-03", "v1.0.0", "eeeeeee", true, "2026-04-03T10:00:00Z"),
        deploy("2026-04-04", "v3", "fffffff"),
    };
    events.back().env = "staging";
    events[0].env = "production";
    const History history = build_history(events, {{"x.md", "bad"}}, "production");
    CHECK(tags_of(history) ==
          std::vector<std::string>{"v2.0.0", "v1.9.0", "v1.10.0", "v1.0.1", "v1.0.0"});
    REQUIRE(history.problems.size() == 1);
    CHECK(history.problems[0].file == "x.md");
}

TEST_CASE("same day without times: the deploy comes before the rollback", "[history]") {
    const History history = build_history({rollback("2026-04-19", "v1.4.2", "v1.4.1", "success"),
                                           deploy("2026-04-19", "v1.4.2", "bbbbbbb")},
                                          {}, "production");
    REQUIRE(history.events.size() == 2);
    CHECK(history.events[0].kind == EventKind::deploy);
    CHECK(history.events[1].kind == EventKind::rollback);
}

TEST_CASE("previous skips known-bad tags and the current one", "[history]") {
    const History history = build_history(
        {deploy("2026-04-01", "v1.0.0", "1111111"), deploy("2026-04-02", "v1.1.0", "2222222"),
         deploy("2026-04-03", "v1.2.0", "3333333"),
         rollback("2026-04-03", "v1.2.0", "v1.1.0", "success", "2222222"),
         deploy("2026-04-05", "v1.3.0", "4444444", false),
         deploy("2026-04-06", "v1.4.0", "5555555")},
        {}, "production");
    CHECK(rolled_back_from(history) == std::vector<std::string>{"v1.2.0"});

    const auto current = find_current(history, "5555555abcdef");
    REQUIRE(current);
    CHECK(current->tag == "v1.4.0");
    const auto previous = find_previous(history, "v1.4.0");
    REQUIRE(previous);
    CHECK(previous->tag == "v1.1.0"); // v1.3.0 failed, v1.2.0 was rolled back from
    CHECK(previous->commit == "2222222");

    const auto before_v11 = find_previous(history, "v1.1.0");
    REQUIRE(before_v11);
    CHECK(before_v11->tag == "v1.0.0");
    CHECK_FALSE(find_previous(history, "v1.0.0"));
}

TEST_CASE("a halted rollback marks nothing bad, sev1 does", "[history]") {
    const std::vector<DeployEvent> base{deploy("2026-04-01", "v1", "1111111"),
                                        deploy("2026-04-02", "v2", "2222222"),
                                        deploy("2026-04-03", "v3", "3333333")};
    std::vector<DeployEvent> halted = base;
    halted.push_back(rollback("2026-04-04", "v2", "v1", "halted"));
    const History after_halt = build_history(halted, {}, "production");
    CHECK(rolled_back_from(after_halt).empty());
    CHECK(find_previous(after_halt, "v3")->tag == "v2");

    std::vector<DeployEvent> sev1 = base;
    sev1.push_back(rollback("2026-04-04", "v2", "v1", "sev1"));
    const History after_sev1 = build_history(sev1, {}, "production");
    CHECK(rolled_back_from(after_sev1) == std::vector<std::string>{"v2"});
    CHECK(find_previous(after_sev1, "v3")->tag == "v1");
}

TEST_CASE("previous after a successful rollback is the rollback's to-tag", "[history]") {
    const History history = build_history(
        {deploy("2026-04-01", "v1", "1111111"), deploy("2026-04-02", "v2", "2222222"),
         rollback("2026-04-02", "v2", "v1", "success"), deploy("2026-04-05", "v3", "3333333")},
        {}, "production");
    const auto previous = find_previous(history, "v3");
    REQUIRE(previous);
    CHECK(previous->tag == "v1");
    CHECK(previous->commit == "1111111"); // the rollback did not say; the deploy did
}

TEST_CASE("current: by commit prefix, else the newest successful event", "[history]") {
    const History history = build_history({deploy("2026-04-01", "v1", "1111111aaaa"),
                                           deploy("2026-04-02", "v2", "2222222"),
                                           deploy("2026-04-03", "v3", "3333333", false),
                                           rollback("2026-04-04", "v3", "v9", "halted", "9999999")},
                                          {}, "production");
    CHECK(find_current(history, "1111111")->tag == "v1");
    CHECK(find_current(history, "1111111aaaabbbb")->tag == "v1");
    CHECK(find_current(history, "3333333")->tag == "v3"); // failed, but it is what runs
    CHECK_FALSE(find_current(history, "111111"));         // too short to match
    CHECK_FALSE(find_current(history, "4444444"));
    CHECK_FALSE(find_current(history, "9999999")); // a halted rollback never went live
    CHECK(find_current(history, "")->tag == "v2");
    CHECK_FALSE(find_current(History{}, ""));
    CHECK_FALSE(find_previous(History{}, "v1"));
}

TEST_CASE("load_history reads *.md through the files port", "[history]") {
    test::FakeFileSystem files;
    files.files["docs/deploys/2026-04-01-v1.0.0.md"] = "**Target:** production (eo)\n"
                                                       "**Commit:** 1111111\n";
    files.files["docs/deploys/2026-04-02-v1.1.0.md"] = "---\nenv: staging\n---\n";
    files.files["docs/deploys/2026-04-03-v1.2.0.md"] = "**Health check:** 200 OK\n";
    files.files["docs/deploys/2026-04-04-v1.3.0.md"] = "---\ntag: \"$(reboot)\"\n---\n";
    files.files["docs/deploys/README.md"] = "# Deploy records\n";
    files.files["docs/deploys/trend.csv"] = "date,time_utc\n";
    files.files["docs/deploys/notes.md"] = "scribbles\n";
    const History history = load_history(files, "docs/deploys", "production");
    CHECK(tags_of(history) == std::vector<std::string>{"v1.0.0", "v1.2.0"});
    REQUIRE(history.problems.size() == 2);
    CHECK(history.problems[0].file == "2026-04-04-v1.3.0.md");
    CHECK(history.problems[1].file == "notes.md");
}

TEST_CASE("load_history of an empty or missing directory is empty", "[history]") {
    test::FakeFileSystem files;
    const History history = load_history(files, "docs/deploys", "production");
    CHECK(history.events.empty());
    CHECK(history.problems.empty());
}

} // namespace smo
