#include "smo/ref_name.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace smo {

TEST_CASE("ordinary release tags are valid", "[ref_name]") {
    for (const char* tag : {"v1.4.2", "v1.10.0", "1.0", "release-2026.04.19", "v2.0.0-rc.1",
                            "v1.4.2+build.7", "release/1.4", "v1_4", "a@b", "x=y,z%"}) {
        INFO(tag);
        CHECK(is_valid_tag_name(tag));
    }
}

TEST_CASE("git ref rules reject malformed tags", "[ref_name]") {
    for (const char* tag : {"",        "@",    "a..b",       "-x",   ".hidden", "v1.",   "v1/",
                            "v1.lock", "a/.b", "a/b.lock/c", "a//b", "/a",      "v@{1}", "a b",
                            "a~1",     "a^",   "a:b",        "a?",   "a*",      "a[1",   "a\\b"}) {
        INFO(tag);
        CHECK_FALSE(is_valid_tag_name(tag));
    }
    CHECK_FALSE(is_valid_tag_name(std::string("v1\0x", 4)));
    CHECK_FALSE(is_valid_tag_name("v1\tx"));
    CHECK_FALSE(is_valid_tag_name("v1\x7f"));
    CHECK_FALSE(is_valid_tag_name(std::string(201, 'a')));
    CHECK(is_valid_tag_name(std::string(200, 'a')));
}

TEST_CASE("hostile tags with shell metacharacters are rejected", "[ref_name]") {
    for (const char* tag :
         {"v1;rm -rf /", "v1;rm", "$(reboot)", "`id`", "v1|sh", "v1&&id", "v1>x", "v1<x", "v1'x",
          "v1\"x", "v1!x", "v{1,2}", "v1#x", "v$HOME", "v(1)", "v1\nid", "v1\r", "v1\xc3\xa9"}) {
        INFO(tag);
        CHECK_FALSE(is_valid_tag_name(tag));
    }
}

TEST_CASE("pm2 names are [A-Za-z0-9._-]+ and not an option", "[ref_name]") {
    CHECK(is_valid_pm2_name("eo-main"));
    CHECK(is_valid_pm2_name("App_2.worker"));
    for (const char* name : {"", "eo main", "-x", "a;b", "$(id)", "a/b", "a\nb"}) {
        INFO(name);
        CHECK_FALSE(is_valid_pm2_name(name));
    }
}

TEST_CASE("commits are 7 to 40 lowercase hex digits", "[ref_name]") {
    CHECK(is_valid_commit("b2c5d82"));
    CHECK(is_valid_commit(std::string(40, 'f')));
    CHECK_FALSE(is_valid_commit("b2c5d8"));
    CHECK_FALSE(is_valid_commit(std::string(41, 'a')));
    CHECK_FALSE(is_valid_commit("B2C5D82"));
    CHECK_FALSE(is_valid_commit("b2c5d8g"));
    CHECK_FALSE(is_valid_commit("b2c5d82;"));
}

TEST_CASE("remote paths are absolute, without .. or control characters", "[ref_name]") {
    CHECK(is_valid_remote_path("/opt/apps/eo-mena"));
    CHECK(is_valid_remote_path("/srv/my app/x..y"));
    CHECK(is_valid_remote_path("/opt/apps/eo/"));
    for (const char* path :
         {"", "opt/apps", "/", "//", "/opt/../etc", "/opt/..", "~/app", "/opt/a\nb", "/opt/a\rb"}) {
        INFO(path);
        CHECK_FALSE(is_valid_remote_path(path));
    }
    CHECK_FALSE(is_valid_remote_path(std::string("/opt/a\0b", 8)));
}

} // namespace smo
