#include "config_values.hpp"

#include "smo/ref_name.hpp"
#include "smo/remote_commands.hpp"
#include "smo/text.hpp"

#include <cctype>
#include <sstream>

namespace smo::config_values {
namespace {

using text::has_control;

bool only_chars(std::string_view text, std::string_view extra) {
    for (const char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || extra.find(c) != std::string_view::npos;
        if (!ok) {
            return false;
        }
    }
    return true;
}

} // namespace

bool is_host_name(const std::string& text) {
    return !text.empty() && text.size() <= 253 && text.front() != '-' && only_chars(text, ".-_:%");
}

bool is_user_name(const std::string& text) {
    return !text.empty() && text.size() <= 64 && text.front() != '-' && only_chars(text, "._@-");
}

bool is_local_file(const std::string& text) {
    return !text.empty() && !has_control(text);
}

bool is_command(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") != std::string::npos &&
           text.find('\0') == std::string::npos;
}

bool is_http_url(const std::string& text) {
    std::string lower = text.substr(0, 8);
    for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::size_t host_start = 0;
    if (lower.starts_with("http://")) {
        host_start = 7;
    } else if (lower.starts_with("https://")) {
        host_start = 8;
    } else {
        return false;
    }
    return text.size() > host_start && text[host_start] != '/' && !has_control(text) &&
           text.find(' ') == std::string::npos;
}

// Relative to the checkout, inside it: "db/migrations", ".env.local".
bool is_relative_path(const std::string& text) {
    if (text.empty() || text.front() == '/' || text.front() == '-' || has_control(text)) {
        return false;
    }
    std::stringstream parts(text);
    std::string part;
    while (std::getline(parts, part, '/')) {
        if (part == "..") {
            return false;
        }
    }
    return true;
}

// Words of a plain command ("bash -lc", "/bin/bash -lc"): they are sent unquoted.
bool is_shell_words(const std::string& text) {
    return text.find_first_not_of(' ') != std::string::npos && only_chars(text, " ._/+=-");
}

bool is_pm2_name(const std::string& text) {
    return is_valid_pm2_name(text);
}
bool is_ref_name(const std::string& text) {
    return is_valid_tag_name(text);
}
bool is_remote_path(const std::string& text) {
    return is_valid_remote_path(text);
}

} // namespace smo::config_values
