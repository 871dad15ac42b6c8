#include "smo/shell_quote.hpp"

#include <algorithm>

namespace smo {

std::string shell_quote(std::string_view word) {
    // Inside single quotes sh takes every byte literally except the closing
    // quote; a quote in the word becomes: close, escaped quote, reopen.
    std::string quoted;
    quoted.reserve(word.size() + 2);
    quoted.push_back('\'');
    for (const char c : word) {
        if (c == '\'') {
            quoted.append("'\\''");
        } else {
            quoted.push_back(c);
        }
    }
    quoted.push_back('\'');
    return quoted;
}

std::string wrap_remote_command(std::string_view remote_shell, std::string_view command,
                                int timeout_seconds) {
    std::string line = "timeout -k 2 " + std::to_string(std::max(timeout_seconds, 1));
    // remote_shell is validated configuration ("bash -lc"): its words go out
    // as they are, so that the login shell is what runs the quoted command.
    std::size_t start = 0;
    while (start < remote_shell.size()) {
        std::size_t space = remote_shell.find(' ', start);
        if (space == std::string_view::npos) {
            space = remote_shell.size();
        }
        if (space > start) {
            line.push_back(' ');
            line.append(remote_shell.substr(start, space - start));
        }
        start = space + 1;
    }
    line.push_back(' ');
    line.append(shell_quote(command));
    return line;
}

} // namespace smo
