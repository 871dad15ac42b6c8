#include "smo/ssh_config.hpp"

#include <catch2/catch.hpp>

namespace smo {

TEST_CASE("ssh patterns: *, ? and literal text", "[ssh_config]") {
    CHECK(ssh_pattern_matches("*", "eo-prod"));
    CHECK(ssh_pattern_matches("eo-*", "eo-prod"));
    CHECK(ssh_pattern_matches("*-prod", "eo-prod"));
    CHECK(ssh_pattern_matches("eo-pro?", "eo-prod"));
    CHECK(ssh_pattern_matches("e*o*d", "eo-prod"));
    CHECK(ssh_pattern_matches("100.*", "100.89.148.62"));
    CHECK_FALSE(ssh_pattern_matches("eo-pro?", "eo-pro"));
    CHECK_FALSE(ssh_pattern_matches("eo", "eo-prod"));
    CHECK_FALSE(ssh_pattern_matches("*-staging", "eo-prod"));
    CHECK_FALSE(ssh_pattern_matches("", "eo-prod"));
}

// Found by the ssh_config fuzzer (tests/fuzz/regressions/ssh_config/).
TEST_CASE("ssh patterns: a * in the text does not use up the pattern's *", "[ssh_config]") {
    CHECK(ssh_pattern_matches("a*", "a*b"));
    CHECK(ssh_pattern_matches("*", "*x"));
    CHECK(ssh_pattern_matches("eo-*-prod", "eo-*-x-prod"));
    CHECK_FALSE(ssh_pattern_matches("a*c", "a*b"));
}

TEST_CASE("a Host block gives HostName, User, Port and IdentityFile", "[ssh_config]") {
    const char* config = R"(
# my servers
Host eo-prod
    HostName 10.0.0.5
    User deploy
    Port 2222
    IdentityFile ~/.ssh/eo_ed25519

Host other
    User nobody
)";
    const SshHostSettings settings = lookup_ssh_config(config, "eo-prod");
    CHECK(settings.host_name == "10.0.0.5");
    CHECK(settings.user == "deploy");
    CHECK(settings.port == 2222);
    CHECK(settings.identity_files == std::vector<std::string>{"~/.ssh/eo_ed25519"});

    const SshHostSettings none = lookup_ssh_config(config, "unknown");
    CHECK(none.host_name.empty());
    CHECK(none.user.empty());
    CHECK(none.port == 0);
    CHECK(none.identity_files.empty());
}

TEST_CASE("the first value wins and IdentityFile accumulates", "[ssh_config]") {
    const char* config = R"(
Host eo-prod
    User first
    IdentityFile ~/.ssh/one
Host eo-*
    User second
    Port 2200
    IdentityFile ~/.ssh/two
Host *
    User third
    Port 22
    HostName %h.example.com
)";
    const SshHostSettings settings = lookup_ssh_config(config, "eo-prod");
    CHECK(settings.user == "first");
    CHECK(settings.port == 2200);
    CHECK(settings.host_name == "eo-prod.example.com");
    CHECK(settings.identity_files == std::vector<std::string>{"~/.ssh/one", "~/.ssh/two"});
}

TEST_CASE("negated patterns veto a Host line", "[ssh_config]") {
    const char* config = R"(
Host * !eo-prod
    User everyone-else
Host eo-* !eo-staging
    User eo-user
)";
    CHECK(lookup_ssh_config(config, "eo-prod").user == "eo-user");
    CHECK(lookup_ssh_config(config, "eo-staging").user == "everyone-else");
    CHECK(lookup_ssh_config(config, "web").user == "everyone-else");
}

TEST_CASE("Key=value, case-insensitive keywords, quotes and comments", "[ssh_config]") {
    const char* config = "HOST=eo-prod other\n"
                         "  hostname=10.1.2.3   # trailing comment\n"
                         "  USER = \"deploy user\"\n"
                         "\tpOrT\t= 2022\n"
                         "  IdentityFile \"/home/me/my keys/id ed\"\n"
                         "  IdentityFile '/single/quoted'\n"
                         "# Port 1\n";
    const SshHostSettings settings = lookup_ssh_config(config, "eo-prod");
    CHECK(settings.host_name == "10.1.2.3");
    CHECK(settings.user == "deploy user");
    CHECK(settings.port == 2022);
    CHECK(settings.identity_files ==
          std::vector<std::string>{"/home/me/my keys/id ed", "/single/quoted"});
    CHECK(lookup_ssh_config(config, "other").host_name == "10.1.2.3");
}

TEST_CASE("global lines apply to all, Match blocks are skipped unless Match all", "[ssh_config]") {
    const char* config = R"(
IdentityFile ~/.ssh/global
Match host eo-prod exec "true"
    User from-match
    Port 1234
Host eo-prod
    HostName 10.0.0.9
Match all
    User from-match-all
)";
    const SshHostSettings settings = lookup_ssh_config(config, "eo-prod");
    CHECK(settings.identity_files == std::vector<std::string>{"~/.ssh/global"});
    CHECK(settings.user == "from-match-all");
    CHECK(settings.port == 0);
    CHECK(settings.host_name == "10.0.0.9");
}

TEST_CASE("an invalid Port is ignored and CRLF lines are read", "[ssh_config]") {
    CHECK(lookup_ssh_config("Host a\r\n  Port abc\r\n", "a").port == 0);
    CHECK(lookup_ssh_config("Host a\r\n  Port 70000\r\n", "a").port == 0);
    CHECK(lookup_ssh_config("Host a\r\n  Port 22\r\n  User u\r\n", "a").user == "u");
    CHECK(lookup_ssh_config("", "a").host_name.empty());
}

} // namespace smo
