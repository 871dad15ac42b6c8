#pragma once

#include <string>
#include <string_view>

namespace smo {

// POSIX single-quoting: the result is one word for sh, whatever `word` holds.
std::string shell_quote(std::string_view word);

// The exact command line sent over SSH: `timeout -k 2 N <remote_shell> '<command>'`
// — one layer of quoting for the login shell, a remote timeout so a hung command
// dies on the server too (exit 124).
std::string wrap_remote_command(std::string_view remote_shell, std::string_view command,
                                int timeout_seconds);

} // namespace smo
