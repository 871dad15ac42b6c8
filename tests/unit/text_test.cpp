#include "smo/text.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace smo;

TEST_CASE("text: trim, short commit and control characters", "[text]") {
    CHECK(text::trim("  v1.2.0\t\r") == "v1.2.0");
    CHECK(text::trim(" \t ").empty());
    CHECK(text::short_commit("b2c5d82e1f0a") == "b2c5d82");
    CHECK(text::short_commit("b2c") == "b2c");
    CHECK(text::is_control('\n'));
    CHECK(text::is_control('\x1b'));
    CHECK(text::is_control('\x7f'));
    CHECK_FALSE(text::is_control(' '));
    CHECK_FALSE(text::is_control('~'));
    CHECK_FALSE(text::is_control('\xc3')); // a UTF-8 lead byte is not a control
    CHECK(text::has_control(std::string("a\0b", 3)));
    CHECK(text::has_control("v1.2.0\x1b[31m"));
    CHECK_FALSE(text::has_control("/opt/apps/eo-mena"));
}

TEST_CASE("text: join puts the separator between items only", "[text]") {
    CHECK(text::join({}, ", ").empty());
    CHECK(text::join({"dist"}, ", ") == "dist");
    CHECK(text::join({"node_modules", "dist", ".next"}, ", ") == "node_modules, dist, .next");
    CHECK(text::join({"record written", "trend row"}, "; ") == "record written; trend row");
    CHECK(text::join({"", "dist"}, ", ") == "dist"); // no leading separator
}
