#pragma once

#include "smo/remote_commands.hpp"
#include "smo/stages.hpp"
#include "support/test_context.hpp"

#include <string>

// Shared by the stage tests: eo-mena rolling back v1.4.2 → v1.4.1, the rig
// brought to the state a given stage starts from.
namespace smo::test {

inline const std::string k_from_commit = "c3d4e5f60718293a4b5c6d7e8f90112233445566";
inline const std::string k_to_commit = "b2c5d82f00112233445566778899aabbccddeeff";
inline const std::string k_live = "/opt/apps/eo-mena";
inline const std::string k_staging = "/opt/apps/.smo-rollback/eo-mena/staged-v1.4.1";
// The FakeClock's wall time at start (2026-04-19T03:12:09Z) stamps the aside.
inline const std::string k_stamp = "20260419T031209Z";
inline const std::string k_asides = "/opt/apps/.smo-rollback/eo-mena/asides";
inline const std::string k_aside = k_asides + "/" + k_stamp + "-v1.4.2";
inline const char* const k_work_root = "/opt/apps/.smo-rollback/eo-mena";
inline const std::string k_lock = "/opt/apps/.smo-rollback/eo-mena.lock";

// What stages 1 and 2 leave behind.
inline Context& given_release(TestRig& rig) {
    Context& context = rig.context();
    context.report.from_tag = "v1.4.2";
    context.report.from_commit = k_from_commit;
    context.report.to_tag = "v1.4.1";
    context.report.to_commit = k_to_commit;
    context.state.paths = remote_paths_for(rig.config.env.path, "v1.4.2", "v1.4.1", k_stamp);
    return context;
}

// What stage 3 leaves behind.
inline Context& given_connected(TestRig& rig) {
    Context& context = given_release(rig);
    context.state.connected = true;
    context.state.lock_held = true;
    context.state.live_commit = k_from_commit;
    return context;
}

// The health endpoint's JSON for a commit.
inline std::string health_body(const std::string& commit, const std::string& status = "ok") {
    return R"({"status":")" + status + R"(","commit":")" + commit.substr(0, 7) +
           R"(","uptime_seconds":4})";
}

inline bool no_destructive_git(const FakeRemoteShell& shell) {
    for (const auto& command : shell.commands) {
        if (command.find("reset --hard") != std::string::npos ||
            command.find("git clean") != std::string::npos ||
            command.find(" clean -") != std::string::npos) {
            return false;
        }
    }
    return true;
}

} // namespace smo::test
