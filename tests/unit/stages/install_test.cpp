#include "smo/remote/install.hpp"
#include "smo/remote/lock.hpp"
#include "stage_fixture.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::test;
using smo::remote::k_package_end;
using smo::remote::k_package_file;
using smo::remote::k_package_has;
using smo::remote::k_package_modules;
using smo::remote::k_package_no_file;

namespace {

StageOutcome run_stage(TestRig& rig) {
    return make_install_stage()->run(rig.context());
}

Context& staged(TestRig& rig) {
    Context& context = given_connected(rig);
    context.state.staged = true;
    rig.config.env.rollback.commands.install = "npm ci";
    return context;
}

const std::string k_lock_v1 = R"({"name": "app", "version": "1.0.0", "lockfileVersion": 3,
  "packages": {"": {"name": "app", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"},
                    "devDependencies": {"typescript": "^5.0.0"}},
               "node_modules/left-pad": {"version": "1.3.0"},
               "node_modules/typescript": {"version": "5.4.2", "dev": true}}})";

std::string package_json(const std::string& version, const std::string& deps,
                         const std::string& dev = R"({"typescript": "^5.0.0"})") {
    return R"({"name": "app", "version": ")" + version + R"(", "dependencies": )" + deps +
           R"(, "devDependencies": )" + dev + "}";
}

std::string with_version(std::string lock, const std::string& version) {
    for (std::size_t at = lock.find("1.0.0"); at != std::string::npos;
         at = lock.find("1.0.0", at + 1)) {
        lock.replace(at, 5, version);
    }
    return lock;
}

struct ReleaseFiles {
    std::string package;
    std::string lock;
};

// What remote::package_probe prints on a target whose live tree has
// node_modules holding `installed` (or none when `modules` is false).
std::string probe(const ReleaseFiles& from, const ReleaseFiles& to, bool modules,
                  const std::vector<std::string>& installed = {"left-pad", "typescript"}) {
    std::string out;
    if (modules) {
        out += reply_of({k_package_modules});
        for (const auto& name : installed) {
            out += reply_of({k_package_has + name});
        }
    }
    for (const auto& [side, release] : {std::pair<std::string, ReleaseFiles>{"from", from},
                                        std::pair<std::string, ReleaseFiles>{"to", to}}) {
        out += reply_of({k_package_file + side + " package.json", release.package, ""});
        out += reply_of({k_package_file + side + " package-lock.json",
                         release.lock.empty() ? std::string(k_package_no_file) : release.lock, ""});
    }
    return out + reply_of({k_package_end});
}

const ReleaseFiles k_from{package_json("1.1.0", R"({"left-pad": "^1.3.0"})"),
                          with_version(k_lock_v1, "1.1.0")};
const ReleaseFiles k_to{package_json("1.0.0", R"({"left-pad": "^1.3.0"})"), k_lock_v1};

} // namespace

TEST_CASE("install: an npm version bump reuses the live node_modules by hard links",
          "[stages][install]") {
    TestRig rig;
    Context& context = staged(rig);
    rig.shell.on(k_package_file, 0, probe(k_from, k_to, true));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK_THAT(outcome.detail, Catch::StartsWith("reused live node_modules by hard-link copy: "
                                                 "same dependency set ("));
    CHECK(context.state.reuse_node_modules);
    CHECK_FALSE(context.state.prune_dev_dependencies);
    REQUIRE(rig.shell.commands.size() == 2);
    CHECK(rig.shell.commands[0].find("git -C '/opt/apps/eo-mena' show '" + k_to_commit +
                                     ":package-lock.json'") != std::string::npos);
    // Long commands under the lock refresh its heartbeat (stage_support).
    CHECK(rig.shell.commands[1] ==
          remote::with_heartbeat(context.state.paths, "cp -al '/opt/apps/eo-mena/node_modules' '" +
                                                          k_staging + "/node_modules'"));
    CHECK_FALSE(rig.shell.ran("npm ci"));
}

TEST_CASE("install: a changed dependency set, or no live node_modules, installs in staging",
          "[stages][install]") {
    TestRig rig;
    Context& context = staged(rig);
    ReleaseFiles changed = k_to;
    SECTION("a dependency range changed") {
        changed.package = package_json("1.0.0", R"({"left-pad": "^1.2.0"})");
        rig.shell.on(k_package_file, 0, probe(k_from, changed, true));
    }
    SECTION("a locked version changed") {
        changed.lock.replace(changed.lock.find("1.3.0"), 5, "1.2.9");
        rig.shell.on(k_package_file, 0, probe(k_from, changed, true));
    }
    SECTION("overrides added") {
        changed.package.back() = ',';
        changed.package += R"("overrides": {"left-pad": "1.3.0"}})";
        rig.shell.on(k_package_file, 0, probe(k_from, changed, true));
    }
    SECTION("no lockfile in one release") {
        changed.lock.clear();
        rig.shell.on(k_package_file, 0, probe(k_from, changed, true));
    }
    SECTION("no node_modules live") {
        rig.shell.on(k_package_file, 0, probe(k_from, k_to, false));
    }
    SECTION("hard links impossible") {
        rig.shell.on(k_package_file, 0, probe(k_from, k_to, true));
        rig.shell.on("cp -al", 1, "", "cp: cannot create hard link: Invalid cross-device link\n");
    }
    SECTION("the probe failed") {
        rig.shell.on(k_package_file, 1, reply_of({k_package_modules}));
    }
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.shell.commands.back() ==
          remote::with_heartbeat(context.state.paths, "cd '" + k_staging + "' && npm ci"));
    CHECK_FALSE(context.state.reuse_node_modules);
    CHECK_FALSE(rig.shell.ran("cd '/opt/apps/eo-mena' && npm"));
}

