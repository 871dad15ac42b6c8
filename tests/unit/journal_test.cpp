#include "smo/journal.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

using namespace smo::journal;

namespace {

const std::string k_from = "c3d4e5f60718293a4b5c6d7e8f90112233445566";
const std::string k_to = "b2c5d82f00112233445566778899aabbccddeeff";

Header sample_header() {
    Header header;
    header.from_tag = "v1.4.2";
    header.from_commit = k_from;
    header.to_tag = "v1.4.1";
    header.to_commit = k_to;
    header.strategy = "staged";
    header.staging = "/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1";
    header.aside = "/opt/apps/.smo-rollback/eo-mena/aside-v1.4.2";
    header.items = {"node_modules", "dist"};
    header.opened_at = "2026-04-19T03:12:09Z";
    header.holder = "deploy@laptop pid 4242";
    return header;
}

std::string open_journal(const std::string& steps = {}) {
    return render_header(sample_header()) + steps;
}

} // namespace

TEST_CASE("journal: the header renders one key=value line each, after the magic line",
          "[journal]") {
    CHECK(render_header(sample_header()) ==
          "smo-journal 1\n"
          "from_tag=v1.4.2\n"
          "from_commit=" +
              k_from +
              "\n"
              "to_tag=v1.4.1\n"
              "to_commit=" +
              k_to +
              "\n"
              "strategy=staged\n"
              "staging=/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1\n"
              "aside=/opt/apps/.smo-rollback/eo-mena/aside-v1.4.2\n"
              "item=node_modules\n"
              "item=dist\n"
              "opened_at=2026-04-19T03:12:09Z\n"
              "holder=deploy@laptop pid 4242\n");
    Header forged = sample_header();
    forged.to_tag = "v1\ndone=checkout";
    CHECK_THROWS_AS(render_header(forged), std::logic_error);
}

TEST_CASE("journal: parse reads the header and the steps the switch appended", "[journal]") {
    const Journal journal =
        parse(open_journal("runner=9876\nbegin=db_rollback\ndone=db_rollback\n"
                           "begin=checkout\ndone=checkout\ndone=out:node_modules\n"
                           "failed=in:node_modules 42\nresult=failed\n"));
    CHECK(journal.present);
    CHECK(journal.valid);
    CHECK(journal.open());
    CHECK(journal.from_tag == "v1.4.2");
    CHECK(journal.to_commit == k_to);
    CHECK(journal.items == std::vector<std::string>{"node_modules", "dist"});
    CHECK(journal.runner == "9876");
    CHECK(journal.has_done("checkout"));
    CHECK(journal.has_done("out:node_modules"));
    CHECK_FALSE(journal.has_done("in:node_modules"));
    CHECK(journal.failed_step == "in:node_modules");
    CHECK(journal.failed_status == 42);
    CHECK(journal.result == "failed");
    CHECK(journal.changed_anything());
}

TEST_CASE("journal: closed, empty and foreign files", "[journal]") {
    CHECK_FALSE(parse("").present);
    CHECK_FALSE(parse(open_journal("result=ok\nclosed=success 2026-04-19T03:13:00Z\n")).open());
    const Journal foreign = parse("hello\nfrom_commit=x\n");
    CHECK(foreign.present);
    CHECK_FALSE(foreign.valid);
    CHECK_FALSE(parse(open_journal()).changed_anything());
}

TEST_CASE("journal: resume decisions", "[journal]") {
    SECTION("no journal, or a closed one: computed from the records") {
        CHECK(decide(parse(""), k_from, std::nullopt, false).action == Resume::none);
        CHECK(decide(parse(open_journal("closed=success t\n")), k_to, std::nullopt, false).action ==
              Resume::none);
    }
    SECTION("killed before the switch: HEAD still on from, resume") {
        const auto decision =
            decide(parse(open_journal("done=db_rollback\n")), k_from, std::nullopt, false);
        CHECK(decision.action == Resume::resume);
        CHECK(decision.why == "1 step(s) already done");
    }
    SECTION("HEAD already moved to the to-commit: resume the same rollback, never walk on") {
        const auto decision =
            decide(parse(open_journal("done=checkout\n")), k_to.substr(0, 7), std::nullopt, false);
        CHECK(decision.action == Resume::resume);
    }
    SECTION("the switch completed without its client: verify and record") {
        const auto decision =
            decide(parse(open_journal("done=reload\nresult=ok\n")), k_to, std::nullopt, false);
        CHECK(decision.action == Resume::resume);
        CHECK(decision.why.find("completed") != std::string::npos);
    }
    SECTION("its runner still runs: follow it") {
        const auto decision = decide(parse(open_journal("runner=1\nbegin=db_rollback\n")), k_from,
                                     std::nullopt, true);
        CHECK(decision.action == Resume::resume);
        CHECK(decision.why.find("still running") != std::string::npos);
    }
    SECTION("a down migration cut short is never run twice") {
        const auto decision = decide(parse(open_journal("runner=1\nbegin=db_rollback\n")), k_from,
                                     std::nullopt, false);
        CHECK(decision.action == Resume::refuse);
        CHECK(decision.why.find("check the schema by hand") != std::string::npos);
    }
    SECTION("HEAD on a third commit: someone deployed meanwhile") {
        const auto decision =
            decide(parse(open_journal()), std::string(40, 'a'), std::nullopt, false);
        CHECK(decision.action == Resume::refuse);
        CHECK(decision.why.find("someone changed the target") != std::string::npos);
    }
    SECTION("--to another release than the unfinished one") {
        const auto decision = decide(parse(open_journal()), k_from, std::string("v1.0.0"), false);
        CHECK(decision.action == Resume::refuse);
        CHECK(decision.why.find("re-run without --to") != std::string::npos);
        CHECK(decide(parse(open_journal()), k_from, std::string("v1.4.1"), false).action ==
              Resume::resume);
    }
    SECTION("an unreadable journal") {
        CHECK(decide(parse("garbage\n"), k_from, std::nullopt, false).action == Resume::refuse);
    }
}
