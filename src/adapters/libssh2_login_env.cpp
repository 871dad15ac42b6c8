#include "libssh2_login_env.hpp"

#include "smo/shell_quote.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace smo::libssh2 {

namespace {

// \001 on both sides: no profile prints that by accident.
constexpr std::string_view k_marker = "\001smo-login-env\001";

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t space = text.find(' ', start);
        if (space == std::string_view::npos) {
            space = text.size();
        }
        if (space > start) {
            words.emplace_back(text.substr(start, space - start));
        }
        start = space + 1;
    }
    return words;
}

bool is_known_shell(const std::string& program) {
    const auto slash = program.rfind('/');
    const std::string name = slash == std::string::npos ? program : program.substr(slash + 1);
    static constexpr std::array<std::string_view, 5> k_shells = {"bash", "sh", "zsh", "ksh",
                                                                 "dash"};
    return std::find(k_shells.begin(), k_shells.end(), name) != k_shells.end();
}

bool is_identifier(std::string_view name) {
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

// NAME of NAME=value worth replaying: a variable, or a function bash exported
// (BASH_FUNC_name%%), which the replaying bash imports the same way.
bool is_replayable_name(std::string_view name) {
    if (name == "_" || name == "PWD" || name == "OLDPWD") {
        return false;
    }
    constexpr std::string_view k_function_prefix = "BASH_FUNC_";
    constexpr std::string_view k_function_suffix = "%%";
    if (name.size() > k_function_prefix.size() + k_function_suffix.size() &&
        name.substr(0, k_function_prefix.size()) == k_function_prefix &&
        name.substr(name.size() - k_function_suffix.size()) == k_function_suffix) {
        return is_identifier(
            name.substr(k_function_prefix.size(),
                        name.size() - k_function_prefix.size() - k_function_suffix.size()));
    }
    return is_identifier(name);
}

bool is_umask(std::string_view text) {
    return text.size() >= 3 && text.size() <= 4 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '7'; });
}

} // namespace

std::optional<std::string> non_login_shell(std::string_view remote_shell) {
    const std::vector<std::string> words = words_of(remote_shell);
    if (words.size() < 2 || !is_known_shell(words.front())) {
        return std::nullopt;
    }
    bool login = false;
    std::vector<std::string> options;
    for (std::size_t i = 1; i < words.size(); ++i) {
        std::string word = words[i];
        if (word == "--login") {
            login = true;
            continue;
        }
        if (word.size() < 2 || word[0] != '-' || word[1] == '-') {
            return std::nullopt; // an argument, or a long option we do not know
        }
        const auto before = word.size();
        word.erase(std::remove(word.begin() + 1, word.end(), 'l'), word.end());
        login = login || word.size() != before;
        if (word.size() > 1) {
            options.push_back(word);
        }
    }
    // Only "<shell> [options] -…c", the form a command is handed to.
    if (!login || options.empty() || options.back().back() != 'c') {
        return std::nullopt;
    }
    std::string shell = words.front();
    for (const auto& option : options) {
        shell += " " + option;
    }
    return shell;
}

std::string login_env_capture_command() {
    return "printf '\\001smo-login-env\\001'; umask; env -0";
}

std::optional<LoginEnv> parse_login_env(const std::string& out) {
    const auto marker = out.find(k_marker);
    if (marker == std::string::npos) {
        return std::nullopt;
    }
    std::size_t pos = marker + k_marker.size();
    const auto newline = out.find('\n', pos);
    if (newline == std::string::npos) {
        return std::nullopt;
    }
    LoginEnv env;
    env.umask = out.substr(pos, newline - pos);
    if (!is_umask(env.umask)) {
        return std::nullopt;
    }
    pos = newline + 1;
    while (pos < out.size()) {
        std::size_t end = out.find('\0', pos);
        if (end == std::string::npos) {
            end = out.size();
        }
        const std::string_view entry(out.data() + pos, end - pos);
        const auto equals = entry.find('=');
        if (equals != std::string_view::npos && is_replayable_name(entry.substr(0, equals))) {
            env.assignments.emplace_back(entry);
        }
        pos = end + 1;
    }
    return env;
}

std::string replay_command(const LoginEnv& env, std::string_view shell, std::string_view command,
                           int timeout_seconds) {
    std::string line = "timeout -k 2 " + std::to_string(std::max(timeout_seconds, 1)) + " env -i";
    for (const auto& assignment : env.assignments) {
        line += " " + shell_quote(assignment);
    }
    // shell is non_login_shell's result: validated words, sent as words.
    line += " " + std::string(shell) + " ";
    line += shell_quote("umask " + env.umask + "; " + std::string(command));
    return line;
}

} // namespace smo::libssh2
