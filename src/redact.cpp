#include "smo/redact.hpp"

#include "smo/text.hpp"

#include <algorithm>
#include <cctype>

namespace smo {
namespace {

using text::trim;

constexpr std::string_view k_mark = "<redacted>";

bool is_scheme_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
}

// After "://": "user:password@" up to the first '/', '@' or space. The
// password is the part between the first ':' and the last '@' of the
// authority, so an '@' inside a password is covered too.
std::string redact_url_passwords(std::string_view text) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t sep = text.find("://", pos);
        if (sep == std::string_view::npos) {
            break;
        }
        const bool has_scheme = sep > 0 && is_scheme_char(text[sep - 1]);
        const std::size_t start = sep + 3;
        std::size_t end = start;
        while (end < text.size() && text[end] != '/' && text[end] != ' ' && text[end] != '\n' &&
               text[end] != '"' && text[end] != '\'') {
            ++end;
        }
        const std::string_view authority = text.substr(start, end - start);
        const std::size_t at = authority.rfind('@');
        const std::size_t colon = authority.find(':');
        out.append(text.substr(pos, start - pos));
        if (has_scheme && at != std::string_view::npos && colon != std::string_view::npos &&
            colon < at) {
            out.append(authority.substr(0, colon + 1));
            out.append(k_mark);
            out.append(authority.substr(at));
        } else {
            out.append(authority);
        }
        pos = end;
    }
    out.append(text.substr(std::min(pos, text.size())));
    return out;
}

} // namespace

std::string redact_secrets(std::string_view text, const std::vector<std::string>& secrets) {
    std::string out = redact_url_passwords(text);
    std::vector<std::string> longest_first = secrets;
    std::sort(longest_first.begin(), longest_first.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const std::string& secret : longest_first) {
        if (secret.size() < k_min_secret_length) {
            continue;
        }
        for (std::size_t at = out.find(secret); at != std::string::npos;
             at = out.find(secret, at + k_mark.size())) {
            out.replace(at, secret.size(), k_mark);
        }
    }
    return out;
}

std::vector<std::string> env_file_values(std::string_view text) {
    std::vector<std::string> values;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (line.starts_with("export ")) {
            line = trim(line.substr(7));
        }
        const std::size_t equals = line.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            continue;
        }
        std::string_view value = trim(line.substr(equals + 1));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        if (!value.empty()) {
            values.emplace_back(value);
        }
    }
    return values;
}

} // namespace smo