TEST_CASE("install: a live tree without its devDependencies gets a full install, pruned after",
          "[stages][install]") {
    TestRig rig;
    Context& context = staged(rig);
    // Same dependency set, but the live node_modules lacks typescript: the
    // build needs it, so the live copy cannot serve the build.
    rig.shell.on(k_package_file, 0, probe(k_from, k_to, true, {"left-pad"}));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::ok);
    CHECK_FALSE(rig.shell.ran("cp -al"));
    CHECK(rig.shell.commands.back() ==
          remote::with_heartbeat(context.state.paths, "cd '" + k_staging + "' && npm ci"));
    CHECK(context.state.prune_dev_dependencies);
    CHECK_THAT(outcome.detail, Catch::Contains("devDependencies pruned after the build"));
}

TEST_CASE("install: another tool's install is never pruned by npm", "[stages][install]") {
    TestRig rig;
    Context& context = staged(rig);
    rig.config.env.rollback.commands.install = "yarn install --frozen-lockfile";
    rig.shell.on(k_package_file, 0, probe(k_from, k_to, true, {"left-pad"}));
    CHECK(run_stage(rig).status == StageStatus::ok);
    CHECK_FALSE(context.state.prune_dev_dependencies);
}

TEST_CASE("install: an app with no dependencies installs nothing", "[stages][install]") {
    TestRig rig;
    Context& context = staged(rig);
    const ReleaseFiles bare{R"({"name": "app", "version": "1.0.0", "dependencies": {}})",
                            R"({"name": "app", "lockfileVersion": 3, "packages": {"": {}}})"};
    rig.shell.on(k_package_file, 0, probe(k_from, bare, false));
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::skipped);
    CHECK(outcome.detail == "no dependencies: nothing to install");
    CHECK(rig.shell.commands.size() == 1);
    CHECK_FALSE(context.state.reuse_node_modules);
}

TEST_CASE("install: a failed install is SEV1, or a failed drill", "[stages][install]") {
    TestRig rig;
    staged(rig);
    rig.shell.on(k_package_file, 0, probe(k_from, k_to, false));
    rig.shell.on("npm ci", 1, "", "npm ERR! code ERESOLVE\nnpm ERR! unable to resolve\n");
    SECTION("rollback") {
        const StageOutcome outcome = run_stage(rig);
        CHECK(outcome.exit_code == ExitCode::sev1);
        CHECK(outcome.detail.find("npm ERR! unable to resolve") != std::string::npos);
        CHECK(outcome.detail.find("live app untouched") != std::string::npos);
    }
    SECTION("drill") {
        rig.options.dry_run = true;
        CHECK(run_stage(rig).exit_code == ExitCode::drill_failed);
    }
}

TEST_CASE("install: in-place strategy installs at stage 8 instead", "[stages][install]") {
    TestRig rig;
    staged(rig);
    rig.config.env.rollback.strategy = Strategy::in_place;
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.status == StageStatus::skipped);
    CHECK(outcome.detail.find("stage 8") != std::string::npos);
    CHECK(rig.shell.commands.empty());
}

TEST_CASE("install: the registry or the network failing is no SEV1: failed, live untouched",
          "[stages][install]") {
    TestRig rig;
    staged(rig);
    SECTION("DNS") {
        rig.shell.on("npm ci", 1, "",
                     "npm ERR! code ENOTFOUND\nnpm ERR! network request to "
                     "https://registry.npmjs.org/left-pad failed\n");
    }
    SECTION("registry answering 503") {
        rig.shell.on("npm ci", 1, "", "npm error code E503\nnpm error 503 Service Unavailable\n");
    }
    SECTION("a hung registry: the command timed out") {
        rig.shell.on("npm ci", [](const std::string&) {
            CommandResult result;
            result.exit_status = 124;
            result.timed_out = true;
            return result;
        });
    }
    const StageOutcome outcome = run_stage(rig);
    CHECK(outcome.exit_code == ExitCode::failed);
    CHECK(outcome.detail.find("network or the npm registry") != std::string::npos);
    CHECK(outcome.detail.find("live app untouched") != std::string::npos);
}
