#include "smo/remote/tag.hpp"
#include "support/fake_reply.hpp"

#include <catch2/catch.hpp>

using namespace smo;
using namespace smo::remote;
using smo::test::reply_of;

TEST_CASE("remote tag: fetch and tag in one reply", "[remote][tag]") {
    const TagCheck found =
        parse_tag_check(reply_of({std::string(k_fetch_exit) + "0", "b2c5d82f0011"}));
    CHECK(found.fetch_exit == 0);
    CHECK(found.tag_commit == "b2c5d82f0011");
    const TagCheck missing =
        parse_tag_check(reply_of({std::string(k_fetch_exit) + "128", k_no_tag}));
    CHECK(missing.fetch_exit == 128);
    CHECK(missing.tag_commit.empty());
    CHECK(parse_tag_check("").fetch_exit == -1);
}

TEST_CASE("remote tag: the overwrite check's reply", "[remote][tag]") {
    const CheckoutOverwrites both = parse_checkout_overwrites(reply_of(
        {k_tracked_env, ".env", k_overwrites, ".env", "config/local.json", k_overwrites_done}));
    CHECK(both.checked);
    CHECK(both.tracked_env == std::vector<std::string>{".env"});
    CHECK(both.untracked == std::vector<std::string>{".env", "config/local.json"});
    // Cut short (the commit is absent, or the reply broke off): no verdict.
    CHECK_FALSE(parse_checkout_overwrites(reply_of({k_tracked_env, k_overwrites})).checked);
    CHECK_FALSE(parse_checkout_overwrites("").checked);
}

TEST_CASE("remote tag: one round trip fetches, resolves and checks the overwrites",
          "[remote][tag]") {
    const RemotePaths paths = remote_paths_for("/opt/apps/eo-mena", "v1.4.2", "v1.4.1");
    CHECK(fetch_and_check_tag(paths, "v1.4.1", "b2c5d82", {".env"}) ==
          fetch_tags(paths) + "\necho \"" + k_fetch_exit + "$?\"\n" + resolve_tag(paths, "v1.4.1") +
              " || echo " + k_no_tag + "\n" + checkout_overwrites(paths, "b2c5d82", {".env"}));
    CHECK(has_commit(paths, "b2c5d82") ==
          "git -C '/opt/apps/eo-mena' cat-file -e 'b2c5d82^{commit}'");
}
