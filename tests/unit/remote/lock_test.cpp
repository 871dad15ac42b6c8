#include "smo/remote/lock.hpp"
#include "support/fake_reply.hpp"
#include "support/local_shell.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace smo;
using namespace smo::remote;
using smo::test::reply_of;

namespace {

int run_locally(const std::string& command) {
    return test::run_local_shell(command).exit_status;
}

} // namespace

TEST_CASE("remote lock: taken once and released only by its owner", "[remote][lock]") {
    test::TempDir dir;
    const RemotePaths paths = remote_paths_for(dir.str() + "/apps/app", "v2", "v1");
    const LockOwner first{"alice", "laptop", "1", "2026-04-19T03:00:00Z"};
    const LockOwner second{"bob", "desk", "2", "2026-04-19T03:05:00Z"};
    CHECK(run_locally(lock_acquire(paths, first)) == 0);
    CHECK(run_locally(lock_acquire(paths, second)) == 0); // prints k_held, changes nothing
    CHECK(run_locally(lock_release(paths, second)) == 0);
    CHECK(std::filesystem::exists(paths.lock)); // not bob's to release
    CHECK(run_locally(lock_take_over(paths, second)) == 0);
    CHECK(run_locally(lock_release(paths, first)) == 0);
    CHECK(std::filesystem::exists(paths.lock)); // now bob's
    CHECK(run_locally(lock_release(paths, second)) == 0);
    CHECK_FALSE(std::filesystem::exists(paths.lock));
}

TEST_CASE("remote lock: the replies a real shell prints are the ones the parsers read",
          "[remote][lock]") {
    test::TempDir dir;
    const RemotePaths paths = remote_paths_for(dir.str() + "/apps/app", "v2", "v1");
    const LockOwner first{"alice", "laptop", "1", "2026-04-19T03:00:00Z"};
    const LockOwner second{"bob", "desk", "2", "2026-04-19T03:05:00Z"};
    CHECK(parse_lock_reply(test::run_local_shell(lock_acquire(paths, first)).output).acquired);
    const LockReply held =
        parse_lock_reply(test::run_local_shell(lock_acquire(paths, second)).output);
    CHECK_FALSE(held.acquired);
    CHECK(held.age_seconds >= 0);
    CHECK(held.holder.describe() == first.describe());
    CHECK(test::run_local_shell(lock_release(paths, second)).output == reply_of({k_not_ours}));
    CHECK(lock_taken(test::run_local_shell(lock_take_over(paths, second)).output));
    CHECK(test::run_local_shell(lock_release(paths, second)).output == reply_of({k_released}));
}

TEST_CASE("remote lock: a held lock names its holder and age", "[remote][lock]") {
    const LockReply held = parse_lock_reply(
        reply_of({k_held, std::string(k_age_seconds) + "2400", std::string(k_owner_user) + "alice",
                  std::string(k_owner_host) + "laptop", std::string(k_owner_pid) + "4242",
                  std::string(k_owner_time) + "2026-04-19T02:00:00Z"}));
    CHECK_FALSE(held.acquired);
    CHECK(held.age_seconds == 2400);
    CHECK(held.holder.describe() == "alice@laptop pid 4242 since 2026-04-19T02:00:00Z");

    CHECK(parse_lock_reply(reply_of({k_acquired})).acquired);
    const LockReply unreadable = parse_lock_reply(reply_of({k_held, k_age_seconds}));
    CHECK(unreadable.age_seconds == -1);
    CHECK(unreadable.holder.user.empty());
    CHECK_FALSE(lock_taken(""));
}
