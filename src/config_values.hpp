#pragma once

#include <string>

// Internal to config.cpp: the forms project.json's values must have
// (docs/configuration.md). Each says whether `text` has its form.
namespace smo::config_values {

bool is_host_name(const std::string& text);

bool is_user_name(const std::string& text);

bool is_local_file(const std::string& text);

bool is_command(const std::string& text);

bool is_http_url(const std::string& text);

// Relative to the checkout, inside it: "db/migrations", ".env.local".
bool is_relative_path(const std::string& text);

// Words of a plain command ("bash -lc", "/bin/bash -lc"): they are sent unquoted.
bool is_shell_words(const std::string& text);

bool is_pm2_name(const std::string& text);

bool is_ref_name(const std::string& text);

bool is_remote_path(const std::string& text);

} // namespace smo::config_values
