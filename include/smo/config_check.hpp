#pragma once

#include <string>
#include <string_view>
#include <vector>

// Second looks at .smorch/project.json (docs/configuration.md), beside the
// parser: what is probably a typo, and key files that are not there.
namespace smo {

// Levenshtein distance, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b);

// Warnings, each naming the key by JSON path and the likely key: unknown keys
// in the sections only this tool reads (ssh, rollback, rollback.commands), and
// near-misses (edit distance ≤ 2) of known keys anywhere in the environment
// and at the deploy level. Text that does not parse gives none (the parser
// reports it).
std::vector<std::string> config_warnings(std::string_view json_text, const std::string& env_name);

// Throws ConfigError when ssh.identity_file or ssh.known_hosts is set for the
// environment and names a file that does not exist (`~` is `home`). A missing
// known_hosts is fine with --accept-new-host-key, which creates it.
void check_key_files(std::string_view json_text, const std::string& file_label,
                     const std::string& env_name, const std::string& home,
                     bool accept_new_host_key);

} // namespace smo
