#include "smo/context.hpp"

#include <catch2/catch.hpp>

using namespace smo;

TEST_CASE("staging and aside paths sit beside the live tree, never inside it", "[context]") {
    const RemotePaths paths = remote_paths_for("/opt/apps/eo-mena/", "v1.4.2", "v1.4.1");
    CHECK(paths.live == "/opt/apps/eo-mena");
    CHECK(paths.work_root == "/opt/apps/.smo-rollback/eo-mena");
    CHECK(paths.staging == "/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1");
    CHECK(paths.aside == "/opt/apps/.smo-rollback/eo-mena/aside-v1.4.2");
    CHECK(paths.lock == "/opt/apps/.smo-rollback/eo-mena.lock");
    CHECK(paths.staging.rfind(paths.live + "/", 0) == std::string::npos);
}
