// Never make it worse, in the choice of what to run (docs/safety.md): a
// healthy live release needs a yes, no roll-forward, and only real releases
// are candidates. The real binary against the sandbox.
#include "support/sandbox.hpp"
#include "support/target_snapshot.hpp"

#include <catch2/catch.hpp>

using namespace smo::integration;

namespace {

std::string migrations(const Sandbox& sandbox) {
    return trim(sandbox
                    .remote("sqlite3 '" + sandbox.value("DATABASE_PATH") +
                            "' 'select name from knex_migrations order by name' | tr '\\n' ' '")
                    .out);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("a second run never walks a healthy release back, and never forward",
          "[rollback][integration][safety]") {
    Sandbox sandbox({"--bad", "500"});
    const ProcessResult first = sandbox.run_binary({"--auto"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0); // v1.2.0 answered 500: rolled back unasked
    CHECK_FALSE(contains(first.err, "is healthy"));
    REQUIRE(trim(sandbox.remote("git rev-parse HEAD").out) == sandbox.value("COMMIT_V1_1_0"));
    const TargetSnapshot healthy = TargetSnapshot::take(sandbox);

    // The up-arrow: v1.1.0 is healthy now.
    const ProcessResult again = sandbox.run_binary({"--auto"});
    INFO(again.err);
    CHECK(again.exit_code == 3);
    CHECK(contains(again.err,
                   "v1.1.0 (" + sandbox.value("COMMIT_V1_1_0").substr(0, 7) + ") answers healthy"));
    CHECK(contains(again.err, "--auto never rolls back a healthy release"));
    CHECK(contains(again.err, "re-run with --yes"));
    CHECK_FALSE(contains(again.err, "[4/12]"));
    CHECK(TargetSnapshot::take(sandbox) == healthy);

    // At a terminal the operator is asked, and a no changes nothing.
    const ProcessResult asked = sandbox.run_binary({}, {}, std::string("n\n"));
    INFO(asked.err);
    CHECK(asked.exit_code == 3);
    CHECK(contains(asked.err,
                   "v1.1.0 is healthy. Roll back to v1.0.0 anyway (undoes 002_add_posts)? [y/N]"));
    CHECK(contains(asked.err, "the operator said no"));
    // No terminal to answer (input at its end) and no --yes: halted too.
    const ProcessResult unanswered = sandbox.run_binary({});
    INFO(unanswered.err);
    CHECK(unanswered.exit_code == 3);
    CHECK(TargetSnapshot::take(sandbox) == healthy);
    CHECK(migrations(sandbox) == "001_create_users 002_add_posts");

    // --yes is the operator's decision: it goes.
    const ProcessResult yes = sandbox.run_binary({"--auto", "--yes"});
    INFO(yes.err);
    CHECK(yes.exit_code == 0);
    CHECK(contains(yes.err, "rolling back anyway (--yes)"));
    CHECK(trim(sandbox.remote("git rev-parse HEAD").out) == sandbox.value("COMMIT_V1_0_0"));
    CHECK(migrations(sandbox) == "001_create_users");

    // From v1.0.0, --to v1.1.0 is a deploy: exit 2, nothing touched.
    const TargetSnapshot old = TargetSnapshot::take(sandbox);
    const ProcessResult forward = sandbox.run_binary({"--to", "v1.1.0", "--yes"});
    INFO(forward.err);
    CHECK(forward.exit_code == 2);
    CHECK(contains(forward.err, "is newer than the live v1.0.0"));
    CHECK(contains(forward.err, "/smo-deploy v1.1.0"));
    CHECK_FALSE(contains(forward.err, "[3/12]"));
    CHECK(TargetSnapshot::take(sandbox) == old);
}

TEST_CASE("a record whose tag does not exist is skipped, named, and the next one taken",
          "[rollback][integration][safety]") {
    Sandbox sandbox({"--bad", "500", "--hotfix-notes"});
    const ProcessResult run = sandbox.run_binary({"--auto"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.err, "-hotfix-notes.md: tag hotfix-notes does not resolve in the local "
                            "repository"));
    CHECK(contains(run.err, "From: v1.2.0 → To: v1.1.0"));
    CHECK(trim(sandbox.remote("git rev-parse HEAD").out) == sandbox.value("COMMIT_V1_1_0"));
    const HttpResponse health = sandbox.health();
    CHECK(health.status == 200);
    CHECK(contains(health.body, "\"commit\":\"" + sandbox.value("COMMIT_V1_1_0") + "\""));
    CHECK(migrations(sandbox) == "001_create_users 002_add_posts");
}
