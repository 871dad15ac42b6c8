#include "smo/ssh_config.hpp"

#include <cctype>
#include <charconv>
#include <optional>

// A reading of ~/.ssh/config that follows OpenSSH's readconf.c for the four
// keywords this tool uses. Deliberately not supported: Include (the parser is
// a pure function of one text) and Match (its criteria need the network or
// other files); a `Match` block is skipped unless it is `Match all`.
namespace smo {
namespace {

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Splits the arguments after the keyword like OpenSSH's argv_split: single or
// double quotes group, a backslash escapes a quote or a backslash, and a word
// that starts with '#' ends the line.
std::vector<std::string> split_arguments(std::string_view text) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) {
            ++i;
        }
        if (i >= text.size() || text[i] == '#') {
            break;
        }
        std::string word;
        char quote = 0;
        for (; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '\\' && i + 1 < text.size() &&
                (text[i + 1] == '\'' || text[i + 1] == '"' || text[i + 1] == '\\' ||
                 (quote == 0 && text[i + 1] == ' '))) {
                word.push_back(text[++i]);
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (quote == 0 && is_space(c)) {
                break;
            } else {
                word.push_back(c);
            }
        }
        words.push_back(std::move(word));
    }
    return words;
}

struct ConfigLine {
    std::string keyword; // lower case
    std::vector<std::string> arguments;
};

// "Keyword value", "Keyword=value" or "Keyword = value"; nullopt for blank
// lines and comments.
std::optional<ConfigLine> parse_line(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && is_space(line[i])) {
        ++i;
    }
    if (i >= line.size() || line[i] == '#') {
        return std::nullopt;
    }
    const std::size_t keyword_start = i;
    while (i < line.size() && !is_space(line[i]) && line[i] != '=') {
        ++i;
    }
    ConfigLine parsed;
    parsed.keyword = lowercase(line.substr(keyword_start, i - keyword_start));
    while (i < line.size() && is_space(line[i])) {
        ++i;
    }
    if (i < line.size() && line[i] == '=') {
        ++i;
    }
    parsed.arguments = split_arguments(line.substr(i));
    return parsed;
}

bool host_line_matches(const std::vector<std::string>& patterns, std::string_view host) {
    bool matched = false;
    for (const std::string& pattern : patterns) {
        if (!pattern.empty() && pattern.front() == '!') {
            if (ssh_pattern_matches(std::string_view(pattern).substr(1), host)) {
                return false; // a matching negation vetoes the whole line
            }
        } else if (ssh_pattern_matches(pattern, host)) {
            matched = true;
        }
    }
    return matched;
}

// HostName takes %h (the alias) and %% like OpenSSH; other tokens are kept.
std::string expand_host_name(std::string_view value, std::string_view host) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '%' && i + 1 < value.size() && value[i + 1] == 'h') {
            out.append(host);
            ++i;
        } else if (value[i] == '%' && i + 1 < value.size() && value[i + 1] == '%') {
            out.push_back('%');
            ++i;
        } else {
            out.push_back(value[i]);
        }
    }
    return out;
}

int parse_port(std::string_view text) {
    int port = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (error != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) {
        return 0;
    }
    return port;
}

void apply(const ConfigLine& line, std::string_view host, SshHostSettings& settings) {
    if (line.arguments.empty()) {
        return;
    }
    const std::string& value = line.arguments.front();
    if (line.keyword == "hostname" && settings.host_name.empty()) {
        settings.host_name = expand_host_name(value, host);
    } else if (line.keyword == "user" && settings.user.empty()) {
        settings.user = value;
    } else if (line.keyword == "port" && settings.port == 0) {
        settings.port = parse_port(value);
    } else if (line.keyword == "identityfile") {
        settings.identity_files.push_back(value);
    }
}

} // namespace

bool ssh_pattern_matches(std::string_view pattern, std::string_view text) {
    // Iterative glob with one backtrack point: linear enough for config lines.
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t star_text = 0;
    while (t < text.size()) {
        // '*' first: a '*' in the text must not be taken as a literal match
        // for the pattern's '*' (that loses the backtrack point).
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
        } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

SshHostSettings lookup_ssh_config(std::string_view config_text, std::string_view host_alias) {
    SshHostSettings settings;
    bool active = true; // lines before the first Host apply to every host
    std::size_t start = 0;
    while (start < config_text.size()) {
        std::size_t end = config_text.find('\n', start);
        if (end == std::string_view::npos) {
            end = config_text.size();
        }
        const std::optional<ConfigLine> line = parse_line(config_text.substr(start, end - start));
        start = end + 1;
        if (!line) {
            continue;
        }
        if (line->keyword == "host") {
            active = host_line_matches(line->arguments, host_alias);
        } else if (line->keyword == "match") {
            active = line->arguments.size() == 1 && lowercase(line->arguments.front()) == "all";
        } else if (active) {
            apply(*line, host_alias, settings);
        }
    }
    return settings;
}

} // namespace smo
