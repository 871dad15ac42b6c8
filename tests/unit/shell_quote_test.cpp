#include "smo/shell_quote.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <filesystem>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace smo {
namespace {

// Runs /bin/sh -c `command_line` (argv, no other shell involved) and returns
// its stdout.
std::string run_sh(const std::string& command_line) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::string sh = "/bin/sh";
    std::string dash_c = "-c";
    std::string line = command_line;
    char* argv[] = {sh.data(), dash_c.data(), line.data(), nullptr};
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    REQUIRE(spawned == 0);
    std::string out;
    std::array<char, 4096> buffer{};
    ssize_t n = 0;
    while ((n = ::read(fds[0], buffer.data(), buffer.size())) > 0) {
        out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    return out;
}

const std::array<const char*, 14> k_hostile{
    "plain",
    "",
    "it's",
    "''",
    "'\\''",
    "\"double\" quotes",
    "$(touch /tmp/smo-pwned-by-quote-test)",
    "`id`",
    "$HOME and ${HOME}",
    "line one\nline two\n",
    "semi; colon && amp || pipe | > < &",
    "back\\slash \\n not a newline",
    "*.glob ? [a-z] ~ ~root",
    "tab\there !bang #hash",
};

} // namespace

TEST_CASE("shell_quote output is one word that sh reads back as the input", "[shell_quote]") {
    for (const char* word : k_hostile) {
        INFO(word);
        CHECK(run_sh("printf '%s' " + shell_quote(word)) == word);
    }
    CHECK_FALSE(std::filesystem::exists("/tmp/smo-pwned-by-quote-test"));
    CHECK(shell_quote("it's") == "'it'\\''s'");
    CHECK(shell_quote("") == "''");
}

TEST_CASE("wrap_remote_command adds a timeout and quotes the command once", "[shell_quote]") {
    CHECK(wrap_remote_command("bash -lc", "git status --porcelain", 600) ==
          "timeout -k 2 600 bash -lc 'git status --porcelain'");
    CHECK(wrap_remote_command("  /bin/bash   -lc ", "echo 'x'", 5) ==
          "timeout -k 2 5 /bin/bash -lc 'echo '\\''x'\\'''");
    CHECK(wrap_remote_command("sh -c", "true", 0) == "timeout -k 2 1 sh -c 'true'");
}

TEST_CASE("a wrapped command runs under sh with hostile arguments intact", "[shell_quote]") {
    for (const char* word : k_hostile) {
        INFO(word);
        const std::string command = "printf '%s' " + shell_quote(word);
        CHECK(run_sh(wrap_remote_command("sh -c", command, 10)) == word);
    }
    CHECK_FALSE(std::filesystem::exists("/tmp/smo-pwned-by-quote-test"));
}

TEST_CASE("the remote timeout fires with exit 124", "[shell_quote]") {
    const std::string line = wrap_remote_command("sh -c", "sleep 5", 1) + "; echo \"rc=$?\"";
    CHECK(run_sh(line) == "rc=124\n");
}

} // namespace smo
