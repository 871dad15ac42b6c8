#pragma once

#include "smo/remote/paths.hpp"

#include <string>

// The target's lock (docs/safety.md), each round trip with its script, the
// words it prints and the parser of its reply: lock_acquire, lock_take_over,
// lock_release, and with_heartbeat around long commands under the lock.
// Stages and tests use the k_ words below, never their spelling.
namespace smo::remote {

// lock_acquire's reply: k_acquired when this run created the lock; else
// k_held, then k_age_seconds and the age, then the holder's owner file.
inline constexpr char k_acquired[] = "acquired";
inline constexpr char k_held[] = "held";
inline constexpr char k_age_seconds[] = "age_seconds=";

// The owner file's keys, one `key=value` line each.
inline constexpr char k_owner_user[] = "user=";
inline constexpr char k_owner_host[] = "host=";
inline constexpr char k_owner_pid[] = "pid=";
inline constexpr char k_owner_time[] = "time=";

// lock_take_over prints k_taken; lock_release k_released or k_not_ours.
inline constexpr char k_taken[] = "taken";
inline constexpr char k_released[] = "released";
inline constexpr char k_not_ours[] = "not ours";

// Who holds the lock on the target: the operator's machine.
struct LockOwner {
    std::string user;
    std::string host;
    std::string pid;
    std::string time; // ISO-8601 UTC

    // One line that identifies this run: "user@host pid 1234 since <time>".
    std::string describe() const;
};

// mkdir-based lock. Prints k_acquired when this run created `<lock>`; else
// k_held, then k_age_seconds N: seconds since the lock's heartbeat, the
// directory's mtime, on the server's clock; then the holder's owner file
// (k_owner_* lines). See parse_lock_reply.
std::string lock_acquire(const RemotePaths& paths, const LockOwner& owner);

// Rewrites the owner file of a held (stale) lock and refreshes its age.
// Prints k_taken when it did (see lock_taken).
std::string lock_take_over(const RemotePaths& paths, const LockOwner& owner);

// `command` with the lock's heartbeat: the lock directory's mtime is touched
// now and every k_heartbeat_seconds while the command's shell lives (`touch
// -c`: a released lock is never re-created as a file).
inline constexpr int k_heartbeat_seconds = 15;
std::string with_heartbeat(const RemotePaths& paths, const std::string& command);

// Removes the lock only when its owner file is still this run's; prints
// k_released, or k_not_ours when it leaves the lock alone.
std::string lock_release(const RemotePaths& paths, const LockOwner& owner);

// lock_acquire's reply, read (also the lock part of status_probe's).
struct LockReply {
    bool acquired = false;
    long age_seconds = -1; // -1 when the reply did not say
    LockOwner holder;      // fields empty when the owner file was unreadable
};

LockReply parse_lock_reply(const std::string& out);

// Did lock_take_over's reply say k_taken?
bool lock_taken(const std::string& out);

} // namespace smo::remote
