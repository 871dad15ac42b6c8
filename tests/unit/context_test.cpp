#include "smo/context.hpp"

#include <catch2/catch.hpp>

using namespace smo;

TEST_CASE("staging and aside paths sit beside the live tree, never inside it", "[context]") {
    const RemotePaths paths = remote_paths_for("/opt/apps/eo-mena/", "v1.4.2", "v1.4.1");
    CHECK(paths.live == "/opt/apps/eo-mena");
    CHECK(paths.work_root == "/opt/apps/.smo-rollback/eo-mena");
    CHECK(paths.staging == "/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1");
    CHECK(paths.asides == "/opt/apps/.smo-rollback/eo-mena/asides");
    CHECK(paths.aside == "/opt/apps/.smo-rollback/eo-mena/asides/v1.4.2");
    CHECK(remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1", "20261204T081500Z").aside ==
          "/opt/apps/.smo-rollback/eo-mena/asides/20261204T081500Z-v1.4.2");
    CHECK(paths.lock == "/opt/apps/.smo-rollback/eo-mena.lock");
    CHECK(paths.staging.rfind(paths.live + "/", 0) == std::string::npos);
}

TEST_CASE("aside stamps are UTC and sort in time order", "[context]") {
    const auto when = std::chrono::system_clock::time_point{std::chrono::seconds{1776568329}};
    CHECK(aside_stamp(when) == "20260419T031209Z");
    CHECK(aside_stamp(when + std::chrono::hours(24 * 300)) > aside_stamp(when));
}

TEST_CASE("a tag with '/' names one staging or aside directory, not a nested one", "[context]") {
    const RemotePaths paths =
        remote_paths_for("/opt/apps/eo-mena", "release/1.3", "release/1.2", "20261204T081500Z");
    CHECK(paths.staging == "/opt/apps/.smo-rollback/eo-mena/staged-release%2F1.2");
    CHECK(paths.aside == "/opt/apps/.smo-rollback/eo-mena/asides/20261204T081500Z-release%2F1.3");
    CHECK(remote_paths_for("/opt/apps/eo-mena", "release/1.3", "release/1.2").aside ==
          "/opt/apps/.smo-rollback/eo-mena/asides/release%2F1.3");
}
