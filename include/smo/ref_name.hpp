#pragma once

#include <string>
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

// A tag as part of one file or directory name: '/' (legal in tags, as in
// release/1.3) becomes "%2F" and '%' becomes "%25", so record names and the
// staging/aside directories stay flat and read back exactly.
std::string tag_as_file_name(std::string_view tag);

// The inverse of tag_as_file_name; other '%' sequences are left as they are.
std::string tag_from_file_name(std::string_view name);

} // namespace smo
