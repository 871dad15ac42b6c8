#include "smo/plan.hpp"
#include "support/test_context.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using smo::test::TestRig;

namespace {

const std::string k_v141 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string k_v142 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

std::string record(const std::string& tag, const std::string& commit, const std::string& at) {
    return "---\ntag: " + tag + "\ncommit: " + commit +
           "\nenv: production\nstatus: success\ndeployed_at: " + at + "\n---\n";
}

// Two good deploys in the records and in the local repository; v1.4.2 added
// one migration (up and down files).
void two_deploys(TestRig& rig) {
    rig.files.files["/repo/docs/deploys/2026-04-18-v1.4.1.md"] =
        record("v1.4.1", k_v141, "2026-04-18T09:00:00Z");
    rig.files.files["/repo/docs/deploys/2026-04-19-v1.4.2.md"] =
        record("v1.4.2", k_v142, "2026-04-19T09:00:00Z");
    rig.git.commits = {{"v1.4.1", k_v141}, {"v1.4.2", k_v142}, {k_v141, k_v141}, {k_v142, k_v142}};
    rig.git.added[{k_v141, k_v142}] = {"db/migrations/003_flags.up.sql",
                                       "db/migrations/003_flags.down.sql"};
}

} // namespace

TEST_CASE("plan: resolves from, to, the gate and every remote command offline", "[plan]") {
    TestRig rig;
    two_deploys(rig);
    const PlanText plan = render_plan(rig.options, rig.config, rig.target, rig.files, rig.git);
    const std::string& text = plan.text;
    INFO(text);
    CHECK(plan.exit_code == 0);
    CHECK(text.find("From:        v1.4.2 (2222222bbbbb)") != std::string::npos);
    CHECK(text.find("To:          v1.4.1 (1111111aaaaa)") != std::string::npos);
    CHECK(text.find("db/migrations: 1 migration (003_flags) added between the tags") !=
          std::string::npos);
    CHECK(text.find("+ db/migrations/003_flags.up.sql") != std::string::npos);
    CHECK(text.find("verdict: stage 7 runs `npm run db:rollback` in the live tree") !=
          std::string::npos);
    CHECK(text.find("deploy@100.89.148.62:22 (eo-prod)") != std::string::npos);
    CHECK(text.find("git -C '/opt/apps/eo-mena' fetch --tags origin") != std::string::npos);
    // The reload text runs in the switch script as `bash -c '…'`.
    CHECK(text.find("pm2 reload '\\''eo-main'\\''") != std::string::npos);
    CHECK(text.find("[12/12] telegram") != std::string::npos);
    // Offline: the one GET of stage 1 was refused before any request, and
    // nothing was written.
    CHECK(rig.http.requests.empty());
    CHECK(rig.shell.commands.empty());
    CHECK(rig.files.files.size() == 2);
}

TEST_CASE("plan: shows an irreversible migration as the halt it would be", "[plan]") {
    TestRig rig;
    two_deploys(rig);
    rig.config.env.migration_reversibility = Reversibility::none;
    const PlanText plan = render_plan(rig.options, rig.config, rig.target, rig.files, rig.git);
    INFO(plan.text);
    CHECK(plan.exit_code == 0);
    CHECK(plan.text.find("would stop at preflight (exit 3)") != std::string::npos);
    CHECK(plan.text.find("This migration is irreversible") != std::string::npos);
}

TEST_CASE("plan: without usable records exits 2 and says why", "[plan]") {
    TestRig rig;
    const PlanText plan = render_plan(rig.options, rig.config, rig.target, rig.files, rig.git);
    CHECK(plan.exit_code == 2);
    CHECK(plan.text.find("would stop at identify-previous (exit 2)") != std::string::npos);
    CHECK(plan.text.find("docs/deploys") != std::string::npos);
}
