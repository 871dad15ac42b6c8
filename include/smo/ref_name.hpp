#pragma once

#include <string_view>

// Validation of names that end up in remote commands (docs/safety.md).
namespace smo {

// git check-ref-format rules for a tag name, plus: no shell metacharacters,
// no whitespace, no leading '-'.
bool is_valid_tag_name(std::string_view tag);

// [A-Za-z0-9._-]+
bool is_valid_pm2_name(std::string_view name);

// 7 to 40 lowercase hex digits.
bool is_valid_commit(std::string_view commit);

// Absolute, no "..", no NUL, no newline.
bool is_valid_remote_path(std::string_view path);

} // namespace smo
