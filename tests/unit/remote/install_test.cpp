// Stage 5's round trips: package_probe's script pinned byte for byte, its
// reply read from fakes built of the k_ markers, and the script run for real
// against a throwaway repository.
#include "smo/remote/install.hpp"
#include "support/fake_reply.hpp"
#include "support/local_shell.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::remote;
using smo::test::reply_of;

namespace {

std::string file_line(const std::string& which) {
    return k_package_file + which;
}

} // namespace

TEST_CASE("remote install: the commands, every argument quoted", "[remote][install]") {
    const RemotePaths paths = remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1");
    CHECK(package_probe(paths, "a1", "b2") ==
          "if [ -d '/opt/apps/eo-mena/node_modules' ]; then echo smo:modules; (cd "
          "'/opt/apps/eo-mena/node_modules' && for d in * @*/*; do [ -d \"$d\" ] && echo "
          "\"smo:has $d\"; done); fi\n"
          "echo 'smo:file from package.json'; git -C '/opt/apps/eo-mena' show 'a1:package.json' "
          "2>/dev/null || echo smo:no-file; echo\n"
          "echo 'smo:file from package-lock.json'; git -C '/opt/apps/eo-mena' show "
          "'a1:package-lock.json' 2>/dev/null || echo smo:no-file; echo\n"
          "echo 'smo:file to package.json'; git -C '/opt/apps/eo-mena' show 'b2:package.json' "
          "2>/dev/null || echo smo:no-file; echo\n"
          "echo 'smo:file to package-lock.json'; git -C '/opt/apps/eo-mena' show "
          "'b2:package-lock.json' 2>/dev/null || echo smo:no-file; echo\n"
          "echo smo:end");
    CHECK(copy_node_modules(paths) ==
          "cp -al '/opt/apps/eo-mena/node_modules' "
          "'/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1/node_modules'");
    CHECK(prune_dev_dependencies(paths) ==
          "cd '/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1' && npm prune --omit=dev");
}

TEST_CASE("remote install: the probe's reply gives the installed packages and both releases' "
          "files",
          "[remote][install]") {
    SECTION("complete, with live node_modules") {
        const PackageProbe probe = parse_package_probe(
            reply_of({k_package_modules, std::string(k_package_has) + "left-pad",
                      std::string(k_package_has) + "@types/node", file_line("from package.json"),
                      "{\"name\": \"app\",", "  \"version\": \"1.1.0\"}", "",
                      file_line("from package-lock.json"), k_package_no_file, "",
                      file_line("to package.json"), "{}", "", file_line("to package-lock.json"),
                      "{\"lockfileVersion\": 3}", "", k_package_end}));
        CHECK(probe.complete);
        CHECK(probe.live_modules);
        CHECK(probe.installed == std::vector<std::string>{"left-pad", "@types/node"});
        CHECK(probe.from.package_json == "{\"name\": \"app\",\n  \"version\": \"1.1.0\"}\n\n");
        CHECK_FALSE(probe.from.package_lock);
        CHECK(probe.to.package_json == "{}\n\n");
        CHECK(probe.to.package_lock == "{\"lockfileVersion\": 3}\n\n");
    }
    SECTION("no node_modules live") {
        const PackageProbe probe =
            parse_package_probe(reply_of({file_line("to package.json"), "{}", k_package_end}));
        CHECK(probe.complete);
        CHECK_FALSE(probe.live_modules);
        CHECK(probe.installed.empty());
        CHECK(probe.to.package_json == "{}\n");
        CHECK_FALSE(probe.from.package_json);
    }
    SECTION("cut short: no k_package_end") {
        const PackageProbe probe = parse_package_probe(
            reply_of({k_package_modules, file_line("from package.json"), "{}"}));
        CHECK_FALSE(probe.complete);
        CHECK(probe.live_modules);
    }
}

TEST_CASE("remote install: the probe on a real repository", "[remote][install][shell]") {
    test::TempDir dir;
    const std::string live = dir.str() + "/apps/app";
    const auto run = [](const std::string& command) {
        const test::LocalShellResult result = test::run_local_shell(command);
        REQUIRE(result.exit_status == 0);
        return result.output;
    };
    run("set -e; mkdir -p '" + live + "'; cd '" + live +
        "'; git init -q; git config user.email t@t; git config user.name t; echo node_modules/ > "
        ".gitignore; echo '{\"v\": 1}' > package.json; git add -A; git commit -qm one; echo "
        "'{\"lockfileVersion\": 3}' > package-lock.json; git add -A; git commit -qm two; mkdir "
        "-p node_modules/left-pad node_modules/@types/node; touch node_modules/not-a-dir");
    const RemotePaths paths = remote_paths_for(live, "v2", "v1");
    const std::string from = run("git -C '" + live + "' rev-parse HEAD");
    const std::string to = run("git -C '" + live + "' rev-parse HEAD~1");
    const PackageProbe probe = parse_package_probe(
        run(package_probe(paths, from.substr(0, from.find('\n')), to.substr(0, to.find('\n')))));
    CHECK(probe.complete);
    CHECK(probe.live_modules);
    using Catch::Matchers::VectorContains;
    CHECK_THAT(probe.installed, VectorContains(std::string("left-pad")));
    CHECK_THAT(probe.installed, VectorContains(std::string("@types/node")));
    CHECK_THAT(probe.installed, !VectorContains(std::string("not-a-dir")));
    CHECK(probe.from.package_json == "{\"v\": 1}\n\n");
    CHECK(probe.from.package_lock == "{\"lockfileVersion\": 3}\n\n");
    CHECK(probe.to.package_json == "{\"v\": 1}\n\n");
    CHECK_FALSE(probe.to.package_lock);
}
