#include "smo/redact.hpp"

#include <catch2/catch.hpp>

using smo::env_file_values;
using smo::redact_secrets;
using Values = std::vector<std::string>;

TEST_CASE("redact: the password of a URL, whatever the scheme", "[redact]") {
    CHECK(redact_secrets("error: connect postgres://app:pa55@db.local:5432/shop failed", {}) ==
          "error: connect postgres://app:<redacted>@db.local:5432/shop failed");
    CHECK(redact_secrets("mongodb+srv://u:p@ss@h/x and redis://:tok3n@cache", {}) ==
          "mongodb+srv://u:<redacted>@h/x and redis://:<redacted>@cache");
    CHECK(redact_secrets("https://example.com:8443/x https://user@host/y", {}) ==
          "https://example.com:8443/x https://user@host/y");
    CHECK(redact_secrets("://a:b@c", {}) == "://a:b@c"); // no scheme: not a URL
}

TEST_CASE("redact: env-file values, longest first, short ones left alone", "[redact]") {
    CHECK(redact_secrets("key sk_live_abcdef and sk_live_abcdefgh on port 3000",
                         {"sk_live_abcdef", "sk_live_abcdefgh", "3000"}) ==
          "key <redacted> and <redacted> on port 3000");
    // A value inside the mark itself must not loop.
    CHECK(redact_secrets("redacted", {"redacted"}) == "<redacted>");
}

TEST_CASE("redact: env file values", "[redact]") {
    CHECK(env_file_values("# comment\n\nexport A=\"one two\"\nB='x'\nC=plain # not a comment\n"
                          "D=\nnot a line\n=bad\n") ==
          Values{"one two", "x", "plain # not a comment"});
}
