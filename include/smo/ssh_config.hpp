#pragma once

#include <string>
#include <string_view>
#include <vector>

// ~/.ssh/config lookup for one host alias, as OpenSSH reads it: the first value
// obtained for each keyword wins; `Host` patterns take `*`, `?` and `!negation`.
namespace smo {

struct SshHostSettings {
    std::string host_name; // empty when not set
    std::string user;
    int port = 0;                            // 0 when not set
    std::vector<std::string> identity_files; // in file order, `~` not expanded
};

SshHostSettings lookup_ssh_config(std::string_view config_text, std::string_view host_alias);

// OpenSSH's pattern match for one pattern (no negation, no commas).
bool ssh_pattern_matches(std::string_view pattern, std::string_view text);

} // namespace smo
