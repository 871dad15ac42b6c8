#include "adapters/libssh2_login_env.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

using namespace smo::libssh2;
using namespace std::string_literals;

namespace {

// stdout of /bin/sh -c `line` (the test's own text, no input from outside).
std::string sh_output(const std::string& line) {
    FILE* pipe = ::popen(line.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        out.append(buffer.data(), n);
    }
    ::pclose(pipe);
    return out;
}

} // namespace

TEST_CASE("non_login_shell drops the login option and keeps the rest", "[login_env]") {
    CHECK(non_login_shell("bash -lc") == "bash -c");
    CHECK(non_login_shell(" /bin/bash  -lc ") == "/bin/bash -c");
    CHECK(non_login_shell("bash -l -c") == "bash -c");
    CHECK(non_login_shell("bash --login -c") == "bash -c");
    CHECK(non_login_shell("bash -lec") == "bash -ec");
    CHECK(non_login_shell("zsh -lc") == "zsh -c");
}

TEST_CASE("non_login_shell leaves alone what is no login shell or not plainly one", "[login_env]") {
    CHECK_FALSE(non_login_shell("bash -c").has_value());
    CHECK_FALSE(non_login_shell("sh -c").has_value());
    CHECK_FALSE(non_login_shell("bash -lc -x").has_value());
    CHECK_FALSE(non_login_shell("sudo -u app bash -lc").has_value());
    CHECK_FALSE(non_login_shell("fish -lc").has_value());
    CHECK_FALSE(non_login_shell("bash --norc -lc").has_value());
    CHECK_FALSE(non_login_shell("bash -l").has_value());
    CHECK_FALSE(non_login_shell("bash").has_value());
}

TEST_CASE("parse_login_env reads what follows the marker and ignores the profile's chatter",
          "[login_env]") {
    const std::string out = "Welcome to prod!\n"s + "\001smo-login-env\001" + "0027\n" +
                            "PATH=/opt/node/bin:/usr/bin"s + '\0' + "_=/usr/bin/env" + '\0' +
                            "PWD=/root" + '\0' + "OLDPWD=/" + '\0' + "MULTI=a\nb=c" + '\0' +
                            "BASH_FUNC_greet%%=() {  echo hi\n}" + '\0' + "-i=x" + '\0' +
                            "BASH_FUNC_bad name%%=x" + '\0' + "no_equals" + '\0' + "EMPTY=" + '\0';
    const auto env = parse_login_env(out);
    REQUIRE(env.has_value());
    CHECK(env->umask == "0027");
    CHECK(env->assignments ==
          std::vector<std::string>{"PATH=/opt/node/bin:/usr/bin", "MULTI=a\nb=c",
                                   "BASH_FUNC_greet%%=() {  echo hi\n}", "EMPTY="});
}

TEST_CASE("parse_login_env refuses output without the marker or the umask", "[login_env]") {
    CHECK_FALSE(parse_login_env("PATH=/usr/bin"s + '\0').has_value());
    CHECK_FALSE(parse_login_env("\001smo-login-env\001"s + "PATH=/usr/bin" + '\0').has_value());
    CHECK_FALSE(parse_login_env("\001smo-login-env\001"s + "0022").has_value());
}

TEST_CASE("a captured environment replays exactly, and only it", "[login_env]") {
    // Capture through a shell given a hostile-looking environment, then replay.
    const std::string capture =
        "env -i PATH=/usr/bin:/bin 'ODD=it'\\''s $(touch /tmp/smo-pwned-login-env) `id`' "
        "'NL=one\ntwo' sh -c " +
        std::string("\"umask 0027; ") + login_env_capture_command() + "\"";
    const auto env = parse_login_env(sh_output(capture));
    REQUIRE(env.has_value());
    CHECK(env->umask == "0027");
    const std::string line = replay_command(
        *env, "sh -c", "printf '%s|%s|%s|' \"$ODD\" \"$NL\" \"${HOME-unset}\"; umask", 10);
    CHECK(line.rfind("timeout -k 2 10 env -i ", 0) == 0);
    CHECK(sh_output(line) == "it's $(touch /tmp/smo-pwned-login-env) `id`|one\ntwo|unset|0027\n");
}

TEST_CASE("a replayed command keeps its exit status and the remote timeout", "[login_env]") {
    const LoginEnv env{"0022", {"PATH=/usr/bin:/bin"}};
    CHECK(sh_output(replay_command(env, "sh -c", "exit 7", 10) + "; echo \"rc=$?\"") == "rc=7\n");
    CHECK(sh_output(replay_command(env, "sh -c", "sleep 5", 1) + "; echo \"rc=$?\"") == "rc=124\n");
}
