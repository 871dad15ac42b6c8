#pragma once

#include <string>
#include <string_view>
#include <vector>

// Secrets in text that comes from the target (stderr tails, health bodies)
// before it is quoted in a record, an alert or on the terminal
// (docs/records.md, "What is never written").
namespace smo {

// `scheme://user:password@host` becomes `scheme://user:<redacted>@host`, and
// every occurrence of a value in `secrets` becomes `<redacted>` (values
// shorter than k_min_secret_length are skipped: "true" or "3000" would blank
// out half a message and protect nothing).
std::string redact_secrets(std::string_view text, const std::vector<std::string>& secrets);

inline constexpr std::size_t k_min_secret_length = 6;

// The values of an env file's `NAME=value` lines (`export` prefix and one
// level of quotes removed; comments and blank lines skipped).
std::vector<std::string> env_file_values(std::string_view text);

} // namespace smo
