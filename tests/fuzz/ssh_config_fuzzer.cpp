// ~/.ssh/config (docs/ssh.md). The first line of the input is the host alias,
// the rest the config text. Promises: no exception; a port is 0 (unset) or a
// valid port; no value spans lines; the merged target always has an address,
// a port and a user; OpenSSH's glob matches what it must.
#include "fuzz/fuzz_support.hpp"
#include "smo/config.hpp"
#include "smo/ssh_config.hpp"
#include "smo/ssh_target.hpp"

#include <string>

namespace {

bool one_line(const std::string& text) {
    return text.find('\n') == std::string::npos;
}

void check_settings(const smo::SshHostSettings& settings) {
    SMO_FUZZ_CHECK(settings.port >= 0 && settings.port <= 65535);
    SMO_FUZZ_CHECK(one_line(settings.host_name));
    SMO_FUZZ_CHECK(one_line(settings.user));
    for (const std::string& file : settings.identity_files) {
        SMO_FUZZ_CHECK(one_line(file));
    }
}

void check_target(std::string_view config_text, const std::string& alias) {
    smo::EnvironmentConfig env;
    env.host = alias;
    const smo::SshTarget target = smo::resolve_ssh_target(env, config_text, "/home/op", "op");
    SMO_FUZZ_CHECK(!target.address.empty());
    SMO_FUZZ_CHECK(target.port >= 1 && target.port <= 65535);
    SMO_FUZZ_CHECK(!target.user.empty());
    SMO_FUZZ_CHECK(!target.identity_files.empty());
    SMO_FUZZ_CHECK(target.known_hosts_file == "/home/op/.ssh/known_hosts");
}

void check_patterns(std::string_view alias) {
    SMO_FUZZ_CHECK(smo::ssh_pattern_matches("*", alias));
    const std::string prefix_star = std::string(alias.substr(0, alias.size() / 2)) + "*";
    SMO_FUZZ_CHECK(smo::ssh_pattern_matches(prefix_star, alias));
    if (alias.find_first_of("*?") == std::string_view::npos) {
        SMO_FUZZ_CHECK(smo::ssh_pattern_matches(alias, alias));
    }
    if (!alias.empty()) {
        SMO_FUZZ_CHECK(!smo::ssh_pattern_matches("", alias));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const smo::fuzz::Split input = smo::fuzz::split_first_line(smo::fuzz::as_text(data, size));
    const std::string_view head = input.head;
    const std::string_view config_text = input.rest;
    const std::string alias = head.empty() ? std::string("smo-sandbox") : std::string(head);
    smo::fuzz::never_throws([&] {
        check_settings(smo::lookup_ssh_config(config_text, alias));
        check_target(config_text, alias);
        check_patterns(alias);
        // The whole input as a config, for an alias that is usually not in it.
        check_settings(smo::lookup_ssh_config(smo::fuzz::as_text(data, size), "127.0.0.1"));
    });
    return 0;
}
