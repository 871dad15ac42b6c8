// .smorch/project.json (docs/configuration.md): parse_project_config returns a
// configuration whose every field has the promised form, or throws
// ConfigError; nothing else escapes.
#include "fuzz/fuzz_support.hpp"
#include "smo/config.hpp"
#include "smo/errors.hpp"
#include "smo/ref_name.hpp"

#include <cctype>
#include <string>

namespace {

bool in_range(int value, int low, int high) {
    return value >= low && value <= high;
}

// http:// or https://, in any case, and a host after it.
bool is_http_url(const std::string& url) {
    std::string scheme = url.substr(0, 8);
    for (char& c : scheme) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const std::size_t host = scheme.rfind("https://", 0) == 0  ? 8
                             : scheme.rfind("http://", 0) == 0 ? 7
                                                               : 0;
    return host != 0 && url.size() > host;
}

bool relative_inside(const std::string& path) {
    return !path.empty() && path.front() != '/' && path != ".." && path.rfind("../", 0) != 0 &&
           path.find("/../") == std::string::npos &&
           (path.size() < 3 || path.substr(path.size() - 3) != "/..");
}

void check_config(const smo::ProjectConfig& config, const std::string& env) {
    const smo::EnvironmentConfig& e = config.env;
    SMO_FUZZ_CHECK(e.name == env);
    SMO_FUZZ_CHECK(!e.host.empty() || !e.tailscale_ip.empty());
    SMO_FUZZ_CHECK(smo::is_valid_remote_path(e.path));
    SMO_FUZZ_CHECK(smo::is_valid_pm2_name(e.pm2_name));
    SMO_FUZZ_CHECK(smo::is_valid_tag_name(e.branch));
    SMO_FUZZ_CHECK(is_http_url(e.health_url));
    SMO_FUZZ_CHECK(in_range(e.rollback_sla_seconds, 1, 86400));
    SMO_FUZZ_CHECK(in_range(e.ssh.port, 0, 65535));
    SMO_FUZZ_CHECK(!e.ssh.known_hosts.empty());
    SMO_FUZZ_CHECK(in_range(e.rollback.settle_seconds, 0, 86400));
    SMO_FUZZ_CHECK(in_range(e.rollback.health_timeout_seconds, 1, 86400));
    SMO_FUZZ_CHECK(in_range(e.rollback.health_stable_polls, 1, 1000));
    SMO_FUZZ_CHECK(in_range(e.rollback.command_timeout_seconds, 1, 86400));
    SMO_FUZZ_CHECK(in_range(e.rollback.lock_stale_minutes, 1, 525600));
    SMO_FUZZ_CHECK(!e.rollback.remote_shell.empty());
    SMO_FUZZ_CHECK(e.rollback.migrations_dir.empty() || relative_inside(e.rollback.migrations_dir));
    for (const std::string& file : e.rollback.env_files) {
        SMO_FUZZ_CHECK(relative_inside(file));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = smo::fuzz::as_text(data, size);
    for (const std::string env : {"production", "staging"}) {
        smo::ProjectConfig config;
        const bool parsed = smo::fuzz::returns_or_throws<smo::ConfigError>(
            [&] { config = smo::parse_project_config(text, "project.json", env); });
        if (parsed) {
            check_config(config, env);
        }
    }
    return 0;
}
